package com.xentracker.server.audit;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The canonical form of an audit entry and the hashes of the chain.
 *
 * <p>An entry's hash is SHA-256 over a fixed-order, length-prefixed encoding of every stored field (organization,
 * sequence, id, time in microseconds as PostgreSQL keeps it, actor kind and account, action, subject person, device
 * and text, outcome) and the previous entry's hash; the first entry's previous hash is 32 zero bytes. Anyone with the
 * rows can recompute it. The chain's head and checkpoints are also authenticated with HMAC-SHA256 under a key derived
 * from the server's master key, which the database never sees: whoever can write the database can recompute plain
 * hashes after an edit, but cannot make a head or checkpoint that verifies.
 */
final class ChainHash {

    static final byte[] GENESIS = new byte[32];
    private static final byte[] DOMAIN = "xentracker audit entry v1".getBytes(StandardCharsets.UTF_8);

    private ChainHash() {
    }

    static byte[] of(UUID organizationId, AuditEntry entry, byte[] previous) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(DOMAIN);
            uuid(out, organizationId);
            out.writeLong(entry.sequence());
            uuid(out, entry.id());
            out.writeLong(micros(entry.occurredAt()));
            text(out, entry.actorKind().name());
            optionalUuid(out, entry.actorAccount());
            text(out, entry.action());
            optionalUuid(out, entry.subject().person());
            optionalUuid(out, entry.subject().device());
            text(out, entry.subject().text());
            text(out, entry.outcome().name());
            out.write(previous);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return sha256(bytes.toByteArray());
    }

    /** HMAC of a head or checkpoint: what it is ({@code label}), whose, which entry and that entry's hash. */
    static byte[] mac(byte[] key, String label, UUID organizationId, long sequence, byte[] hash) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                text(out, label);
                uuid(out, organizationId);
                out.writeLong(sequence);
                out.write(hash);
            }
            return mac.doFinal(bytes.toByteArray());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }

    static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    /** As PostgreSQL stores a timestamptz: whole microseconds. */
    static Instant truncate(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    private static void uuid(DataOutputStream out, UUID id) throws IOException {
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    private static void optionalUuid(DataOutputStream out, Optional<UUID> id) throws IOException {
        out.writeBoolean(id.isPresent());
        if (id.isPresent()) {
            uuid(out, id.get());
        }
    }

    private static void text(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
