package com.xentracker.server.tenant;

import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.NoSuchDeviceException;
import com.xentracker.server.NoSuchOrganizationException;
import com.xentracker.server.account.Account;
import com.xentracker.server.account.Role;
import com.xentracker.server.admin.Administration;
import com.xentracker.server.admin.DataAdministration;
import com.xentracker.server.admin.DeviceSummary;
import com.xentracker.server.admin.IssuedEnrollmentToken;
import com.xentracker.server.admin.Organization;
import com.xentracker.server.auditing.DatabaseAuditLog;
import com.xentracker.server.crypto.SecretTokens;
import com.xentracker.server.signin.DatabaseAccounts;
import com.xentracker.transport.pki.OrganizationKey;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.CaptureState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

/** {@link Administration} over the database; each change and its audit entry commit together. */
public final class DatabaseAdministration implements Administration {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseAdministration.class);
    private static final Duration MAX_TOKEN_TTL = Duration.ofDays(365);
    private static final int MAX_TOKEN_USES = 1_000_000;
    private static final RowMapper<Organization> ORGANIZATION = (rs, ctx) -> new Organization(
            rs.getObject("id", UUID.class), rs.getString("name"), ZoneId.of(rs.getString("time_zone")),
            rs.getObject("created_at", OffsetDateTime.class).toInstant());

    private static final RowMapper<DeviceSummary> DEVICE = (rs, ctx) -> new DeviceSummary(
            rs.getObject("id", UUID.class), rs.getString("hostname"), rs.getString("operating_system"),
            rs.getString("os_user"), rs.getString("agent_version"), CaptureState.valueOf(rs.getString("capture_state")),
            rs.getString("capture_detail"), rs.getLong("policy_version"),
            rs.getObject("enrolled_at", OffsetDateTime.class).toInstant(),
            rs.getObject("last_seen_at", OffsetDateTime.class).toInstant(), rs.getBoolean("revoked"),
            Optional.ofNullable(rs.getObject("clock_skew_ms", Long.class)).map(java.time.Duration::ofMillis));

    private final Jdbi jdbi;
    private final OrganizationKeys keys;
    private final DatabaseAccounts accounts;
    private final DatabaseAuditLog audit;
    private final SecretTokens tokens;
    private final Policies policies;
    private final Clock clock;
    /** People, categories, retention and deletion (issue 6). */
    private final DatabaseDataAdministration data;

    private DatabaseAdministration(Jdbi jdbi, OrganizationKeys keys, DatabaseAccounts accounts,
            DatabaseAuditLog audit, SecretTokens tokens, Policies policies, Clock clock) {
        this.jdbi = jdbi;
        this.keys = keys;
        this.accounts = accounts;
        this.audit = audit;
        this.tokens = tokens;
        this.policies = policies;
        this.clock = clock;
        this.data = new DatabaseDataAdministration(jdbi, audit, clock);
    }

    public static DatabaseAdministration create(Jdbi jdbi, OrganizationKeys keys, DatabaseAccounts accounts,
            DatabaseAuditLog audit, SecretTokens tokens, Policies policies, Clock clock) {
        return new DatabaseAdministration(jdbi, keys, accounts, audit, tokens, policies, clock);
    }

    @Override
    public Organization createOrganization(String name, ZoneId timeZone) {
        Objects.requireNonNull(timeZone, "timeZone");
        if (name == null || name.isBlank() || name.strip().length() > 200) {
            throw new InvalidRequestException("an organization's name has between 1 and 200 characters");
        }
        Organization organization = new Organization(UUID.randomUUID(), name.strip(), timeZone, now());
        OrganizationKey key = OrganizationKey.generate(organization.name(), clock);
        jdbi.useTransaction(handle -> {
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
            audit.record(handle, organization.id(), Optional.empty(), "create-organization",
                    "organization " + organization.id());
        });
        LOG.info("Created organization {}", organization.id());
        return organization;
    }

    @Override
    public Optional<Organization> firstOrganization() {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT id, name, time_zone, created_at FROM organizations ORDER BY created_at, id LIMIT 1")
                .map(ORGANIZATION)
                .findOne());
    }

    @Override
    public Optional<Organization> organization(UUID organizationId) {
        Objects.requireNonNull(organizationId, "organizationId");
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT id, name, time_zone, created_at FROM organizations WHERE id = :id")
                .bind("id", organizationId)
                .map(ORGANIZATION)
                .findOne());
    }

    @Override
    public Account createOwner(UUID organizationId, String email, char[] password) {
        return jdbi.inTransaction(handle -> {
            requireOrganization(handle, organizationId);
            Account account = accounts.create(handle, organizationId, email, password, Role.OWNER);
            audit.record(handle, organizationId, Optional.empty(), "create-account",
                    "account " + account.id() + " (" + Role.OWNER + ")");
            return account;
        });
    }

    @Override
    public IssuedEnrollmentToken issueEnrollmentToken(UUID organizationId, Duration ttl, int maxUses) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TOKEN_TTL) > 0) {
            throw new InvalidRequestException("an enrollment token lives between 1 second and 365 days");
        }
        if (maxUses < 1 || maxUses > MAX_TOKEN_USES) {
            throw new InvalidRequestException("an enrollment token allows between 1 and " + MAX_TOKEN_USES + " uses");
        }
        String token = tokens.generate();
        Instant now = now();
        IssuedEnrollmentToken issued = new IssuedEnrollmentToken(UUID.randomUUID(), organizationId, token,
                now.plus(ttl), maxUses);
        jdbi.useTransaction(handle -> {
            requireOrganization(handle, organizationId);
            handle.createUpdate("""
                    INSERT INTO enrollment_tokens (organization_id, id, token_hash, created_at, expires_at, max_uses)
                    VALUES (:organization, :id, :hash, :now, :expires, :maxUses)""")
                    .bind("organization", organizationId)
                    .bind("id", issued.id())
                    .bind("hash", SecretTokens.hash(token))
                    .bind("now", now)
                    .bind("expires", issued.expiresAt())
                    .bind("maxUses", maxUses)
                    .execute();
            audit.record(handle, organizationId, Optional.empty(), "issue-enrollment-token",
                    "enrollment token " + issued.id() + " for " + maxUses + " device(s) until " + issued.expiresAt());
        });
        return issued;
    }

    @Override
    public void revokeEnrollmentToken(UUID organizationId, UUID tokenId) {
        Objects.requireNonNull(tokenId, "tokenId");
        revoke(Revocable.ENROLLMENT_TOKEN, organizationId, tokenId,
                () -> new InvalidRequestException("no enrollment token " + tokenId + " in this organization"));
    }

    @Override
    public void revokeDevice(UUID organizationId, UUID deviceId) {
        Objects.requireNonNull(deviceId, "deviceId");
        revoke(Revocable.DEVICE, organizationId, deviceId, () -> new NoSuchDeviceException(deviceId));
    }

    @Override
    public void rotateOrganizationKey(UUID organizationId) {
        Objects.requireNonNull(organizationId, "organizationId");
        String name = jdbi.withHandle(handle -> handle.createQuery("SELECT name FROM organizations WHERE id = :id")
                .bind("id", organizationId).mapTo(String.class).findOne())
                .orElseThrow(() -> new NoSuchOrganizationException(organizationId));
        OrganizationKey next = OrganizationKey.generate(name, clock); // key generation outside the transaction
        jdbi.useTransaction(handle -> {
            keys.rotate(handle, organizationId, next, now());
            audit.record(handle, organizationId, Optional.empty(), "rotate-organization-key",
                    "organization " + organizationId);
        });
        LOG.info("Rotated the encryption key of organization {}", organizationId);
    }

    /** What can be revoked: its table (a constant, never input), its audit action and how the audit names it. */
    private enum Revocable {
        ENROLLMENT_TOKEN("enrollment_tokens", "revoke-enrollment-token", "enrollment token "),
        DEVICE("devices", "revoke-device", "device ");

        final String table;
        final String action;
        final String subject;

        Revocable(String table, String action, String subject) {
            this.table = table;
            this.action = action;
            this.subject = subject;
        }
    }

    /**
     * Revokes a row of the organization once and audits it; revoking again is a no-op, and an id unknown in this
     * organization throws what {@code missing} makes.
     */
    private void revoke(Revocable what, UUID organizationId, UUID id,
            java.util.function.Supplier<? extends RuntimeException> missing) {
        jdbi.useTransaction(handle -> {
            int revoked = handle.createUpdate("UPDATE " + what.table + " SET revoked_at = :now"
                            + " WHERE organization_id = :organization AND id = :id AND revoked_at IS NULL")
                    .bind("now", clock.instant())
                    .bind("organization", organizationId)
                    .bind("id", id)
                    .execute();
            if (revoked == 0) {
                boolean exists = handle.createQuery(
                                "SELECT 1 FROM " + what.table + " WHERE organization_id = :organization AND id = :id")
                        .bind("organization", organizationId)
                        .bind("id", id)
                        .mapTo(Integer.class)
                        .findOne().isPresent();
                if (!exists) {
                    throw missing.get();
                }
                return;
            }
            audit.record(handle, organizationId, Optional.empty(), what.action, what.subject + id);
        });
    }

    @Override
    public CollectionPolicy policy(UUID organizationId) {
        Objects.requireNonNull(organizationId, "organizationId");
        return jdbi.withHandle(handle -> policies.current(handle, organizationId));
    }

    @Override
    public CollectionPolicy updatePolicy(UUID organizationId, CollectionPolicy policy) {
        Objects.requireNonNull(organizationId, "organizationId");
        CollectionPolicy stored = jdbi.inTransaction(handle -> {
            CollectionPolicy replaced = policies.replace(handle, organizationId, policy);
            audit.record(handle, organizationId, Optional.empty(), "update-collection-policy",
                    "collection policy version " + replaced.version());
            return replaced;
        });
        LOG.info("Organization {} collects by policy version {} from now on", organizationId, stored.version());
        return stored;
    }

    @Override
    public List<DeviceSummary> devices(UUID organizationId) {
        return jdbi.inTransaction(handle -> {
            requireOrganization(handle, organizationId);
            return handle.createQuery("""
                            SELECT d.id, d.hostname, d.operating_system, d.os_user, d.agent_version, d.capture_state,
                                   d.capture_detail, d.policy_version, d.enrolled_at, d.last_seen_at,
                                   d.revoked_at IS NOT NULL AS revoked, newest.clock_skew_ms
                            FROM devices d
                            -- the skew the device's newest stored batch reported (NULL: it did not say its time)
                            LEFT JOIN LATERAL (
                                SELECT a.clock_skew_ms FROM batch_arrivals a
                                WHERE a.organization_id = d.organization_id AND a.device_id = d.id
                                ORDER BY a.sequence DESC LIMIT 1) newest ON true
                            WHERE d.organization_id = :organization ORDER BY d.hostname, d.id""")
                    .bind("organization", organizationId)
                    .map(DEVICE)
                    .list();
        });
    }

    /** Microseconds, as PostgreSQL stores them, so that what we return equals what we read back later. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static void requireOrganization(Handle handle, UUID organizationId) {
        Objects.requireNonNull(organizationId, "organizationId");
        boolean exists = handle.createQuery("SELECT 1 FROM organizations WHERE id = :id")
                .bind("id", organizationId)
                .mapTo(Integer.class)
                .findOne().isPresent();
        if (!exists) {
            throw new NoSuchOrganizationException(organizationId);
        }
    }

    /**
     * The {@link DataAdministration} half on its own, for front ends: an object that is not an {@link
     * Administration}, so they cannot cast their way to creating owners, tokens or policies.
     */
    public DataAdministration data() {
        return data;
    }

    // --- DataAdministration: delegated -------------------------------------------------------------------------

    @Override
    public com.xentracker.server.admin.Person createPerson(UUID organizationId, String displayName) {
        return data.createPerson(organizationId, displayName);
    }

    @Override
    public List<com.xentracker.server.admin.Person> people(UUID organizationId) {
        return data.people(organizationId);
    }

    @Override
    public List<com.xentracker.server.admin.DeviceUser> deviceUsers(UUID organizationId) {
        return data.deviceUsers(organizationId);
    }

    @Override
    public void assignPerson(UUID organizationId, UUID deviceId, String osUser, UUID personId) {
        data.assignPerson(organizationId, deviceId, osUser, personId);
    }

    @Override
    public void deletePerson(UUID organizationId, UUID personId) {
        data.deletePerson(organizationId, personId);
    }

    @Override
    public void deleteDevice(UUID organizationId, UUID deviceId) {
        data.deleteDevice(organizationId, deviceId);
    }

    @Override
    public com.xentracker.server.admin.Category createCategory(UUID organizationId, String name) {
        return data.createCategory(organizationId, name);
    }

    @Override
    public List<com.xentracker.server.admin.Category> categories(UUID organizationId) {
        return data.categories(organizationId);
    }

    @Override
    public com.xentracker.server.admin.CategoryRule addCategoryRule(UUID organizationId, UUID categoryId,
            com.xentracker.server.admin.CategoryRule.Kind kind, String pattern) {
        return data.addCategoryRule(organizationId, categoryId, kind, pattern);
    }

    @Override
    public void deleteCategoryRule(UUID organizationId, UUID ruleId) {
        data.deleteCategoryRule(organizationId, ruleId);
    }

    @Override
    public com.xentracker.server.admin.RetentionSettings retention(UUID organizationId) {
        return data.retention(organizationId);
    }

    @Override
    public com.xentracker.server.admin.RetentionSettings updateRetention(UUID organizationId,
            com.xentracker.server.admin.RetentionSettings settings) {
        return data.updateRetention(organizationId, settings);
    }
}
