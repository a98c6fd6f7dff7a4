package com.xentracker.server.tenant;

import com.xentracker.server.NoSuchOrganizationException;
import com.xentracker.server.crypto.MasterKey;
import com.xentracker.transport.envelope.BatchOpener;
import com.xentracker.transport.pki.Pem;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;

/**
 * Organization encryption keys: sealing a new private key for the {@code organizations} table, and opening batches
 * with it. Decrypted keys stay in memory for the life of the server (they never change), so that an upload costs no
 * master-key decryption.
 */
public final class OrganizationKeys {

    private final Jdbi jdbi;
    private final MasterKey masterKey;
    private final Map<UUID, BatchOpener> openers = new ConcurrentHashMap<>();

    private OrganizationKeys(Jdbi jdbi, MasterKey masterKey) {
        this.jdbi = jdbi;
        this.masterKey = masterKey;
    }

    public static OrganizationKeys create(Jdbi jdbi, MasterKey masterKey) {
        return new OrganizationKeys(jdbi, masterKey);
    }

    /** The private key as stored: PKCS#8 PEM sealed under the master key, bound to the organization's id. */
    byte[] seal(UUID organizationId, PrivateKey privateKey) {
        return masterKey.seal(Pem.encodePrivateKey(privateKey).getBytes(StandardCharsets.UTF_8),
                context(organizationId));
    }

    /** Opens batches sent to this organization. */
    public BatchOpener opener(UUID organizationId) {
        return openers.computeIfAbsent(organizationId, id -> BatchOpener.create(privateKey(id)));
    }

    /** The certificate devices encrypt to, as PEM. */
    public String certificatePem(UUID organizationId) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT encryption_certificate_pem FROM organizations WHERE id = :id")
                .bind("id", organizationId)
                .mapTo(String.class)
                .findOne())
                .orElseThrow(() -> new NoSuchOrganizationException(organizationId));
    }

    private PrivateKey privateKey(UUID organizationId) {
        byte[] sealed = jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT encryption_private_key FROM organizations WHERE id = :id")
                .bind("id", organizationId)
                .mapTo(byte[].class)
                .findOne())
                .orElseThrow(() -> new NoSuchOrganizationException(organizationId));
        return Pem.privateKey(new String(masterKey.open(sealed, context(organizationId)), StandardCharsets.UTF_8));
    }

    private static String context(UUID organizationId) {
        return "xentracker organization private key " + organizationId;
    }
}
