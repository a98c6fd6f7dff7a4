package com.xentracker.server.organization;

import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.core.policy.RedactionRule;
import com.xentracker.core.policy.TitleRedaction;
import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.NoSuchOrganizationException;
import com.xentracker.server.access.Action;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Guard;
import com.xentracker.server.audit.Subject;
import com.xentracker.server.maintenance.Retention;
import com.xentracker.server.rollup.RollupMoves;
import com.xentracker.server.rollup.TenantSql;
import com.xentracker.transport.pki.OrganizationKey;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
    private final DatabaseCategories categories;

    DatabaseOrganizations(Guard guard, OrganizationKeys keys, Policies policies, Clock clock) {
        this.guard = guard;
        this.keys = keys;
        this.policies = policies;
        this.clock = clock;
        this.categories = new DatabaseCategories(guard, clock);
    }

    @Override
    public OrganizationSettings settings(Actor actor) {
        return guard.run(actor, Action.VIEW_SETTINGS, Subject.of("organization settings"),
                (handle, access) -> settings(handle, access.organizationId()));
    }

    static OrganizationSettings settings(Handle handle, UUID organizationId) {
        return TenantSql.query(handle, organizationId, """
                        SELECT name, time_zone, require_two_factor, minimum_group_size, silent_after_hours,
                               self_service
                        FROM organizations WHERE id = :organization""")
                .map((rs, ctx) -> new OrganizationSettings(rs.getString(1), ZoneId.of(rs.getString(2)),
                        rs.getBoolean(3), rs.getInt(4), rs.getInt(5), rs.getBoolean(6)))
                .findOne()
                .orElseThrow(() -> new NoSuchOrganizationException(organizationId));
    }

    @Override
    public OrganizationSettings updateSettings(Actor actor, OrganizationSettings settings) {
        Objects.requireNonNull(settings, "settings");
        String name = checkedName(settings.name());
        OrganizationSettings stored = new OrganizationSettings(name, settings.timeZone(), settings.requireTwoFactor(),
                settings.minimumGroupSize(), settings.silentAfterHours(), settings.selfService());
        return guard.runAudited(actor, Action.UPDATE_ORGANIZATION_SETTINGS, Subject.of("organization settings"),
                (handle, access) -> {
                    // the row locked: the zone compared is the one this change replaces
                    ZoneId before = TenantSql.query(handle, access.organizationId(),
                                    "SELECT time_zone FROM organizations WHERE id = :organization FOR UPDATE")
                            .mapTo(String.class)
                            .map(ZoneId::of)
                            .one();
                    TenantSql.update(handle, access.organizationId(), """
                                    UPDATE organizations SET name = :name, time_zone = :zone,
                                                             require_two_factor = :twoFactor,
                                                             minimum_group_size = :minimumGroupSize,
                                                             silent_after_hours = :silentAfterHours,
                                                             self_service = :selfService
                                    WHERE id = :organization""")
                            .bind("name", name)
                            .bind("zone", stored.timeZone().getId())
                            .bind("twoFactor", stored.requireTwoFactor())
                            .bind("minimumGroupSize", stored.minimumGroupSize())
                            .bind("silentAfterHours", stored.silentAfterHours())
                            .bind("selfService", stored.selfService())
                            .execute();
                    // Turning self-service off signs every self-service account out in this transaction (their
                    // sessions and pending second-factor steps end), like disabling an account; the accounts stay,
                    // for when it is turned on again. Guard refuses them meanwhile in any case.
                    int ended = stored.selfService() ? 0 : TenantSql.update(handle, access.organizationId(), """
                                    DELETE FROM sessions s USING accounts a
                                    WHERE s.organization_id = :organization AND a.organization_id = s.organization_id
                                      AND a.id = s.account_id AND a.role = 'SELF'""")
                            .execute();
                    TenantSql.update(handle, access.organizationId(), """
                                    DELETE FROM sign_in_challenges c USING accounts a
                                    WHERE c.organization_id = :organization AND a.organization_id = c.organization_id
                                      AND a.id = c.account_id AND a.role = 'SELF' AND NOT :selfService""")
                            .bind("selfService", stored.selfService())
                            .execute();
                    Instant now = now();
                    if (!before.equals(stored.timeZone())) {
                        // rollups are days in the zone: recounted in the background from the spans still kept
                        RollupMoves.requestRecount(handle, access.organizationId(), now);
                    }
                    SettingsHistory.record(handle, access, SettingsArea.ORGANIZATION, now);
                    return Guard.Audited.of(stored, Subject.of("organization settings: time zone "
                            + stored.timeZone().getId() + ", two-factor required " + stored.requireTwoFactor()
                            + ", minimum group size " + stored.minimumGroupSize() + ", silent after "
                            + stored.silentAfterHours() + " h, self-service " + (stored.selfService() ? "on" : "off")
                            + (ended > 0 ? " (" + ended + " self-service session(s) ended)" : "")));
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
                    UUID organization = access.organizationId();
                    boolean titlesBefore = DatabaseCategories.titlesCollected(handle, organization);
                    CollectionPolicy replaced = policies.replace(handle, organization, policy);
                    Instant now = now();
                    if (titlesBefore != replaced.collectWindowTitles()
                            && DatabaseCategories.hasTitleRules(handle, organization)) {
                        // title rules count only while titles are collected: the rollups follow
                        RollupMoves.requestRecategorization(handle, organization, now);
                    }
                    SettingsHistory.record(handle, access, SettingsArea.POLICY, now);
                    return Guard.Audited.of(replaced, Subject.of("collection policy version " + replaced.version()));
                });
        LOG.info("Organization {} collects by policy version {} from now on", actor.organizationId(),
                stored.version());
        return stored;
    }

    @Override
    public RedactionPreview previewRedaction(Actor actor, List<RedactionRule> rules, String sample) {
        Objects.requireNonNull(rules, "rules");
        if (sample == null || sample.isEmpty() || sample.length() > RedactionPreview.MAX_SAMPLE) {
            throw InvalidRequestException.about("sample", "a sample title has between 1 and "
                    + RedactionPreview.MAX_SAMPLE + " characters");
        }
        List<RedactionRule> copy = List.copyOf(rules);
        // the sample is the administrator's own text, but it may be a real title: it stays out of the audit log
        return guard.run(actor, Action.PREVIEW_TITLE_REDACTION, Subject.of("preview of " + copy.size()
                + " title redaction rule(s)"), (handle, access) -> {
                    Policies.validateRedactions(copy);
                    TitleRedaction.Result result = TitleRedaction.of(copy).apply(sample);
                    Optional<String> reason = result.failedRule().isPresent()
                            ? Optional.of("rule " + (result.failedRule().getAsInt() + 1) + (result.failure()
                                    .filter(f -> f == TitleRedaction.Failure.TOO_SLOW).isPresent()
                                    ? " took longer than " + TitleRedaction.BUDGET.toMillis() + " ms"
                                    : "'s replacement cannot be applied") + ", so no title would be stored")
                            : result.stored().isEmpty()
                                    ? Optional.of("nothing but blanks is left, so no title would be stored")
                                    : Optional.empty();
                    return new RedactionPreview(sample, result.steps(), result.stored(), reason);
                });
    }

    @Override
    public RetentionSettings retention(Actor actor) {
        return guard.run(actor, Action.VIEW_SETTINGS, Subject.of("retention"),
                (handle, access) -> retention(handle, access.organizationId()));
    }

    private static RetentionSettings retention(Handle handle, UUID organization) {
        return TenantSql.query(handle, organization, """
                        SELECT span_retention_days, rollup_retention_months, audit_retention_days
                        FROM organizations WHERE id = :organization""")
                .map((rs, ctx) -> new RetentionSettings(rs.getInt(1), rs.getInt(2), rs.getInt(3)))
                .one();
    }

    @Override
    public RetentionImpact retentionImpact(Actor actor, RetentionSettings proposed) {
        Objects.requireNonNull(proposed, "proposed");
        return guard.run(actor, Action.PREVIEW_RETENTION_CHANGE, Subject.of("what retention " + proposed
                + " would delete"), (handle, access) -> {
                    UUID organization = access.organizationId();
                    Instant now = clock.instant();
                    ZoneId zone = settings(handle, organization).timeZone();
                    // the retention job's own limits (Retention), so that this counts exactly what it will delete
                    Instant spansBefore = Retention.spanCutoff(now, proposed.spanDays());
                    LocalDate rollupsBefore = Retention.firstRollupDayKept(now, zone, proposed.rollupMonths());
                    Instant auditBefore = Retention.auditCutoff(now, proposed.auditDays());
                    record Count<T>(long count, Optional<T> oldest) {
                    }
                    Count<Instant> spans = TenantSql.query(handle, organization, """
                                    SELECT count(*), min(start_at) FROM spans
                                    WHERE organization_id = :organization AND start_at < :cutoff""")
                            .bind("cutoff", spansBefore)
                            .map((rs, ctx) -> new Count<>(rs.getLong(1), Optional.ofNullable(
                                    rs.getObject(2, OffsetDateTime.class)).map(OffsetDateTime::toInstant)))
                            .one();
                    Count<LocalDate> rollups = TenantSql.query(handle, organization, """
                                    SELECT count(DISTINCT day), min(day) FROM rollups
                                    WHERE organization_id = :organization AND day < :first""")
                            .bind("first", rollupsBefore)
                            .map((rs, ctx) -> new Count<>(rs.getLong(1), Optional.ofNullable(
                                    rs.getObject(2, LocalDate.class))))
                            .one();
                    // the audit log loses a prefix of its chain: every entry up to the last one before the cutoff
                    Count<Instant> audit = TenantSql.query(handle, organization, """
                                    SELECT count(*), min(occurred_at) FROM audit_log
                                    WHERE organization_id = :organization AND seq <= (
                                        SELECT max(seq) FROM audit_log
                                        WHERE organization_id = :organization AND occurred_at < :cutoff)""")
                            .bind("cutoff", auditBefore)
                            .map((rs, ctx) -> new Count<>(rs.getLong(1), Optional.ofNullable(
                                    rs.getObject(2, OffsetDateTime.class)).map(OffsetDateTime::toInstant)))
                            .one();
                    return new RetentionImpact(retention(handle, organization), proposed, spansBefore,
                            spans.count(), spans.oldest(), rollupsBefore, rollups.count(), rollups.oldest(),
                            auditBefore, audit.count(), audit.oldest());
                });
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
            SettingsHistory.record(handle, access, SettingsArea.RETENTION, now());
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
        return categories.categories(actor);
    }

    @Override
    public List<CategoryRule> categoryRules(Actor actor) {
        return categories.rules(actor);
    }

    @Override
    public Category createCategory(Actor actor, String name) {
        return categories.create(actor, name, Productivity.NEUTRAL);
    }

    @Override
    public Category createCategory(Actor actor, String name, Productivity productivity) {
        return categories.create(actor, name, productivity);
    }

    @Override
    public Category updateCategory(Actor actor, UUID categoryId, String name, Productivity productivity) {
        return categories.update(actor, categoryId, name, productivity);
    }

    @Override
    public void deleteCategory(Actor actor, UUID categoryId) {
        categories.delete(actor, categoryId);
    }

    @Override
    public CategoryRule addCategoryRule(Actor actor, UUID categoryId, CategoryRule.Kind kind, String pattern) {
        return categories.addRule(actor, categoryId, new NewCategoryRule(kind, pattern == null ? "" : pattern, true));
    }

    @Override
    public CategoryRule addCategoryRule(Actor actor, UUID categoryId, NewCategoryRule rule) {
        return categories.addRule(actor, categoryId, rule);
    }

    @Override
    public List<CategoryRule> moveCategoryRule(Actor actor, UUID ruleId, boolean earlier) {
        return categories.moveRule(actor, ruleId, earlier);
    }

    @Override
    public void deleteCategoryRule(Actor actor, UUID ruleId) {
        categories.deleteRule(actor, ruleId);
    }

    @Override
    public void rateCategoriesForGroup(Actor actor, UUID groupId, Map<UUID, Productivity> ratings) {
        categories.rateForGroup(actor, groupId, ratings);
    }

    @Override
    public RuleTest testCategoryRule(Actor actor, NewCategoryRule rule) {
        return categories.test(actor, rule);
    }

    @Override
    public Recategorization recategorization(Actor actor) {
        return categories.recategorization(actor);
    }

    @Override
    public List<SettingsVersion> history(Actor actor, SettingsArea area, int limit) {
        Objects.requireNonNull(area, "area");
        return guard.run(actor, Action.VIEW_SETTINGS, Subject.of("settings history of "
                + area.name().toLowerCase(Locale.ROOT)), (handle, access) -> SettingsHistory.read(handle, access,
                        area, limit));
    }

    static String checkedName(String name) {
        if (name == null || name.isBlank() || name.strip().length() > MAX_NAME) {
            throw InvalidRequestException.about("name", "an organization's name has between 1 and " + MAX_NAME
                    + " characters");
        }
        return name.strip();
    }

    static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw InvalidRequestException.about("timeZone", "not a time zone: use an IANA name such as Europe/Berlin");
        }
    }

    /** Microseconds, as PostgreSQL stores them, so that what we return equals what we read back later. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
