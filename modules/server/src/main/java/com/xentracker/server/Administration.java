package com.xentracker.server;

import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.organization.OrganizationSummary;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What the host's operator does: the person who runs the server and holds its data directory and master key, through
 * the command line ({@code ServerMain}), first-run set-up and tests. Never handed to front ends.
 *
 * <p>The operator sets up organizations and their first owners; for everything else it acts inside one organization
 * as {@link #operator(UUID)} through the same use cases front ends call ({@link XentrackerServer#services()}), so the
 * same checks apply and its actions are audit-logged as the operator's.
 */
public interface Administration {

    /**
     * Creates an organization with a fresh encryption key pair. Devices encrypt their batches to its certificate; the
     * private key is stored encrypted under the server's master key.
     *
     * @throws InvalidRequestException for a name outside 1 to 200 characters
     */
    Organization createOrganization(String name, ZoneId timeZone);

    /**
     * Creates an organization (as {@link #createOrganization(String, ZoneId)}) together with its first owner (as
     * {@link #createOwner}) in one transaction: both or neither, so that a refused e-mail address or password never
     * leaves an organization nobody can sign in to.
     *
     * @throws InvalidRequestException   for a name outside 1 to 200 characters, a malformed e-mail address or a short
     *                                   password
     * @throws DuplicateAccountException when the e-mail address is taken (in any organization of the host)
     */
    Organization createOrganization(String name, ZoneId timeZone, String ownerEmail, char[] ownerPassword);

    /** Every organization the installation serves, oldest first. */
    List<Organization> organizations();

    /** Every organization with its device and account counts, oldest first: the operator's overview. */
    List<OrganizationSummary> organizationSummaries();

    /** The organization created first, if any: a single-organization installation's only one. */
    Optional<Organization> firstOrganization();

    /** The organization with this id. */
    Optional<Organization> organization(UUID organizationId);

    /**
     * Creates an owner account with a password. The password must have at least 12 characters; it is hashed with
     * Argon2id and the array is not kept.
     *
     * @throws NoSuchOrganizationException when the organization does not exist
     * @throws DuplicateAccountException   when the email address is taken
     * @throws InvalidRequestException     for a malformed email address or a short password
     */
    Account createOwner(UUID organizationId, String email, char[] password);

    /**
     * Creates an account of any role with a password, like {@link #createOwner} (e.g. a first auditor on a host whose
     * owners have not signed in yet). Owners invite everyone else through the portal.
     */
    Account createAccount(UUID organizationId, String email, char[] password, Role role);

    /**
     * Creates a person's self-service account ({@link Role#SELF}) with a password, active at once (it signs in only
     * while the organization has self-service turned on). Owners and administrators invite them through the portal.
     *
     * @throws NotFoundException  when the organization has no such person
     * @throws ConflictException  when the person has a self-service account already
     */
    Account createSelfAccount(UUID organizationId, UUID personId, String email, char[] password);

    /** The operator acting in an organization, for the use cases of {@link XentrackerServer#services()}. */
    Actor operator(UUID organizationId);
}
