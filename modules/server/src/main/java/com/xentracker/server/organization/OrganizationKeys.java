package com.xentracker.server.organization;

import com.xentracker.server.NoSuchOrganizationException;
import com.xentracker.server.crypto.MasterKey;
import com.xentracker.transport.UnableToOpenBatchException;
import com.xentracker.transport.envelope.BatchOpener;
import com.xentracker.transport.envelope.OpenedBatch;
import com.xentracker.transport.pki.OrganizationKey;
import com.xentracker.transport.pki.Pem;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Organization encryption keys: sealing a new private key for the {@code organizations} table, rotating it, and
 * opening batches with the current key or a retired one. Decrypted keys stay in memory (one list of openers per
 * organization, current first), so that an upload costs no master-key decryption; a batch sealed to a key the
 * cache does not know reloads the list once (another server process may have rotated). A cached list is read again
 * after {@link #CACHE_LIFETIME}, so a retired key that retention purged leaves every node's memory too.
 */
public final class OrganizationKeys {

    /** How long a node keeps an organization's decrypted keys before it reads them again. */
    public static final Duration CACHE_LIFETIME = Duration.ofHours(1);

    private record Openers(List<BatchOpener> keys, Instant loadedAt) {
    }

    private final Jdbi jdbi;
    private final MasterKey masterKey;
    private final Clock clock;
    private final Map<UUID, Openers> openers = new ConcurrentHashMap<>();

    private OrganizationKeys(Jdbi jdbi, MasterKey masterKey, Clock clock) {
        this.jdbi = jdbi;
        this.masterKey = masterKey;
        this.clock = clock;
    }

    public static OrganizationKeys create(Jdbi jdbi, MasterKey masterKey, Clock clock) {
        return new OrganizationKeys(jdbi, masterKey, clock);
    }

    /** The private key as stored: PKCS#8 PEM sealed under the master key, bound to the organization's id. */
    byte[] seal(UUID organizationId, PrivateKey privateKey) {
        return masterKey.seal(Pem.encodePrivateKey(privateKey).getBytes(StandardCharsets.UTF_8),
                context(organizationId));
    }

    /**
     * Opens a batch sent to this organization with whichever of its keys (current or retired) it was sealed to.
     *
     * @throws UnableToOpenBatchException with {@code UNKNOWN_KEY_ID} when no key of the organization matches
     */
    public OpenedBatch open(UUID organizationId, byte[] sealed, PublicKey signer, UUID deviceId, long sequence) {
        Instant now = clock.instant();
        Openers cached = openers.get(organizationId);
        if (cached == null || stale(cached, now)) {
            cached = openers.compute(organizationId, (id, current) ->
                    current == null || stale(current, now) ? new Openers(load(id), now) : current);
        }
        try {
            return open(cached.keys(), sealed, signer, organizationId, deviceId, sequence);
        } catch (UnableToOpenBatchException e) {
            if (e.reason() != UnableToOpenBatchException.Reason.UNKNOWN_KEY_ID) {
                throw e;
            }
            List<BatchOpener> reloaded = load(organizationId);
            openers.put(organizationId, new Openers(reloaded, now));
            return open(reloaded, sealed, signer, organizationId, deviceId, sequence);
        }
    }

    /** Older than its lifetime, or from the future (a clock set back): read again. */
    private static boolean stale(Openers openers, Instant now) {
        return openers.loadedAt().plus(CACHE_LIFETIME).isBefore(now) || openers.loadedAt().isAfter(now);
    }

    private static OpenedBatch open(List<BatchOpener> candidates, byte[] sealed, PublicKey signer,
            UUID organizationId, UUID deviceId, long sequence) {
        UnableToOpenBatchException unknown = null;
        for (BatchOpener opener : candidates) {
            try {
                return opener.open(sealed, signer, organizationId, deviceId, sequence);
            } catch (UnableToOpenBatchException e) {
                if (e.reason() != UnableToOpenBatchException.Reason.UNKNOWN_KEY_ID) {
                    throw e; // it was this key's batch, and it is bad
                }
                unknown = e;
            }
        }
        throw unknown != null ? unknown : new UnableToOpenBatchException(UnableToOpenBatchException.Reason.UNKNOWN_KEY_ID,
                "the organization has no encryption key");
    }

    /**
     * Within the caller's transaction: replaces the organization's key with {@code next} and keeps the old one
     * (still sealed under the master key) in {@code retired_organization_keys}, so batches agents sealed before
     * they learnt the new certificate still open. Agents learn it from their next receipt.
     */
    void rotate(Handle handle, UUID organizationId, OrganizationKey next, Instant now) {
        int retired = handle.createUpdate("""
                INSERT INTO retired_organization_keys (organization_id, encryption_certificate_pem,
                                                       encryption_private_key, retired_at)
                SELECT id, encryption_certificate_pem, encryption_private_key, :now FROM organizations
                WHERE id = :id""")
                .bind("id", organizationId)
                .bind("now", now)
                .execute();
        if (retired == 0) {
            throw new NoSuchOrganizationException(organizationId);
        }
        handle.createUpdate("""
                UPDATE organizations SET encryption_certificate_pem = :certificate, encryption_private_key = :sealedKey
                WHERE id = :id""")
                .bind("id", organizationId)
                .bind("certificate", Pem.encode(next.certificate()))
                .bind("sealedKey", seal(organizationId, next.privateKey()))
                .execute();
        openers.remove(organizationId);
    }

    /** The organization's openers: the current key first, then retired ones, newest first. */
    private List<BatchOpener> load(UUID organizationId) {
        record StoredKey(String certificatePem, byte[] sealedKey) {
        }
        List<StoredKey> stored = jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT encryption_certificate_pem, encryption_private_key, 0 AS rank, NULL AS retired_at
                        FROM organizations WHERE id = :id
                        UNION ALL
                        SELECT encryption_certificate_pem, encryption_private_key, 1, retired_at
                        FROM retired_organization_keys WHERE organization_id = :id
                        ORDER BY rank, retired_at DESC""")
                .bind("id", organizationId)
                .map((rs, ctx) -> new StoredKey(rs.getString(1), rs.getBytes(2)))
                .list());
        if (stored.isEmpty()) {
            throw new NoSuchOrganizationException(organizationId);
        }
        List<BatchOpener> result = new ArrayList<>();
        for (StoredKey key : stored) {
            PrivateKey privateKey = Pem.privateKey(new String(masterKey.open(key.sealedKey(), context(organizationId)),
                    StandardCharsets.UTF_8));
            result.add(BatchOpener.create(privateKey, Pem.certificate(key.certificatePem())));
        }
        return List.copyOf(result);
    }

    private static String context(UUID organizationId) {
        return "xentracker organization private key " + organizationId;
    }
}
