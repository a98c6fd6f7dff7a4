package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.Span;
import com.xentracker.server.ServerFixture.EnrolledDevice;
import com.xentracker.server.organization.Organization;
import com.xentracker.testing.device.TestDevice;
import com.xentracker.testing.https.Https;
import com.xentracker.transport.ServerRejectedRequestException;
import com.xentracker.transport.client.ServerClient;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.wire.EnrollmentResponse;
import com.xentracker.transport.wire.ErrorBody;
import com.xentracker.transport.wire.Routes;
import com.xentracker.transport.wire.SpanBatch;
import com.xentracker.transport.wire.UploadReceipt;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class IngestTest {

    /** The day after the data (2026-11-02). */
    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-11-03T12:00:00Z"));

    private final Instant nine = Instant.parse("2026-11-02T09:00:00Z");

    private List<Span> threeSpans() {
        return List.of(
                Span.of(nine, nine.plusSeconds(600), Activity.active("xterm", "/usr/bin/xterm", Optional.of("vim"))),
                Span.of(nine.plusSeconds(600), nine.plusSeconds(900), Activity.of(ActivityState.IDLE)),
                Span.of(nine.plusSeconds(900), nine.plusSeconds(1200),
                        Activity.active("chromium", "/usr/lib/chromium/chromium", Optional.empty())));
    }

    /** {@code batch}, sealed to {@code device}'s organization and signed by {@code signer}. */
    private byte[] seal(EnrolledDevice device, PrivateKey signer, SpanBatch batch) {
        TestDevice sealing = device.sealing();
        return new TestDevice(sealing.organizationId(), batch.deviceId(), signer, sealing.organizationCertificate())
                .seal(batch);
    }

    private byte[] seal(EnrolledDevice device, long sequence, List<Span> spans) {
        return seal(device, device.keys().getPrivate(), new SpanBatch(device.id(), sequence, spans));
    }

    private Https.Response upload(UUID deviceId, long sequence, byte[] sealed) {
        return server.https().post(Routes.batch(deviceId, sequence), Routes.SEALED_BATCH_MEDIA_TYPE, sealed);
    }

    private String code(Https.Response response) {
        return server.codec().decode(response.body(), ErrorBody.class).code();
    }

    private long spansOf(EnrolledDevice device) {
        return server.count("SELECT count(*) FROM spans WHERE organization_id = ? AND device_id = ?",
                device.enrollment().organizationId(), device.id());
    }

    @Test
    void anEnrolledDevicesBatchIsStored() {
        EnrolledDevice device = server.enroll(server.newOrganization());

        Https.Response response = upload(device.id(), 0, seal(device, 0, threeSpans()));

        assertThat(response.status()).isEqualTo(200);
        assertThat(server.codec().decode(response.body(), UploadReceipt.class))
                .isEqualTo(new UploadReceipt(device.id(), 0, 3, false)
                        .withOrganizationCertificate(device.enrollment().organizationCertificatePem()));
        List<Map<String, Object>> rows = server.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT state, application, executable, title, batch_sequence FROM spans
                        WHERE organization_id = :o AND device_id = :d ORDER BY start_at""")
                .bind("o", device.enrollment().organizationId()).bind("d", device.id())
                .mapToMap().list());
        assertThat(rows).extracting(row -> row.get("state"), row -> row.get("application"), row -> row.get("title"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("ACTIVE", "xterm", "vim"),
                        org.assertj.core.groups.Tuple.tuple("IDLE", "", null),
                        org.assertj.core.groups.Tuple.tuple("ACTIVE", "chromium", null));
        Instant storedStart = server.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT min(start_at) FROM spans WHERE device_id = :d")
                .bind("d", device.id()).mapTo(Instant.class).one());
        assertThat(storedStart).isEqualTo(nine);
    }

    @Test
    void theSameSequenceAgainIsAcknowledgedAsADuplicateAndStoresNothing() {
        EnrolledDevice device = server.enroll(server.newOrganization());
        byte[] sealed = seal(device, 7, threeSpans());
        assertThat(upload(device.id(), 7, sealed).status()).isEqualTo(200);

        // the same bytes, as an agent retries (a batch sealed anew would carry another signed batch id)
        Https.Response again = upload(device.id(), 7, sealed);

        assertThat(again.status()).isEqualTo(200);
        assertThat(server.codec().decode(again.body(), UploadReceipt.class))
                .isEqualTo(new UploadReceipt(device.id(), 7, 3, true)
                        .withOrganizationCertificate(device.enrollment().organizationCertificatePem()));
        assertThat(spansOf(device)).isEqualTo(3);
        assertThat(server.count("SELECT count(*) FROM batches WHERE device_id = ?", device.id())).isOne();
    }

    @Test
    void aBatchSignedByAnotherKeyIsUnreadable() {
        EnrolledDevice device = server.enroll(server.newOrganization());
        byte[] forged = seal(device, DeviceKeys.generate().getPrivate(), new SpanBatch(device.id(), 0, threeSpans()));

        Https.Response response = upload(device.id(), 0, forged);

        assertThat(response.status()).isEqualTo(400);
        assertThat(code(response)).isEqualTo("bad-signature");
        assertThat(spansOf(device)).isZero();
    }

    @Test
    void bytesThatAreNoSealedBatchAreUnreadable() {
        EnrolledDevice device = server.enroll(server.newOrganization());
        byte[] garbage = new byte[2048];
        new Random(1).nextBytes(garbage);

        Https.Response response = upload(device.id(), 0, garbage);

        assertThat(response.status()).isEqualTo(400);
        assertThat(code(response)).isEqualTo("batch-unreadable");
    }

    @Test
    void aBatchSealedForAnotherDeviceIsRejected() {
        Organization organization = server.newOrganization();
        EnrolledDevice device = server.enroll(organization);
        EnrolledDevice other = server.enroll(organization);
        // signed by the device itself, but its content claims to be the other device's
        byte[] sealed = seal(device, device.keys().getPrivate(), new SpanBatch(other.id(), 0, threeSpans()));

        Https.Response response = upload(device.id(), 0, sealed);

        assertThat(response.status()).isEqualTo(400);
        assertThat(code(response)).isEqualTo("batch-binding-mismatch");
        assertThat(spansOf(device)).isZero();
        assertThat(spansOf(other)).isZero();
    }

    @Test
    void aBatchWhoseSequenceDiffersFromTheUrlIsRejected() {
        EnrolledDevice device = server.enroll(server.newOrganization());

        Https.Response response = upload(device.id(), 5, seal(device, 4, threeSpans()));

        assertThat(response.status()).isEqualTo(400);
        assertThat(code(response)).isEqualTo("batch-binding-mismatch");
        assertThat(server.count("SELECT count(*) FROM batches WHERE device_id = ?", device.id())).isZero();
    }

    @Test
    void aRevokedDeviceCannotUpload() {
        EnrolledDevice device = server.enroll(server.newOrganization());
        server.services().devices().revoke(server.operator(device.enrollment().organizationId()), device.id());

        Https.Response response = upload(device.id(), 0, seal(device, 0, threeSpans()));

        assertThat(response.status()).isEqualTo(403);
        assertThat(code(response)).isEqualTo("device-revoked");
        assertThat(spansOf(device)).isZero();
    }

    @Test
    void aRevokedDevicesRepeatOfABatchStoredBeforeGetsItsReceiptAndNothingNew() {
        EnrolledDevice device = server.enroll(server.newOrganization());
        byte[] batch0 = seal(device, 0, threeSpans());
        assertThat(upload(device.id(), 0, batch0).status()).isEqualTo(200);
        server.services().devices().revoke(server.operator(device.enrollment().organizationId()), device.id());

        // the receipt of batch 0 was lost: the agent repeats it, then tries the next one
        Https.Response repeat = upload(device.id(), 0, batch0);
        Https.Response next = upload(device.id(), 1, seal(device, 1, threeSpans()));

        assertThat(repeat.status()).isEqualTo(200);
        assertThat(server.codec().decode(repeat.body(), UploadReceipt.class).duplicate()).isTrue();
        assertThat(next.status()).isEqualTo(403);
        assertThat(code(next)).isEqualTo("device-revoked");
        assertThat(spansOf(device)).isEqualTo(3);
    }

    @Test
    void anUnknownDeviceIsNotFound() {
        EnrolledDevice device = server.enroll(server.newOrganization());
        UUID unknown = UUID.randomUUID();

        Https.Response response = upload(unknown, 0, seal(device, 0, threeSpans()));

        assertThat(response.status()).isEqualTo(404);
        assertThat(code(response)).isEqualTo("device-unknown");
    }

    @Test
    void aBatchOverTheSizeLimitIsRefusedWith413() {
        EnrolledDevice device = server.enroll(server.newOrganization());

        Https.Response response = upload(device.id(), 0, new byte[9 * 1024 * 1024]);

        assertThat(response.status()).isEqualTo(413);
        assertThat(code(response)).isEqualTo("payload-too-large");
    }

    @Test
    void aBatchMustBeSentAsSealedMime() {
        EnrolledDevice device = server.enroll(server.newOrganization());

        Https.Response response = server.https().post(Routes.batch(device.id(), 0), "application/json",
                seal(device, 0, threeSpans()));

        assertThat(response.status()).isEqualTo(415);
        assertThat(code(response)).isEqualTo("unsupported-media-type");
    }

    @Test
    void aMalformedDeviceIdInThePathIsABadRequest() {
        Https.Response response = server.https().post("/api/v1/devices/not-a-uuid/batches/0",
                Routes.SEALED_BATCH_MEDIA_TYPE, new byte[16]);

        assertThat(response.status()).isEqualTo(400);
        assertThat(code(response)).isEqualTo("invalid-request");
    }

    @Test
    void theAgentsOwnClientEnrollsUploadsAndSeesRevocation() {
        Organization organization = server.newOrganization();
        ServerClient client = ServerClient.create(server.server().baseUri(), server.server().certificateAuthority(),
                Duration.ofSeconds(30));
        var keys = DeviceKeys.generate();

        EnrollmentResponse enrolled = client.enroll(
                ServerFixture.enrollmentRequest(server.token(organization).token(), keys));
        EnrolledDevice device = new EnrolledDevice(keys, enrolled);
        UploadReceipt receipt = client.upload(device.id(), 1, seal(device, 1, threeSpans()));
        server.services().devices().revoke(server.operator(organization.id()), device.id());

        assertThat(receipt).isEqualTo(new UploadReceipt(device.id(), 1, 3, false)
                        .withOrganizationCertificate(device.enrollment().organizationCertificatePem()));
        assertThatThrownBy(() -> client.upload(device.id(), 2, seal(device, 2, threeSpans())))
                .isInstanceOfSatisfying(ServerRejectedRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.code()).isEqualTo("device-revoked");
                });
    }

    @Test
    void concurrentUploadsOfOneDevicesBatchesInAnyOrderStoreEachBatchOnceAndTheNewestStateWins() throws Exception {
        EnrolledDevice device = server.enroll(server.newOrganization());
        int batches = 24;
        List<byte[]> sealed = new java.util.ArrayList<>();
        for (int sequence = 0; sequence < batches; sequence++) {
            Instant start = nine.plusSeconds(60L * sequence);
            sealed.add(seal(device, device.keys().getPrivate(), new SpanBatch(device.id(), sequence,
                    List.of(Span.of(start, start.plusSeconds(60), Activity.active("app" + sequence, "/bin/app",
                            Optional.empty()))), List.of(),
                    com.xentracker.transport.wire.AgentState.of("1." + sequence, com.xentracker.transport.wire
                            .CaptureState.RECORDING, "", sequence))));
        }
        // six "agents" (a retrying agent, a restored backup …) send every batch, each in its own shuffled order
        int senders = 6;
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(senders);
        try {
            List<java.util.concurrent.Future<List<Integer>>> results = new java.util.ArrayList<>();
            for (int s = 0; s < senders; s++) {
                Random random = new Random(s);
                results.add(threads.submit(() -> {
                    List<Integer> order = new java.util.ArrayList<>(java.util.stream.IntStream.range(0, batches)
                            .boxed().toList());
                    java.util.Collections.shuffle(order, random);
                    List<Integer> statuses = new java.util.ArrayList<>();
                    for (int sequence : order) {
                        statuses.add(upload(device.id(), sequence, sealed.get(sequence)).status());
                    }
                    return statuses;
                }));
            }
            for (java.util.concurrent.Future<List<Integer>> result : results) {
                assertThat(result.get(2, java.util.concurrent.TimeUnit.MINUTES)).containsOnly(200);
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(spansOf(device)).isEqualTo(batches);
        assertThat(server.count("SELECT count(*) FROM batches WHERE device_id = ?", device.id())).isEqualTo(batches);
        assertThat(server.count("SELECT count(*) FROM batch_arrivals WHERE device_id = ?", device.id()))
                .isEqualTo(batches);
        // every hole a jump opened was closed again by the late batches
        assertThat(server.count("SELECT count(*) FROM sequence_gaps WHERE device_id = ?", device.id())).isZero();
        Map<String, Object> row = server.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT last_sequence, agent_version, policy_version FROM devices WHERE id = :d""")
                .bind("d", device.id()).mapToMap().one());
        assertThat(row).containsEntry("last_sequence", (long) batches - 1)
                .containsEntry("agent_version", "1." + (batches - 1))
                .containsEntry("policy_version", (long) batches - 1);
    }
}
