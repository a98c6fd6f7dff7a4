package com.xentracker.server.device;

import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.server.DeviceKeyReusedException;
import com.xentracker.server.DeviceRevokedException;
import com.xentracker.server.InvalidEnrollmentTokenException;
import com.xentracker.server.InvalidEnrollmentTokenException.Reason;
import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.KeyProofInvalidException;
import com.xentracker.server.NoSuchDeviceException;
import com.xentracker.server.access.Action;
import com.xentracker.server.access.Guard;
import com.xentracker.server.audit.ActorKind;
import com.xentracker.server.audit.Outcome;
import com.xentracker.server.audit.Subject;
import com.xentracker.server.crypto.SecretTokens;
import com.xentracker.server.organization.Policies;
import com.xentracker.transport.pki.KeyRotationProof;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.DeviceKeyRotation;
import com.xentracker.transport.wire.EnrollmentRequest;
import com.xentracker.transport.wire.EnrollmentResponse;
import com.xentracker.transport.wire.OrganizationCertificate;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device joins an organization with an enrollment token: the token is checked and counted in one statement, the
 * device's signing key is stored, and the device learns the organization's encryption certificate and current
 * collection policy.
 */
public final class DeviceEnrollment {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceEnrollment.class);
    private static final int MAX_FIELD = 255;
    private static final int MAX_KEY_PEM = 4096;

    private final Jdbi jdbi;
    private final Guard guard;
    private final Policies policies;
    private final Clock clock;

    private DeviceEnrollment(Jdbi jdbi, Guard guard, Policies policies, Clock clock) {
        this.jdbi = jdbi;
        this.guard = guard;
        this.policies = policies;
        this.clock = clock;
    }

    public static DeviceEnrollment create(Jdbi jdbi, Guard guard, Policies policies, Clock clock) {
        return new DeviceEnrollment(jdbi, guard, policies, clock);
    }

    /**
     * Replaces a device's signing key after checking that the request is signed by both its enrolled key and the new
     * one. The new key must never have enrolled (it is listed from now on, like an enrolled key); the old key stays
     * listed, so it can never come back either. Repeating a rotation that took effect answers the same.
     *
     * @return the organization's current certificate
     * @throws NoSuchDeviceException      when no device has this id
     * @throws DeviceRevokedException     when the device was revoked
     * @throws KeyProofInvalidException   when a signature does not verify
     * @throws DeviceKeyReusedException   when the new key enrolled before (for this or another device)
     */
    public OrganizationCertificate rotateKey(UUID deviceId, DeviceKeyRotation rotation) {
        if (rotation == null || !rotation.deviceId().equals(deviceId)) {
            throw new InvalidRequestException("the key rotation must name the device of the URL");
        }
        String newKeyPem = required("newPublicKeyPem", rotation.newPublicKeyPem(), MAX_KEY_PEM);
        byte[] newKeyDigest = sha256(Pem.publicKey(newKeyPem).getEncoded());
        Instant now = clock.instant();
        OrganizationCertificate answer = jdbi.inTransaction(handle -> {
            record Current(UUID organizationId, String keyPem, boolean revoked) {
            }
            Current current = handle.createQuery("""
                            SELECT organization_id, public_key_pem, revoked_at IS NOT NULL AS revoked
                            FROM devices WHERE id = :id FOR UPDATE""")
                    .bind("id", deviceId)
                    .map((rs, ctx) -> new Current(rs.getObject(1, UUID.class), rs.getString(2), rs.getBoolean(3)))
                    .findOne()
                    .orElseThrow(() -> new NoSuchDeviceException(deviceId));
            if (current.revoked()) {
                throw new DeviceRevokedException(deviceId);
            }
            PublicKey currentKey = Pem.publicKey(current.keyPem());
            boolean alreadyDone = Arrays.equals(currentKey.getEncoded(), Pem.publicKey(newKeyPem).getEncoded());
            if (alreadyDone) {
                // a retry after a lost answer: the new key is enrolled; it must still prove possession of itself
                if (!KeyRotationProof.verifyNewKey(rotation)) {
                    throw new KeyProofInvalidException();
                }
            } else {
                if (!KeyRotationProof.verify(rotation, currentKey)) {
                    throw new KeyProofInvalidException();
                }
                int fresh = handle.createUpdate("""
                        INSERT INTO enrolled_device_keys (public_key_sha256, organization_id, device_id, enrolled_at)
                        VALUES (:digest, :organization, :id, :now) ON CONFLICT DO NOTHING""")
                        .bind("digest", newKeyDigest)
                        .bind("organization", current.organizationId())
                        .bind("id", deviceId)
                        .bind("now", now)
                        .execute();
                if (fresh == 0) {
                    throw new DeviceKeyReusedException();
                }
                handle.createUpdate("UPDATE devices SET public_key_pem = :key WHERE organization_id = :organization"
                                + " AND id = :id")
                        .bind("key", newKeyPem)
                        .bind("organization", current.organizationId())
                        .bind("id", deviceId)
                        .execute();
                guard.record(handle, current.organizationId(), ActorKind.DEVICE, Optional.empty(),
                        Action.ROTATE_DEVICE_KEY, Subject.device(deviceId), Outcome.SUCCESS);
            }
            return new OrganizationCertificate(current.organizationId(), handle.createQuery(
                            "SELECT encryption_certificate_pem FROM organizations WHERE id = :id")
                    .bind("id", current.organizationId())
                    .mapTo(String.class)
                    .one());
        });
        LOG.info("Device {} rotated its signing key", deviceId);
        return answer;
    }

    private static byte[] sha256(byte[] encodedKey) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(encodedKey);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    /**
     * Enrolls a device.
     *
     * @throws InvalidEnrollmentTokenException when the token is unknown, expired, revoked or used up
     * @throws InvalidRequestException         when a field is missing or too long
     * @throws com.xentracker.transport.InvalidKeyMaterialException when the public key is not a valid PEM key
     */
    public EnrollmentResponse enroll(EnrollmentRequest request) {
        if (request == null) {
            throw new InvalidRequestException("an enrollment request is required");
        }
        String token = required("token", request.token(), SecretTokens.MAX_LENGTH);
        String keyPem = required("devicePublicKeyPem", request.devicePublicKeyPem(), MAX_KEY_PEM);
        String hostname = required("hostname", request.hostname(), MAX_FIELD);
        String operatingSystem = required("operatingSystem", request.operatingSystem(), MAX_FIELD);
        String osUser = required("osUser", request.osUser(), MAX_FIELD);
        String agentVersion = required("agentVersion", request.agentVersion(), MAX_FIELD);
        // parse now, so that a device never enrolls with a key its batches could not be verified against
        byte[] keyDigest = sha256(Pem.publicKey(keyPem).getEncoded());
        byte[] tokenHash = SecretTokens.hash(token);
        Instant now = clock.instant();
        EnrollmentResponse response = jdbi.inTransaction(handle -> {
            TokenUse use = consume(handle, tokenHash, now);
            UUID deviceId = UUID.randomUUID();
            // The device's small number in its organization (its bit in the dashboard's summaries): the counter's
            // row lock makes concurrent enrollments take distinct numbers; a rolled-back enrollment gives its
            // number back with the counter, and a deleted device's number is never handed out again.
            int number = handle.createQuery("""
                    UPDATE organizations SET device_numbers = device_numbers + 1 WHERE id = :organization
                    RETURNING device_numbers""")
                    .bind("organization", use.organizationId())
                    .mapTo(Integer.class)
                    .one();
            handle.createUpdate("""
                    INSERT INTO devices (organization_id, id, number, public_key_pem, hostname, operating_system,
                                         os_user, agent_version, enrollment_token_id, enrolled_at, last_seen_at)
                    VALUES (:organization, :id, :number, :key, :hostname, :os, :osUser, :agentVersion, :token, :now,
                            :now)""")
                    .bind("number", number)
                    .bind("organization", use.organizationId())
                    .bind("id", deviceId)
                    .bind("key", keyPem)
                    .bind("hostname", hostname)
                    .bind("os", operatingSystem)
                    .bind("osUser", osUser)
                    .bind("agentVersion", agentVersion)
                    .bind("token", use.tokenId())
                    .bind("now", now)
                    .execute();
            // a key enrolls once, ever: the row outlives revocation and deletion of its device
            int fresh = handle.createUpdate("""
                    INSERT INTO enrolled_device_keys (public_key_sha256, organization_id, device_id, enrolled_at)
                    VALUES (:digest, :organization, :id, :now) ON CONFLICT DO NOTHING""")
                    .bind("digest", keyDigest)
                    .bind("organization", use.organizationId())
                    .bind("id", deviceId)
                    .bind("now", now)
                    .execute();
            if (fresh == 0) {
                throw new DeviceKeyReusedException(); // rolls back the token use and the device row
            }
            guard.record(handle, use.organizationId(), ActorKind.DEVICE, Optional.empty(), Action.ENROLL_DEVICE,
                    Subject.device(deviceId).and("enrollment token " + use.tokenId()), Outcome.SUCCESS);
            // the policy as of this commit: the agent applies it before it records anything
            CollectionPolicy policy = policies.current(handle, use.organizationId());
            return handle.createQuery("SELECT name, encryption_certificate_pem FROM organizations WHERE id = :id")
                    .bind("id", use.organizationId())
                    .map((rs, ctx) -> new EnrollmentResponse(deviceId, use.organizationId(), rs.getString("name"),
                            rs.getString("encryption_certificate_pem"), policy))
                    .one();
        });
        LOG.info("Enrolled device {} in organization {}", response.deviceId(), response.organizationId());
        return response;
    }

    private record TokenUse(UUID organizationId, UUID tokenId) {
    }

    /** Counts one use of the token if it is valid: checked and incremented in one statement, so no race. */
    private static TokenUse consume(Handle handle, byte[] tokenHash, Instant now) {
        Optional<TokenUse> use = handle.createQuery("""
                        UPDATE enrollment_tokens SET uses = uses + 1
                        WHERE token_hash = :hash AND revoked_at IS NULL AND expires_at > :now AND uses < max_uses
                        RETURNING organization_id, id""")
                .bind("hash", tokenHash)
                .bind("now", now)
                .map((rs, ctx) -> new TokenUse(rs.getObject("organization_id", UUID.class),
                        rs.getObject("id", UUID.class)))
                .findOne();
        return use.orElseThrow(() -> new InvalidEnrollmentTokenException(whyRefused(handle, tokenHash, now)));
    }

    private static Reason whyRefused(Handle handle, byte[] tokenHash, Instant now) {
        return handle.createQuery("""
                        SELECT revoked_at IS NOT NULL AS revoked, expires_at <= :now AS expired
                        FROM enrollment_tokens WHERE token_hash = :hash""")
                .bind("hash", tokenHash)
                .bind("now", now)
                .map((rs, ctx) -> rs.getBoolean("revoked") ? Reason.REVOKED
                        : rs.getBoolean("expired") ? Reason.EXPIRED : Reason.EXHAUSTED)
                .findOne()
                .orElse(Reason.UNKNOWN);
    }

    private static String required(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(field + " is required");
        }
        if (value.length() > maxLength) {
            throw new InvalidRequestException(field + " has at most " + maxLength + " characters");
        }
        if (value.indexOf('\0') >= 0) {
            throw new InvalidRequestException(field + " must not contain NUL characters");
        }
        return value;
    }
}
