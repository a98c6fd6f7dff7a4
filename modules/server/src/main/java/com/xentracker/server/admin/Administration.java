package com.xentracker.server.admin;

import com.xentracker.server.account.Account;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;
import java.util.UUID;

/**
 * Setting up organizations, their owners and device enrollment. Used by the command line on first run, by tests and
 * (later) by the portal's administration pages. Every change is written to the audit log.
 */
public interface Administration {

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
}
