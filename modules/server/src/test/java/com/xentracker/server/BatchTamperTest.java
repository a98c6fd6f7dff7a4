package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.server.ServerFixture.EnrolledDevice;
import com.xentracker.server.device.DeviceSummary;
import com.xentracker.server.organization.Organization;
import com.xentracker.testing.device.TestDevice;
import com.xentracker.transport.ServerRejectedRequestException;
import com.xentracker.transport.client.ServerClient;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.KeyRotationProof;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.DeviceKeyRotation;
import com.xentracker.transport.wire.UploadReceipt;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tampered, misdirected and replayed batches against the real server, each through the agent's own HTTPS client:
 * every one is refused with its stable code and nothing is stored (a replay: stored once). Also the arrival facts
 * (clock skew, batch id, holes in the sequence), key rotation and the one-enrollment-per-key rule.
 */
class BatchTamperTest {

    /** The day after the data (2026-11-02). */
    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-11-03T12:00:00Z"));

    private final Instant nine = Instant.parse("2026-11-02T09:00:00Z");

    private ServerClient client() {
        return ServerClient.create(server.server().baseUri(), server.server().certificateAuthority(),
                Duration.ofSeconds(30));
    }

    private byte[] seal(EnrolledDevice device, long sequence) {
        return seal(device, device.keys().getPrivate(),
                Pem.certificate(device.enrollment().organizationCertificatePem()), device.enrollment().organizationId(),
                sequence);
    }

    /** Sealed as {@code device}'s batch {@code sequence}, but with these parts (a forger's, or a confused agent's). */
    private byte[] seal(EnrolledDevice device, PrivateKey signer, X509Certificate organization, UUID organizationId,
            long sequence) {
        return new TestDevice(organizationId, device.id(), signer, organization).seal(sequence, List.of(Span.of(
                nine.plusSeconds(60 * sequence), nine.plusSeconds(60 * sequence + 60),
                Activity.active("xterm", "/usr/bin/xterm", Optional.empty()))));
    }

    /** Uploads and expects a refusal; returns its code after checking that nothing of the device was stored. */
    private String refused(EnrolledDevice device, long sequence, byte[] sealed, int status) {
        ServerRejectedRequestException refused = catchThrowableOfType(ServerRejectedRequestException.class,
                () -> client().upload(device.id(), sequence, sealed));
        assertThat(refused).as("the upload was refused").isNotNull();
        assertThat(refused.status()).isEqualTo(status);
        assertThat(storedBatches(device)).as("nothing stored").isZero();
        assertThat(server.count("SELECT count(*) FROM spans WHERE device_id = ?", device.id())).isZero();
        return refused.code();
    }

    private long storedBatches(EnrolledDevice device) {
        return server.count("SELECT count(*) FROM batches WHERE device_id = ?", device.id());
    }

    @Test
    void aFlippedCiphertextByteIsADecryptionFailure() {
        EnrolledDevice device = server.enroll(server.newOrganization());
        byte[] sealed = seal(device, 1);
        sealed[sealed.length - 100] ^= 0x01; // inside the ciphertext: the MAC and the content-type attribute follow

        assertThat(refused(device, 1, sealed, 400)).isEqualTo("decryption-failed");
    }

    @Test
    void aBatchSignedByAnotherKeyIsABadSignature() {
        EnrolledDevice device = server.enroll(server.newOrganization());
        byte[] forged = seal(device, DeviceKeys.generate().getPrivate(),
                Pem.certificate(device.enrollment().organizationCertificatePem()), device.enrollment().organizationId(),
                1);

        assertThat(refused(device, 1, forged, 400)).isEqualTo("bad-signature");
    }

    @Test
    void aBatchSealedToAnotherOrganizationIsAnUnknownKey() {
        EnrolledDevice device = server.enroll(server.newOrganization());
        EnrolledDevice stranger = server.enroll(server.newOrganization());
        byte[] sealed = seal(device, device.keys().getPrivate(),
                Pem.certificate(stranger.enrollment().organizationCertificatePem()),
                device.enrollment().organizationId(), 1);

        assertThat(refused(device, 1, sealed, 400)).isEqualTo("unknown-key-id");
    }

    @Test
    void aTruncatedEnvelopeIsUnreadable() {
        EnrolledDevice device = server.enroll(server.newOrganization());
        byte[] sealed = seal(device, 1);

        assertThat(refused(device, 1, Arrays.copyOf(sealed, sealed.length / 2), 400)).isEqualTo("batch-unreadable");
    }

    @Test
    void aReplayedBatchIsStoredOnceAndCannotBeReplayedUnderAnotherSequenceOrDevice() {
        Organization organization = server.newOrganization();
        EnrolledDevice device = server.enroll(organization);
        EnrolledDevice other = server.enroll(organization);
        byte[] sealed = seal(device, 1);

        UploadReceipt first = client().upload(device.id(), 1, sealed);
        UploadReceipt replay = client().upload(device.id(), 1, sealed);

        assertThat(first.duplicate()).isFalse();
        assertThat(replay.duplicate()).as("answered 200, already stored").isTrue();
        assertThat(replay.acceptedSpans()).isEqualTo(1);
        assertThat(storedBatches(device)).isOne();
        assertThat(server.count("SELECT count(*) FROM spans WHERE device_id = ?", device.id())).isOne();
        ServerRejectedRequestException otherSequence = catchThrowableOfType(ServerRejectedRequestException.class,
                () -> client().upload(device.id(), 2, sealed));
        assertThat(otherSequence.code()).isEqualTo("batch-binding-mismatch");
        assertThat(storedBatches(device)).isOne();
        assertThat(refused(other, 1, sealed, 400)).as("another device's key is expected").isEqualTo("bad-signature");
    }

    @Test
    void aRevokedDeviceIsRefusedWithItsCodeAndItsKeyCanNeverEnrollAgain() {
        Organization organization = server.newOrganization();
        EnrolledDevice device = server.enroll(organization);
        server.services().devices().revoke(server.operator(organization.id()), device.id());

        assertThat(refused(device, 1, seal(device, 1), 403)).isEqualTo("device-revoked");
        ServerRejectedRequestException again = catchThrowableOfType(ServerRejectedRequestException.class,
                () -> client().enroll(ServerFixture.enrollmentRequest(server.token(organization).token(),
                        device.keys())));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("device-key-reused");
        assertThat(server.count("SELECT count(*) FROM devices WHERE organization_id = ?", organization.id()))
                .as("no second device row").isOne();
    }

    @Test
    void aDeviceRotatesItsKeyByProvingBothKeysAndTheOldKeyStopsWorking() {
        Organization organization = server.newOrganization();
        EnrolledDevice device = server.enroll(organization);
        KeyPair next = DeviceKeys.generate();
        DeviceKeyRotation rotation = KeyRotationProof.create(device.id(), device.keys().getPrivate(), next);

        // proofs that do not hold: signed by a stranger instead of the enrolled key, or for another new key
        ServerRejectedRequestException forged = catchThrowableOfType(ServerRejectedRequestException.class,
                () -> client().rotateDeviceKey(KeyRotationProof.create(device.id(),
                        DeviceKeys.generate().getPrivate(), next)));
        assertThat(forged.code()).isEqualTo("key-proof-invalid");
        ServerRejectedRequestException swapped = catchThrowableOfType(ServerRejectedRequestException.class,
                () -> client().rotateDeviceKey(new DeviceKeyRotation(device.id(),
                        Pem.encodePublicKey(DeviceKeys.generate().getPublic()), rotation.signatureByOldKey(),
                        rotation.signatureByNewKey())));
        assertThat(swapped.code()).isEqualTo("key-proof-invalid");

        assertThat(client().rotateDeviceKey(rotation).certificatePem())
                .isEqualTo(device.enrollment().organizationCertificatePem());
        assertThat(client().rotateDeviceKey(rotation).organizationId()).as("a repeat is answered the same")
                .isEqualTo(organization.id());

        X509Certificate certificate = Pem.certificate(device.enrollment().organizationCertificatePem());
        assertThat(refused(device, 1, seal(device, device.keys().getPrivate(), certificate, organization.id(), 1),
                400)).as("the old key no longer signs for the device").isEqualTo("bad-signature");
        client().upload(device.id(), 1, seal(device, next.getPrivate(), certificate, organization.id(), 1));
        assertThat(storedBatches(device)).isOne();
        ServerRejectedRequestException oldKeyAgain = catchThrowableOfType(ServerRejectedRequestException.class,
                () -> client().enroll(ServerFixture.enrollmentRequest(server.token(organization).token(),
                        device.keys())));
        assertThat(oldKeyAgain.code()).as("the retired key cannot enroll").isEqualTo("device-key-reused");
        EnrolledDevice other = server.enroll(organization);
        ServerRejectedRequestException taken = catchThrowableOfType(ServerRejectedRequestException.class,
                () -> client().rotateDeviceKey(KeyRotationProof.create(other.id(), other.keys().getPrivate(),
                        next)));
        assertThat(taken.code()).as("another device's key").isEqualTo("device-key-reused");
    }

    @Test
    void theClockSkewAndBatchIdOfEachNewBatchAreKept() {
        EnrolledDevice device = server.enroll(server.newOrganization());
        Instant deviceClock = server.clock().instant().plusSeconds(90);

        client().upload(device.id(), 1, seal(device, 1), deviceClock);
        client().upload(device.id(), 2, seal(device, 2));

        assertThat(server.count("SELECT clock_skew_ms FROM batch_arrivals WHERE device_id = ? AND sequence = 1",
                device.id())).isEqualTo(90_000);
        assertThat(server.count("SELECT count(*) FROM batch_arrivals WHERE device_id = ? AND sequence = 2"
                + " AND clock_skew_ms IS NULL AND batch_id IS NOT NULL", device.id())).isOne();
    }

    @Test
    void administratorsSeeEachDevicesClockSkewAsItsNewestBatchReportedIt() {
        Organization organization = server.newOrganization();
        EnrolledDevice skewed = server.enroll(organization);
        EnrolledDevice silent = server.enroll(organization);
        client().upload(skewed.id(), 2, seal(skewed, 2), server.clock().instant().minusSeconds(30));
        // a late, older batch does not decide: the newest stored batch's report does
        client().upload(skewed.id(), 1, seal(skewed, 1), server.clock().instant().plusSeconds(90));
        client().upload(silent.id(), 1, seal(silent, 1));

        java.util.Map<UUID, java.util.Optional<Duration>> skews = server.services().devices()
                .list(server.operator(organization.id())).stream()
                .collect(java.util.stream.Collectors.toMap(DeviceSummary::id, DeviceSummary::clockSkew));

        assertThat(skews).containsEntry(skewed.id(), java.util.Optional.of(Duration.ofSeconds(-30)))
                .containsEntry(silent.id(), java.util.Optional.empty());
    }

    @Test
    void aHoleInTheSequenceIsRecordedAndNarrowedByALateBatch() {
        EnrolledDevice device = server.enroll(server.newOrganization());
        client().upload(device.id(), 1, seal(device, 1));
        client().upload(device.id(), 5, seal(device, 5));

        assertThat(holes(device)).containsExactly("2-4");

        client().upload(device.id(), 3, seal(device, 3));

        assertThat(holes(device)).containsExactly("2-2", "4-4");
    }

    private List<String> holes(EnrolledDevice device) {
        return server.jdbi().withHandle(handle -> handle.createQuery("SELECT first_missing || '-' || last_missing"
                        + " FROM sequence_gaps WHERE device_id = :device ORDER BY first_missing")
                .bind("device", device.id()).mapTo(String.class).list());
    }

    @Test
    void afterARotationOldBatchesStillOpenAndReceiptsNameTheNewCertificate() {
        Organization organization = server.newOrganization();
        EnrolledDevice device = server.enroll(organization);
        byte[] sealedBefore = seal(device, 1); // buffered on the device while the key rotates
        String oldCertificate = device.enrollment().organizationCertificatePem();

        server.services().organizations().rotateKey(server.operator(organization.id()));

        UploadReceipt receipt = client().upload(device.id(), 1, sealedBefore);
        assertThat(receipt.duplicate()).isFalse();
        assertThat(receipt.organizationCertificatePem()).isNotEqualTo(oldCertificate);
        X509Certificate current = Pem.certificate(receipt.organizationCertificatePem());
        client().upload(device.id(), 2, seal(device, device.keys().getPrivate(), current, organization.id(), 2));
        assertThat(storedBatches(device)).isEqualTo(2);
        assertThat(client().organizationCertificate(device.id()).certificatePem())
                .isEqualTo(receipt.organizationCertificatePem());
        // the retired private key is kept sealed under the master key, never in plain
        assertThat(server.count("SELECT count(*) FROM retired_organization_keys WHERE organization_id = ?"
                + " AND position(convert_to('PRIVATE KEY', 'UTF8') in encryption_private_key) = 0",
                organization.id())).isOne();
    }
}
