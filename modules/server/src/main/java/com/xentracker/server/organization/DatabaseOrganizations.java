package com.xentracker.server.organization;

import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.server.ConflictException;
import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.NoSuchOrganizationException;
import com.xentracker.server.NotFoundException;
import com.xentracker.server.access.Action;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Guard;
import com.xentracker.server.audit.Subject;
import com.xentracker.server.rollup.RollupMoves;
import com.xentracker.server.rollup.TenantSql;
import com.xentracker.transport.pki.OrganizationKey;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Organizations} over the database; every statement is scoped through {@link TenantSql}. */
final class DatabaseOrganizations implements Organizations {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseOrganizations.class);
    static final int MAX_NAME = 200;

    private final Guard guard;
    private final OrganizationKeys keys;
    private final Policies policies;
    private final Clock clock;

    DatabaseOrganizations(Guard guard, OrganizationKeys keys, Policies policies, Clock clock) {
        this.guard = guard;
        this.keys = keys;
        this.policies = policies;
        this.clock = clock;
    }

    @Override
    public OrganizationSettings settings(Actor actor) {
        return guard.run(actor, Action.VIEW_SETTINGS, Subject.of("organization settings"),
                (handle, access) -> settings(handle, access.organizationId()));
    }

    static OrganizationSettings settings(Handle handle, UUID organizationId) {
        return TenantSql.query(handle, organizationId,
                        "SELECT name, time_zone, require_two_factor FROM organizations WHERE id = :organization")
                .map((rs, ctx) -> new OrganizationSettings(rs.getString(1), ZoneId.of(rs.getString(2)),
                        rs.getBoolean(3)))
                .findOne()
                .orElseThrow(() -> new NoSuchOrganizationException(organizationId));
    }

    @Override
    public OrganizationSettings updateSettings(Actor actor, OrganizationSettings settings) {
        Objects.requireNonNull(settings, "settings");
        String name = checkedName(settings.name());
        OrganizationSettings stored = new OrganizationSettings(name, settings.timeZone(), settings.requireTwoFactor());
        return guard.run(actor, Action.UPDATE_ORGANIZATION_SETTINGS, Subject.of("organization settings: time zone "
                + stored.timeZone().getId() + ", two-factor required " + stored.requireTwoFactor()), (handle, access) -> {
                    TenantSql.update(handle, access.organizationId(), """
                                    UPDATE organizations SET name = :name, time_zone = :zone,
                                                             require_two_factor = :twoFactor
                                    WHERE id = :organization""")
                            .bind("name", name)
                            .bind("zone", stored.timeZone().getId())
                            .bind("twoFactor", stored.requireTwoFactor())
                            .execute();
                    return stored;
                });
    }

    @Override
    public CollectionPolicy policy(Actor actor) {
        return guard.run(actor, Action.VIEW_SETTINGS, Subject.of("collection policy"),
                (handle, access) -> policies.current(handle, access.organizationId()));
    }

    @Override
    public CollectionPolicy updatePolicy(Actor actor, CollectionPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        CollectionPolicy stored = guard.runAudited(actor, Action.UPDATE_COLLECTION_POLICY,
                Subject.of("collection policy"), (handle, access) -> {
                    CollectionPolicy replaced = policies.replace(handle, access.organizationId(), policy);
                    return Guard.Audited.of(replaced, Subject.of("collection policy version " + replaced.version()));
                });
        LOG.info("Organization {} collects by policy version {} from now on", actor.organizationId(),
                stored.version());
        return stored;
    }

    @Override
    public RetentionSettings retention(Actor actor) {
        return guard.run(actor, Action.VIEW_SETTINGS, Subject.of("retention"), (handle, access) ->
                TenantSql.query(handle, access.organizationId(), """
                                SELECT span_retention_days, rollup_retention_months, audit_retention_days
                                FROM organizations WHERE id = :organization""")
                        .map((rs, ctx) -> new RetentionSettings(rs.getInt(1), rs.getInt(2), rs.getInt(3)))
                        .one());
    }

    @Override
    public RetentionSettings updateRetention(Actor actor, RetentionSettings settings) {
        Objects.requireNonNull(settings, "settings");
        return guard.run(actor, Action.UPDATE_RETENTION, Subject.of("retention " + settings), (handle, access) -> {
            TenantSql.update(handle, access.organizationId(), """
                            UPDATE organizations SET span_retention_days = :spans, rollup_retention_months = :rollups,
                                                     audit_retention_days = :audit
                            WHERE id = :organization""")
                    .bind("spans", settings.spanDays())
                    .bind("rollups", settings.rollupMonths())
                    .bind("audit", settings.auditDays())
                    .execute();
            return settings;
        });
    }

    @Override
    public void rotateKey(Actor actor) {
        Objects.requireNonNull(actor, "actor");
        // key generation (slow) outside the transaction; the name only labels the certificate
        OrganizationKey next = OrganizationKey.generate("organization " + actor.organizationId(), clock);
        guard.run(actor, Action.ROTATE_ORGANIZATION_KEY, Subject.of("organization " + actor.organizationId()),
                (handle, access) -> {
                    keys.rotate(handle, access.organizationId(), next, now());
                    return null;
                });
        LOG.info("Rotated the encryption key of organization {}", actor.organizationId());
    }

    @Override
    public List<Category> categories(Actor actor) {
        return guard.run(actor, Action.VIEW_SETTINGS, Subject.of("categories"), (handle, access) -> {
            UUID organization = access.organizationId();
            Map<UUID, String> names = new LinkedHashMap<>();
            TenantSql.query(handle, organization,
                            "SELECT id, name FROM categories WHERE organization_id = :organization ORDER BY name, id")
                    .map((rs, ctx) -> Map.entry(rs.getObject(1, UUID.class), rs.getString(2)))
                    .forEach(entry -> names.put(entry.getKey(), entry.getValue()));
            List<CategoryRule> rules = TenantSql.query(handle, organization, """
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
    public Category createCategory(Actor actor, String name) {
        String stripped = name == null ? "" : name.strip();
        if (stripped.isEmpty() || stripped.length() > 100) {
            throw new InvalidRequestException("a category's name has between 1 and 100 characters");
        }
        UUID id = UUID.randomUUID();
        return guard.run(actor, Action.CREATE_CATEGORY, Subject.of("category " + id), (handle, access) -> {
            int inserted = TenantSql.update(handle, access.organizationId(), """
                            INSERT INTO categories (organization_id, id, name) VALUES (:organization, :id, :name)
                            ON CONFLICT (organization_id, name) DO NOTHING""")
                    .bind("id", id)
                    .bind("name", stripped)
                    .execute();
            if (inserted == 0) {
                throw new ConflictException("the organization has a category of that name already");
            }
            return new Category(id, stripped, List.of());
        });
    }

    @Override
    public CategoryRule addCategoryRule(Actor actor, UUID categoryId, CategoryRule.Kind kind, String pattern) {
        Objects.requireNonNull(categoryId, "categoryId");
        Objects.requireNonNull(kind, "kind");
        String normalized = pattern == null ? "" : pattern.strip().toLowerCase(Locale.ROOT);
        if (normalized.isEmpty() || normalized.length() > 255) {
            throw new InvalidRequestException("a rule's pattern has between 1 and 255 characters");
        }
        CategoryRule rule = new CategoryRule(UUID.randomUUID(), categoryId, kind, normalized);
        return guard.run(actor, Action.ADD_CATEGORY_RULE, Subject.of("category rule " + rule.id() + " in category "
                + categoryId), (handle, access) -> {
                    UUID organization = access.organizationId();
                    boolean category = TenantSql.query(handle, organization,
                                    "SELECT 1 FROM categories WHERE organization_id = :organization AND id = :id")
                            .bind("id", categoryId)
                            .mapTo(Integer.class)
                            .findOne().isPresent();
                    if (!category) {
                        throw new NotFoundException("category " + categoryId);
                    }
                    int inserted = TenantSql.update(handle, organization, """
                                    INSERT INTO category_rules (organization_id, id, category_id, kind, pattern)
                                    VALUES (:organization, :id, :category, :kind, :pattern)
                                    ON CONFLICT (organization_id, kind, pattern) DO NOTHING""")
                            .bind("id", rule.id())
                            .bind("category", categoryId)
                            .bind("kind", kind.name())
                            .bind("pattern", normalized)
                            .execute();
                    if (inserted == 0) {
                        throw new ConflictException("another rule has this pattern already");
                    }
                    RollupMoves.requestRecategorization(handle, organization, now());
                    return rule;
                });
    }

    @Override
    public void deleteCategoryRule(Actor actor, UUID ruleId) {
        Objects.requireNonNull(ruleId, "ruleId");
        guard.run(actor, Action.DELETE_CATEGORY_RULE, Subject.of("category rule " + ruleId), (handle, access) -> {
            int deleted = TenantSql.update(handle, access.organizationId(),
                            "DELETE FROM category_rules WHERE organization_id = :organization AND id = :id")
                    .bind("id", ruleId)
                    .execute();
            if (deleted == 0) {
                throw new NotFoundException("category rule " + ruleId);
            }
            RollupMoves.requestRecategorization(handle, access.organizationId(), now());
            return null;
        });
    }

    static String checkedName(String name) {
        if (name == null || name.isBlank() || name.strip().length() > MAX_NAME) {
            throw new InvalidRequestException("an organization's name has between 1 and " + MAX_NAME + " characters");
        }
        return name.strip();
    }

    static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw new InvalidRequestException("not a time zone: use an IANA name such as Europe/Berlin");
        }
    }

    /** Microseconds, as PostgreSQL stores them, so that what we return equals what we read back later. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
