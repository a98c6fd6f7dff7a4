package com.xentracker.server.admin;

import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.server.account.Account;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Setting up organizations, their owners and device enrollment. Used by the command line on first run, by tests and
 * (later) by the portal's administration pages. Every change is written to the audit log.
 */
public interface Administration extends DeviceDirectory, DataAdministration {

    /**
     * Creates an organization with a fresh encryption key pair. Devices encrypt their batches to its certificate; the
     * private key is stored encrypted under the server's master key.
     */
    Organization createOrganization(String name, ZoneId timeZone);

    /** The organization created first, if any: a single-organization installation's only one. */
    Optional<Organization> firstOrganization();

    /** The organization with this id. */
    Optional<Organization> organization(UUID organizationId);

    /**
     * Creates the organization's owner account. The password must have at least 12 characters; it is hashed with
     * Argon2id and the array is not kept.
     *
     * @throws com.xentracker.server.NoSuchOrganizationException when the organization does not exist
     * @throws com.xentracker.server.DuplicateAccountException  when the email address is taken
     * @throws com.xentracker.server.InvalidRequestException    for a malformed email address or a short password
     */
    Account createOwner(UUID organizationId, String email, char[] password);

    /**
     * Issues a token with which up to {@code maxUses} devices may enroll within {@code ttl}. The token is returned
     * only this once.
     */
    IssuedEnrollmentToken issueEnrollmentToken(UUID organizationId, Duration ttl, int maxUses);

    /** Revokes an enrollment token: no device can enroll with it any more. Devices already enrolled stay. */
    void revokeEnrollmentToken(UUID organizationId, UUID tokenId);

    /**
     * Revokes a device: its uploads are refused from now on. Its data stays.
     *
     * @throws com.xentracker.server.NoSuchDeviceException when the organization has no such device
     */
    void revokeDevice(UUID organizationId, UUID deviceId);

    /**
     * Rotates the organization's encryption key: devices seal new batches to the new certificate as soon as a
     * receipt tells them; the old private key is kept (encrypted under the master key) so that batches sealed to it
     * and still buffered on devices can be opened.
     *
     * @throws com.xentracker.server.NoSuchOrganizationException when the organization does not exist
     */
    void rotateOrganizationKey(UUID organizationId);

    /**
     * The organization's collection policy: {@link CollectionPolicy#defaults()} with version 0 until one is set.
     * Devices receive it when they enroll and with every upload receipt.
     *
     * @throws com.xentracker.server.NoSuchOrganizationException when the organization does not exist
     */
    CollectionPolicy policy(UUID organizationId);

    /**
     * Replaces the organization's collection policy. The server assigns the version (the previous one plus 1; the
     * given policy's version is ignored), so agents can tell the new policy from their cached one; they learn it with
     * their next upload.
     *
     * @return the policy as stored, with its new version
     * @throws com.xentracker.server.InvalidRequestException    when the idle threshold is outside 30 s to 1 h, a
     *         redaction rule is empty, matches the empty text or has a replacement naming a group its pattern lacks,
     *         working hours overlap or have no interval at all, or a limit is exceeded (100 redaction rules, 1000
     *         excluded applications of at most 255 characters, 24 intervals per day)
     * @throws com.xentracker.server.NoSuchOrganizationException when the organization does not exist
     */
    CollectionPolicy updatePolicy(UUID organizationId, CollectionPolicy policy);

    /**
     * The organization's devices, revoked ones included, by host name, with what each agent last reported about
     * itself.
     *
     * @throws com.xentracker.server.NoSuchOrganizationException when the organization does not exist
     */
    @Override
    List<DeviceSummary> devices(UUID organizationId);
}
