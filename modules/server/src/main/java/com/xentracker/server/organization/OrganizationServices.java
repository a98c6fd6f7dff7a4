package com.xentracker.server.organization;

import com.xentracker.server.access.Action;
import com.xentracker.server.access.Guard;
import com.xentracker.server.audit.ActorKind;
import com.xentracker.server.audit.Outcome;
import com.xentracker.server.audit.Subject;
import com.xentracker.transport.pki.OrganizationKey;
import com.xentracker.transport.pki.Pem;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The organization concept as the server wires it: the use cases for signed-in accounts ({@link #organizations()})
 * and what only the host's operator does: create organizations and look them up across the installation. Made once by
 * the server; front ends never get this object.
 */
public final class OrganizationServices {

    private static final Logger LOG = LoggerFactory.getLogger(OrganizationServices.class);
    private static final RowMapper<Organization> ORGANIZATION = (rs, ctx) -> new Organization(
            rs.getObject("id", UUID.class), rs.getString("name"), ZoneId.of(rs.getString("time_zone")),
            rs.getObject("created_at", OffsetDateTime.class).toInstant());

    private final Jdbi jdbi;
    private final Guard guard;
    private final OrganizationKeys keys;
    private final Clock clock;
    private final DatabaseOrganizations organizations;

    private OrganizationServices(Jdbi jdbi, Guard guard, OrganizationKeys keys, Policies policies, Clock clock) {
        this.jdbi = jdbi;
        this.guard = guard;
        this.keys = keys;
        this.clock = clock;
        this.organizations = new DatabaseOrganizations(guard, keys, policies, clock);
    }

    public static OrganizationServices create(Jdbi jdbi, Guard guard, OrganizationKeys keys, Policies policies,
            Clock clock) {
        return new OrganizationServices(jdbi, guard, keys, policies, clock);
    }

    public Organizations organizations() {
        return organizations;
    }

    /**
     * Creates an organization with a fresh encryption key pair (the operator's act). Devices encrypt their batches to
     * its certificate; the private key is stored encrypted under the server's master key.
     *
     * @throws com.xentracker.server.InvalidRequestException for a name outside 1 to 200 characters
     */
    public Organization create(String name, ZoneId timeZone) {
        Organization organization = jdbi.inTransaction(handle -> create(handle, name, timeZone));
        LOG.info("Created organization {}", organization.id());
        return organization;
    }

    /**
     * Creates an organization in the caller's transaction, so that the operator can create it together with its
     * first owner (both or neither); see {@link #create(String, ZoneId)}.
     */
    public Organization create(Handle handle, String name, ZoneId timeZone) {
        Objects.requireNonNull(timeZone, "timeZone");
        String checked = DatabaseOrganizations.checkedName(name);
        Organization organization = new Organization(UUID.randomUUID(), checked, timeZone,
                clock.instant().truncatedTo(ChronoUnit.MICROS));
        // The certificate names the organization's id, not its name: anyone holding a device id may fetch the
        // certificate (an agent told unknown-key-id asks for it), and the name is the organization's own business.
        OrganizationKey key = OrganizationKey.generate("organization " + organization.id(), clock);
        handle.createUpdate("""
                INSERT INTO organizations (id, name, time_zone, encryption_certificate_pem,
                                           encryption_private_key, created_at)
                VALUES (:id, :name, :zone, :certificate, :sealedKey, :now)""")
                .bind("id", organization.id())
                .bind("name", organization.name())
                .bind("zone", timeZone.getId())
                .bind("certificate", Pem.encode(key.certificate()))
                .bind("sealedKey", keys.seal(organization.id(), key.privateKey()))
                .bind("now", organization.createdAt())
                .execute();
        guard.record(handle, organization.id(), ActorKind.OPERATOR, Optional.empty(), Action.CREATE_ORGANIZATION,
                Subject.of("organization " + organization.id()), Outcome.SUCCESS);
        return organization;
    }

    /** Every organization of the installation, oldest first. */
    public List<Organization> list() {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT id, name, time_zone, created_at FROM organizations ORDER BY created_at, id")
                .map(ORGANIZATION)
                .list());
    }

    /**
     * Every organization of the installation with how many devices and accounts it has, oldest first: the host
     * operator's overview (the command line's {@code organization list}); never shown to an organization's accounts.
     */
    public List<OrganizationSummary> summaries() {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT o.id, o.name, o.time_zone, o.created_at,
                               (SELECT count(*) FROM devices d
                                WHERE d.organization_id = o.id AND d.revoked_at IS NULL) AS devices,
                               (SELECT count(*) FROM devices d
                                WHERE d.organization_id = o.id AND d.revoked_at IS NOT NULL) AS revoked_devices,
                               (SELECT count(*) FROM accounts a WHERE a.organization_id = o.id) AS accounts
                        FROM organizations o ORDER BY o.created_at, o.id""")
                .map((rs, ctx) -> new OrganizationSummary(ORGANIZATION.map(rs, ctx), rs.getInt("devices"),
                        rs.getInt("revoked_devices"), rs.getInt("accounts")))
                .list());
    }

    /** The organization with this id. */
    public Optional<Organization> find(UUID organizationId) {
        Objects.requireNonNull(organizationId, "organizationId");
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT id, name, time_zone, created_at FROM organizations WHERE id = :id")
                .bind("id", organizationId)
                .map(ORGANIZATION)
                .findOne());
    }

    /** The organization created first, if any: a single-organization installation's only one. */
    public Optional<Organization> first() {
        return list().stream().findFirst();
    }

    /** Parses an IANA zone name, refusing others with a clear message. */
    public static ZoneId zone(String id) {
        return DatabaseOrganizations.zone(id);
    }
}
