package com.xentracker.server.tenant;

import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.NoSuchDeviceException;
import com.xentracker.server.NoSuchOrganizationException;
import com.xentracker.server.admin.Category;
import com.xentracker.server.admin.CategoryRule;
import com.xentracker.server.admin.DataAdministration;
import com.xentracker.server.admin.DeviceUser;
import com.xentracker.server.admin.Person;
import com.xentracker.server.admin.RetentionSettings;
import com.xentracker.server.auditing.DatabaseAuditLog;
import com.xentracker.server.rollup.RollupMoves;
import com.xentracker.server.rollup.TenantSql;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link DataAdministration} over the database; every statement is scoped through {@link TenantSql}. */
final class DatabaseDataAdministration implements DataAdministration {

    private static final RowMapper<Person> PERSON = (rs, ctx) -> new Person(rs.getObject("id", UUID.class),
            rs.getString("display_name"), Optional.ofNullable(rs.getString("login")),
            rs.getObject("created_at", OffsetDateTime.class).toInstant());

    /**
     * Deleting rollups marks each (day, device) they had for the dashboard's summaries, in the same statement, so that
     * those days are read from the rollups until the summarizing job has recomputed them (see DailyRollups.addTo for
     * why the mark's conflict does a no-op update instead of nothing).
     */
    private static final String ROLLUPS_DELETED_AND_MARKED =
            "WITH deleted AS (DELETE FROM rollups WHERE organization_id = :organization AND ";
    private static final String MARK_DELETED = """
             RETURNING day, device_id, active_ms)
            INSERT INTO rollup_changes (organization_id, day, device_id)
            SELECT DISTINCT :organization, day, device_id FROM deleted WHERE active_ms > 0
            ON CONFLICT (organization_id, day, device_id) DO UPDATE SET day = EXCLUDED.day""";

    private final Jdbi jdbi;
    private final DatabaseAuditLog audit;
    private final Clock clock;

    DatabaseDataAdministration(Jdbi jdbi, DatabaseAuditLog audit, Clock clock) {
        this.jdbi = jdbi;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public Person createPerson(UUID organizationId, String displayName) {
        String name = displayName == null ? "" : displayName.strip();
        if (name.isEmpty() || name.length() > 200) {
            throw new InvalidRequestException("a person's name has between 1 and 200 characters");
        }
        Person person = new Person(UUID.randomUUID(), name, Optional.empty(), now());
        jdbi.useTransaction(handle -> {
            requireOrganization(handle, organizationId);
            TenantSql.update(handle, organizationId, """
                            INSERT INTO people (organization_id, id, display_name, created_at)
                            VALUES (:organization, :id, :name, :now)""")
                    .bind("id", person.id())
                    .bind("name", name)
                    .bind("now", person.createdAt())
                    .execute();
            audit.record(handle, organizationId, Optional.empty(), "create-person", "person " + person.id());
        });
        return person;
    }

    @Override
    public List<Person> people(UUID organizationId) {
        return jdbi.withHandle(handle -> TenantSql.query(handle, organizationId, """
                        SELECT id, display_name, login, created_at FROM people
                        WHERE organization_id = :organization ORDER BY display_name, id""")
                .map(PERSON)
                .list());
    }

    @Override
    public List<DeviceUser> deviceUsers(UUID organizationId) {
        return jdbi.withHandle(handle -> TenantSql.query(handle, organizationId, """
                        SELECT device_id, os_user, person_id FROM device_users
                        WHERE organization_id = :organization ORDER BY device_id, os_user""")
                .map((rs, ctx) -> new DeviceUser(rs.getObject(1, UUID.class), rs.getString(2),
                        rs.getObject(3, UUID.class)))
                .list());
    }

    @Override
    public void assignPerson(UUID organizationId, UUID deviceId, String osUser, UUID personId) {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(osUser, "osUser");
        Objects.requireNonNull(personId, "personId");
        jdbi.useTransaction(handle -> {
            Optional<String> deviceUser = TenantSql.query(handle, organizationId,
                            "SELECT os_user FROM devices WHERE organization_id = :organization AND id = :device FOR UPDATE")
                    .bind("device", deviceId)
                    .mapTo(String.class)
                    .findOne();
            if (deviceUser.isEmpty()) {
                throw new NoSuchDeviceException(deviceId);
            }
            requirePerson(handle, organizationId, personId);
            TenantSql.update(handle, organizationId, """
                            INSERT INTO device_users (organization_id, device_id, os_user, person_id)
                            VALUES (:organization, :device, :user, :person)
                            ON CONFLICT (organization_id, device_id, os_user) DO UPDATE SET person_id = :person""")
                    .bind("device", deviceId)
                    .bind("user", osUser)
                    .bind("person", personId)
                    .execute();
            // Spans carry the person of the device's account; the device reports for its enrolled OS user only.
            if (deviceUser.get().equals(osUser)) {
                TenantSql.update(handle, organizationId, """
                                UPDATE spans SET person_id = :person
                                WHERE organization_id = :organization AND device_id = :device AND person_id <> :person""")
                        .bind("device", deviceId)
                        .bind("person", personId)
                        .execute();
                RollupMoves.moveDevice(handle, organizationId, deviceId, personId);
            }
            audit.record(handle, organizationId, Optional.empty(), "assign-person",
                    "device " + deviceId + " account to person " + personId);
        });
    }

    @Override
    public void deletePerson(UUID organizationId, UUID personId) {
        Objects.requireNonNull(personId, "personId");
        jdbi.useTransaction(handle -> {
            requirePerson(handle, organizationId, personId);
            for (String sql : List.of(
                    "DELETE FROM spans WHERE organization_id = :organization AND person_id = :person",
                    ROLLUPS_DELETED_AND_MARKED + "person_id = :person" + MARK_DELETED,
                    "DELETE FROM device_users WHERE organization_id = :organization AND person_id = :person",
                    "DELETE FROM people WHERE organization_id = :organization AND id = :person")) {
                TenantSql.update(handle, organizationId, sql).bind("person", personId).execute();
            }
            audit.record(handle, organizationId, Optional.empty(), "delete-person", "person " + personId);
        });
    }

    @Override
    public void deleteDevice(UUID organizationId, UUID deviceId) {
        Objects.requireNonNull(deviceId, "deviceId");
        jdbi.useTransaction(handle -> {
            boolean exists = TenantSql.query(handle, organizationId,
                            "SELECT 1 FROM devices WHERE organization_id = :organization AND id = :device FOR UPDATE")
                    .bind("device", deviceId)
                    .mapTo(Integer.class)
                    .findOne().isPresent();
            if (!exists) {
                throw new NoSuchDeviceException(deviceId);
            }
            for (String sql : List.of(
                    "DELETE FROM spans WHERE organization_id = :organization AND device_id = :device",
                    "DELETE FROM gaps WHERE organization_id = :organization AND device_id = :device",
                    ROLLUPS_DELETED_AND_MARKED + "device_id = :device" + MARK_DELETED,
                    "DELETE FROM device_users WHERE organization_id = :organization AND device_id = :device",
                    // what transport kept per batch (arrival, clock skew, sequence holes); the device's key stays in
                    // enrolled_device_keys so that it can never enroll again
                    "DELETE FROM batch_arrivals WHERE organization_id = :organization AND device_id = :device",
                    "DELETE FROM sequence_gaps WHERE organization_id = :organization AND device_id = :device",
                    "DELETE FROM batches WHERE organization_id = :organization AND device_id = :device",
                    "DELETE FROM devices WHERE organization_id = :organization AND id = :device")) {
                TenantSql.update(handle, organizationId, sql).bind("device", deviceId).execute();
            }
            audit.record(handle, organizationId, Optional.empty(), "delete-device", "device " + deviceId);
        });
    }

    @Override
    public Category createCategory(UUID organizationId, String name) {
        String stripped = name == null ? "" : name.strip();
        if (stripped.isEmpty() || stripped.length() > 100) {
            throw new InvalidRequestException("a category's name has between 1 and 100 characters");
        }
        UUID id = UUID.randomUUID();
        jdbi.useTransaction(handle -> {
            requireOrganization(handle, organizationId);
            int inserted = TenantSql.update(handle, organizationId, """
                            INSERT INTO categories (organization_id, id, name) VALUES (:organization, :id, :name)
                            ON CONFLICT (organization_id, name) DO NOTHING""")
                    .bind("id", id)
                    .bind("name", stripped)
                    .execute();
            if (inserted == 0) {
                throw new InvalidRequestException("the organization has a category of that name already");
            }
            audit.record(handle, organizationId, Optional.empty(), "create-category", "category " + id);
        });
        return new Category(id, stripped, List.of());
    }

    @Override
    public List<Category> categories(UUID organizationId) {
        return jdbi.withHandle(handle -> {
            Map<UUID, String> names = new LinkedHashMap<>();
            TenantSql.query(handle, organizationId,
                            "SELECT id, name FROM categories WHERE organization_id = :organization ORDER BY name, id")
                    .map((rs, ctx) -> Map.entry(rs.getObject(1, UUID.class), rs.getString(2)))
                    .forEach(entry -> names.put(entry.getKey(), entry.getValue()));
            List<CategoryRule> rules = TenantSql.query(handle, organizationId, """
                            SELECT id, category_id, kind, pattern FROM category_rules
                            WHERE organization_id = :organization ORDER BY kind, pattern""")
                    .map((rs, ctx) -> new CategoryRule(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            CategoryRule.Kind.valueOf(rs.getString(3)), rs.getString(4)))
                    .list();
            return names.entrySet().stream().map(entry -> new Category(entry.getKey(), entry.getValue(),
                    rules.stream().filter(rule -> rule.categoryId().equals(entry.getKey())).toList())).toList();
        });
    }

    @Override
    public CategoryRule addCategoryRule(UUID organizationId, UUID categoryId, CategoryRule.Kind kind,
            String pattern) {
        Objects.requireNonNull(categoryId, "categoryId");
        Objects.requireNonNull(kind, "kind");
        String normalized = pattern == null ? "" : pattern.strip().toLowerCase(Locale.ROOT);
        if (normalized.isEmpty() || normalized.length() > 255) {
            throw new InvalidRequestException("a rule's pattern has between 1 and 255 characters");
        }
        CategoryRule rule = new CategoryRule(UUID.randomUUID(), categoryId, kind, normalized);
        jdbi.useTransaction(handle -> {
            boolean category = TenantSql.query(handle, organizationId,
                            "SELECT 1 FROM categories WHERE organization_id = :organization AND id = :id")
                    .bind("id", categoryId)
                    .mapTo(Integer.class)
                    .findOne().isPresent();
            if (!category) {
                throw new InvalidRequestException("the organization has no category " + categoryId);
            }
            int inserted = TenantSql.update(handle, organizationId, """
                            INSERT INTO category_rules (organization_id, id, category_id, kind, pattern)
                            VALUES (:organization, :id, :category, :kind, :pattern)
                            ON CONFLICT (organization_id, kind, pattern) DO NOTHING""")
                    .bind("id", rule.id())
                    .bind("category", categoryId)
                    .bind("kind", kind.name())
                    .bind("pattern", normalized)
                    .execute();
            if (inserted == 0) {
                throw new InvalidRequestException("another rule has this pattern already");
            }
            requestRecompute(handle, organizationId);
            audit.record(handle, organizationId, Optional.empty(), "add-category-rule", "category rule " + rule.id());
        });
        return rule;
    }

    @Override
    public void deleteCategoryRule(UUID organizationId, UUID ruleId) {
        Objects.requireNonNull(ruleId, "ruleId");
        jdbi.useTransaction(handle -> {
            int deleted = TenantSql.update(handle, organizationId,
                            "DELETE FROM category_rules WHERE organization_id = :organization AND id = :id")
                    .bind("id", ruleId)
                    .execute();
            if (deleted == 0) {
                throw new InvalidRequestException("the organization has no category rule " + ruleId);
            }
            requestRecompute(handle, organizationId);
            audit.record(handle, organizationId, Optional.empty(), "delete-category-rule", "category rule " + ruleId);
        });
    }

    @Override
    public RetentionSettings retention(UUID organizationId) {
        return jdbi.withHandle(handle -> TenantSql.query(handle, organizationId, """
                        SELECT span_retention_days, rollup_retention_months, audit_retention_days
                        FROM organizations WHERE id = :organization""")
                .map((rs, ctx) -> new RetentionSettings(rs.getInt(1), rs.getInt(2), rs.getInt(3)))
                .findOne()
                .orElseThrow(() -> new NoSuchOrganizationException(organizationId)));
    }

    @Override
    public RetentionSettings updateRetention(UUID organizationId, RetentionSettings settings) {
        Objects.requireNonNull(settings, "settings");
        jdbi.useTransaction(handle -> {
            int updated = TenantSql.update(handle, organizationId, """
                            UPDATE organizations SET span_retention_days = :spans, rollup_retention_months = :rollups,
                                                     audit_retention_days = :audit
                            WHERE id = :organization""")
                    .bind("spans", settings.spanDays())
                    .bind("rollups", settings.rollupMonths())
                    .bind("audit", settings.auditDays())
                    .execute();
            if (updated == 0) {
                throw new NoSuchOrganizationException(organizationId);
            }
            audit.record(handle, organizationId, Optional.empty(), "update-retention", "retention " + settings);
        });
        return settings;
    }

    /** Queues the organization for the background re-categorisation; a newer request supersedes an older one. */
    private void requestRecompute(Handle handle, UUID organizationId) {
        TenantSql.update(handle, organizationId, """
                        INSERT INTO rollup_recompute (organization_id, requested_at) VALUES (:organization, :now)
                        ON CONFLICT (organization_id) DO UPDATE SET requested_at = :now""")
                .bind("now", now())
                .execute();
    }

    private static void requirePerson(Handle handle, UUID organizationId, UUID personId) {
        boolean exists = TenantSql.query(handle, organizationId,
                        "SELECT 1 FROM people WHERE organization_id = :organization AND id = :person")
                .bind("person", personId)
                .mapTo(Integer.class)
                .findOne().isPresent();
        if (!exists) {
            throw new InvalidRequestException("the organization has no person " + personId);
        }
    }

    private static void requireOrganization(Handle handle, UUID organizationId) {
        boolean exists = TenantSql.query(handle, organizationId, "SELECT 1 FROM organizations WHERE id = :organization")
                .mapTo(Integer.class)
                .findOne().isPresent();
        if (!exists) {
            throw new NoSuchOrganizationException(organizationId);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
