package com.xentracker.server.organization;

import com.xentracker.server.ConflictException;
import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.NotFoundException;
import com.xentracker.server.access.Access;
import com.xentracker.server.access.Action;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Guard;
import com.xentracker.server.audit.Subject;
import com.xentracker.server.rollup.CategoryRules;
import com.xentracker.server.rollup.RollupMoves;
import com.xentracker.server.rollup.TenantSql;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * The categories part of {@link Organizations}: categories and their ratings, the rules in their order, group
 * ratings, testing a rule, and the re-categorisation every rule change requests. Each change is recorded as a new
 * version of {@link SettingsArea#CATEGORIES}.
 */
final class DatabaseCategories {

    /** A host name: labels of letters, digits, underscores and hyphens (IDNs in their xn-- form). */
    private static final Pattern HOST = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?"
            + "(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*");
    /** Priorities are renumbered in these steps, and a new rule goes this far after the last. */
    private static final int STEP = 10;
    private static final int MAX_PRIORITY = 1_000_000;
    /** Days a rule test looks back over: today and the six before. */
    private static final int TEST_DAYS = 7;

    private final Guard guard;
    private final Clock clock;

    DatabaseCategories(Guard guard, Clock clock) {
        this.guard = guard;
        this.clock = clock;
    }

    List<Category> categories(Actor actor) {
        return guard.run(actor, Action.VIEW_SETTINGS, Subject.of("categories"),
                (handle, access) -> categories(handle, access.organizationId()));
    }

    List<CategoryRule> rules(Actor actor) {
        return guard.run(actor, Action.VIEW_SETTINGS, Subject.of("category rules"),
                (handle, access) -> rules(handle, access.organizationId()));
    }

    static List<Category> categories(Handle handle, UUID organization) {
        record Row(UUID id, String name, Productivity productivity) {
        }
        List<Row> rows = TenantSql.query(handle, organization, """
                        SELECT id, name, productivity FROM categories WHERE organization_id = :organization
                        ORDER BY name, id""")
                .map((rs, ctx) -> new Row(rs.getObject(1, UUID.class), rs.getString(2),
                        Productivity.valueOf(rs.getString(3))))
                .list();
        List<CategoryRule> rules = rules(handle, organization);
        Map<UUID, Map<UUID, Productivity>> ratings = new HashMap<>();
        TenantSql.query(handle, organization, """
                        SELECT category_id, group_id, productivity FROM category_group_ratings
                        WHERE organization_id = :organization""")
                .map((rs, ctx) -> Map.entry(rs.getObject(1, UUID.class), Map.entry(rs.getObject(2, UUID.class),
                        Productivity.valueOf(rs.getString(3)))))
                .forEach(entry -> ratings.computeIfAbsent(entry.getKey(), k -> new HashMap<>())
                        .put(entry.getValue().getKey(), entry.getValue().getValue()));
        return rows.stream().map(row -> new Category(row.id(), row.name(), row.productivity(),
                rules.stream().filter(rule -> rule.categoryId().equals(row.id())).toList(),
                ratings.getOrDefault(row.id(), Map.of()))).toList();
    }

    /** The organization's rules in the order they are tried. */
    static List<CategoryRule> rules(Handle handle, UUID organization) {
        return TenantSql.query(handle, organization, """
                        SELECT id, category_id, kind, pattern, include_subdomains, priority FROM category_rules
                        WHERE organization_id = :organization ORDER BY\s""" + CategoryRules.order(""))
                .map((rs, ctx) -> new CategoryRule(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        CategoryRule.Kind.valueOf(rs.getString(3)), rs.getString(4), rs.getBoolean(5), rs.getInt(6)))
                .list();
    }

    Category create(Actor actor, String name, Productivity productivity) {
        Objects.requireNonNull(productivity, "productivity");
        String checked = checkedName(name);
        UUID id = UUID.randomUUID();
        return guard.run(actor, Action.CREATE_CATEGORY, Subject.of("category " + id), (handle, access) -> {
            int inserted = TenantSql.update(handle, access.organizationId(), """
                            INSERT INTO categories (organization_id, id, name, productivity)
                            VALUES (:organization, :id, :name, :productivity)
                            ON CONFLICT (organization_id, name) DO NOTHING""")
                    .bind("id", id)
                    .bind("name", checked)
                    .bind("productivity", productivity.name())
                    .execute();
            if (inserted == 0) {
                throw new ConflictException("the organization has a category of that name already");
            }
            changed(handle, access, false);
            return new Category(id, checked, productivity, List.of(), Map.of());
        });
    }

    Category update(Actor actor, UUID categoryId, String name, Productivity productivity) {
        Objects.requireNonNull(categoryId, "categoryId");
        Objects.requireNonNull(productivity, "productivity");
        String checked = checkedName(name);
        return guard.run(actor, Action.UPDATE_CATEGORY, Subject.of("category " + categoryId), (handle, access) -> {
            UUID organization = access.organizationId();
            String before = TenantSql.query(handle, organization, """
                            SELECT name FROM categories WHERE organization_id = :organization AND id = :id
                            FOR UPDATE""")
                    .bind("id", categoryId)
                    .mapTo(String.class)
                    .findOne()
                    .orElseThrow(() -> new NotFoundException("category " + categoryId));
            boolean taken = !before.equals(checked) && TenantSql.query(handle, organization,
                            "SELECT 1 FROM categories WHERE organization_id = :organization AND name = :name")
                    .bind("name", checked)
                    .mapTo(Integer.class)
                    .findOne().isPresent();
            if (taken) {
                throw new ConflictException("the organization has a category of that name already");
            }
            TenantSql.update(handle, organization, """
                            UPDATE categories SET name = :name, productivity = :productivity
                            WHERE organization_id = :organization AND id = :id""")
                    .bind("id", categoryId)
                    .bind("name", checked)
                    .bind("productivity", productivity.name())
                    .execute();
            if (!before.equals(checked)) {
                // rollups keep the category's name: they follow the new one now, in this transaction
                RollupMoves.renameCategory(handle, organization, before, checked);
            }
            changed(handle, access, false);
            return categories(handle, organization).stream().filter(c -> c.id().equals(categoryId)).findFirst()
                    .orElseThrow();
        });
    }

    void delete(Actor actor, UUID categoryId) {
        Objects.requireNonNull(categoryId, "categoryId");
        guard.run(actor, Action.DELETE_CATEGORY, Subject.of("category " + categoryId), (handle, access) -> {
            // its rules and group ratings go with it (ON DELETE CASCADE)
            int deleted = TenantSql.update(handle, access.organizationId(),
                            "DELETE FROM categories WHERE organization_id = :organization AND id = :id")
                    .bind("id", categoryId)
                    .execute();
            if (deleted == 0) {
                throw new NotFoundException("category " + categoryId);
            }
            changed(handle, access, true);
            return null;
        });
    }

    CategoryRule addRule(Actor actor, UUID categoryId, NewCategoryRule rule) {
        Objects.requireNonNull(categoryId, "categoryId");
        Objects.requireNonNull(rule, "rule");
        String pattern = checkedPattern(rule);
        boolean subdomains = rule.kind() != CategoryRule.Kind.DOMAIN || rule.includeSubdomains();
        UUID id = UUID.randomUUID();
        return guard.run(actor, Action.ADD_CATEGORY_RULE, Subject.of("category rule " + id + " in category "
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
                    if (rule.kind() == CategoryRule.Kind.TITLE && !titlesCollected(handle, organization)) {
                        throw InvalidRequestException.about("kind", "title rules need window titles, which the"
                                + " collection policy does not collect");
                    }
                    int priority = TenantSql.query(handle, organization, """
                                    SELECT least(coalesce(max(priority), 0) + :step, :max) FROM category_rules
                                    WHERE organization_id = :organization""")
                            .bind("step", STEP)
                            .bind("max", MAX_PRIORITY)
                            .mapTo(Integer.class)
                            .one();
                    int inserted = TenantSql.update(handle, organization, """
                                    INSERT INTO category_rules (organization_id, id, category_id, kind, pattern,
                                                                include_subdomains, priority)
                                    VALUES (:organization, :id, :category, :kind, :pattern, :subdomains, :priority)
                                    ON CONFLICT (organization_id, kind, pattern) DO NOTHING""")
                            .bind("id", id)
                            .bind("category", categoryId)
                            .bind("kind", rule.kind().name())
                            .bind("pattern", pattern)
                            .bind("subdomains", subdomains)
                            .bind("priority", priority)
                            .execute();
                    if (inserted == 0) {
                        throw new ConflictException("another rule has this pattern already");
                    }
                    changed(handle, access, true);
                    return new CategoryRule(id, categoryId, rule.kind(), pattern, subdomains, priority);
                });
    }

    List<CategoryRule> moveRule(Actor actor, UUID ruleId, boolean earlier) {
        Objects.requireNonNull(ruleId, "ruleId");
        return guard.run(actor, Action.MOVE_CATEGORY_RULE, Subject.of("category rule " + ruleId + " "
                + (earlier ? "earlier" : "later")), (handle, access) -> {
                    UUID organization = access.organizationId();
                    // every rule locked, in one order, before they are numbered afresh
                    TenantSql.query(handle, organization, """
                                    SELECT id FROM category_rules WHERE organization_id = :organization
                                    ORDER BY id FOR UPDATE""")
                            .mapTo(UUID.class)
                            .list();
                    List<CategoryRule> rules = new ArrayList<>(rules(handle, organization));
                    int index = -1;
                    for (int i = 0; i < rules.size(); i++) {
                        if (rules.get(i).id().equals(ruleId)) {
                            index = i;
                        }
                    }
                    if (index < 0) {
                        throw new NotFoundException("category rule " + ruleId);
                    }
                    int other = earlier ? index - 1 : index + 1;
                    if (other >= 0 && other < rules.size()) {
                        CategoryRule moved = rules.get(index);
                        rules.set(index, rules.get(other));
                        rules.set(other, moved);
                    }
                    String[] ids = rules.stream().map(rule -> rule.id().toString()).toArray(String[]::new);
                    TenantSql.update(handle, organization, """
                                    UPDATE category_rules r SET priority = n.position * :step
                                    FROM unnest(CAST(:ids AS uuid[])) WITH ORDINALITY AS n(id, position)
                                    WHERE r.organization_id = :organization AND r.id = n.id""")
                            .bind("ids", ids)
                            .bind("step", STEP)
                            .execute();
                    changed(handle, access, true);
                    return rules(handle, organization);
                });
    }

    void deleteRule(Actor actor, UUID ruleId) {
        Objects.requireNonNull(ruleId, "ruleId");
        guard.run(actor, Action.DELETE_CATEGORY_RULE, Subject.of("category rule " + ruleId), (handle, access) -> {
            int deleted = TenantSql.update(handle, access.organizationId(),
                            "DELETE FROM category_rules WHERE organization_id = :organization AND id = :id")
                    .bind("id", ruleId)
                    .execute();
            if (deleted == 0) {
                throw new NotFoundException("category rule " + ruleId);
            }
            changed(handle, access, true);
            return null;
        });
    }

    void rateForGroup(Actor actor, UUID groupId, Map<UUID, Productivity> ratings) {
        Objects.requireNonNull(groupId, "groupId");
        Map<UUID, Productivity> copy = Map.copyOf(ratings);
        guard.run(actor, Action.RATE_CATEGORIES_FOR_GROUP, Subject.of("category ratings of group " + groupId),
                (handle, access) -> {
                    UUID organization = access.organizationId();
                    boolean group = TenantSql.query(handle, organization,
                                    "SELECT 1 FROM groups WHERE organization_id = :organization AND id = :id")
                            .bind("id", groupId)
                            .mapTo(Integer.class)
                            .findOne().isPresent();
                    if (!group) {
                        throw new NotFoundException("group " + groupId);
                    }
                    String[] categories = copy.keySet().stream().map(UUID::toString).toArray(String[]::new);
                    long known = TenantSql.query(handle, organization, """
                                    SELECT count(*) FROM categories
                                    WHERE organization_id = :organization AND id = ANY(CAST(:ids AS uuid[]))""")
                            .bind("ids", categories)
                            .mapTo(Long.class)
                            .one();
                    if (known != categories.length) {
                        throw new NotFoundException("category");
                    }
                    TenantSql.update(handle, organization, """
                                    DELETE FROM category_group_ratings
                                    WHERE organization_id = :organization AND group_id = :group""")
                            .bind("group", groupId)
                            .execute();
                    TenantSql.update(handle, organization, """
                                    INSERT INTO category_group_ratings (organization_id, group_id, category_id,
                                                                        productivity)
                                    SELECT :organization, :group, r.category, r.productivity
                                    FROM unnest(CAST(:ids AS uuid[]), CAST(:ratings AS text[])) AS r(category,
                                                                                                    productivity)""")
                            .bind("group", groupId)
                            .bind("ids", categories)
                            .bind("ratings", copy.keySet().stream().map(id -> copy.get(id).name())
                                    .toArray(String[]::new))
                            .execute();
                    // ratings are joined when reports are read: nothing to re-categorise
                    changed(handle, access, false);
                    return null;
                });
    }

    RuleTest test(Actor actor, NewCategoryRule rule) {
        Objects.requireNonNull(rule, "rule");
        String pattern = checkedPattern(rule);
        boolean subdomains = rule.kind() != CategoryRule.Kind.DOMAIN || rule.includeSubdomains();
        NewCategoryRule tested = new NewCategoryRule(rule.kind(), pattern, subdomains);
        return guard.run(actor, Action.TEST_CATEGORY_RULE, Subject.of("test of a " + rule.kind().name()
                .toLowerCase(Locale.ROOT) + " rule"), (handle, access) -> {
                    UUID organization = access.organizationId();
                    ZoneId zone = TenantSql.query(handle, organization,
                                    "SELECT time_zone FROM organizations WHERE id = :organization")
                            .mapTo(String.class).map(ZoneId::of).one();
                    Instant now = clock.instant();
                    LocalDate to = LocalDate.ofInstant(now, zone);
                    LocalDate from = to.minusDays(TEST_DAYS - 1L);
                    boolean titles = titlesCollected(handle, organization);
                    List<RuleTest.Match> matches = new ArrayList<>();
                    long[] total = {0};
                    if (rule.kind() == CategoryRule.Kind.TITLE) {
                        if (titles) {
                            CategoryRules current = CategoryRules.load(handle, organization);
                            TenantSql.query(handle, organization, """
                                            SELECT application, coalesce(domain, ''), title,
                                                   CAST(sum(EXTRACT(EPOCH FROM end_at - start_at) * 1000) AS bigint)
                                                       AS ms,
                                                   CAST(sum(sum(EXTRACT(EPOCH FROM end_at - start_at) * 1000))
                                                        OVER () AS bigint)
                                            FROM spans
                                            WHERE organization_id = :organization AND start_at >= :from
                                              AND start_at < :to AND state = 'ACTIVE' AND title IS NOT NULL
                                              AND strpos(lower(title), :pattern) > 0
                                            GROUP BY application, coalesce(domain, ''), title
                                            ORDER BY ms DESC, application, title LIMIT :limit""")
                                    .bind("from", from.atStartOfDay(zone).toInstant())
                                    .bind("to", to.plusDays(1).atStartOfDay(zone).toInstant())
                                    .bind("pattern", pattern)
                                    .bind("limit", RuleTest.MAX_MATCHES)
                                    .map((rs, ctx) -> {
                                        total[0] = rs.getLong(5);
                                        Optional<String> title = Optional.of(rs.getString(3));
                                        return new RuleTest.Match(rs.getString(1), rs.getString(2), title,
                                                rs.getLong(4), current.categorize(rs.getString(1), rs.getString(2),
                                                        title));
                                    })
                                    .forEach(matches::add);
                        }
                    } else {
                        String condition = rule.kind() == CategoryRule.Kind.APPLICATION
                                ? "lower(application) = :pattern"
                                : "(lower(domain) = :pattern OR (:subdomains AND right(lower(domain), :length) = :dotted))";
                        var query = TenantSql.query(handle, organization, """
                                        SELECT application, domain, category, sum(active_ms) AS ms,
                                               sum(sum(active_ms)) OVER ()
                                        FROM rollups
                                        WHERE organization_id = :organization AND day BETWEEN :from AND :to
                                          AND active_ms > 0 AND %s
                                        GROUP BY application, domain, category
                                        ORDER BY ms DESC, application, domain LIMIT :limit""".formatted(condition))
                                .bind("from", from)
                                .bind("to", to)
                                .bind("pattern", pattern)
                                .bind("limit", RuleTest.MAX_MATCHES);
                        if (rule.kind() == CategoryRule.Kind.DOMAIN) {
                            query.bind("subdomains", subdomains)
                                    .bind("length", pattern.length() + 1)
                                    .bind("dotted", "." + pattern);
                        }
                        query.map((rs, ctx) -> {
                                    total[0] = rs.getLong(5);
                                    return new RuleTest.Match(rs.getString(1), rs.getString(2), Optional.empty(),
                                            rs.getLong(4), rs.getString(3));
                                })
                                .forEach(matches::add);
                    }
                    return new RuleTest(tested, from, to, matches, total[0], titles);
                });
    }

    Recategorization recategorization(Actor actor) {
        return guard.run(actor, Action.VIEW_SETTINGS, Subject.of("re-categorisation"), (handle, access) ->
                TenantSql.query(handle, access.organizationId(), """
                                SELECT requested_at, started_at, finished_at, devices_done, coalesce(devices_total, 0),
                                       recount
                                FROM rollup_recompute WHERE organization_id = :organization""")
                        .map((rs, ctx) -> {
                            Optional<Instant> requested = instant(rs.getObject(1, OffsetDateTime.class));
                            Optional<Instant> started = instant(rs.getObject(2, OffsetDateTime.class));
                            Optional<Instant> finished = instant(rs.getObject(3, OffsetDateTime.class));
                            Recategorization.State state = finished.isPresent() ? Recategorization.State.DONE
                                    : started.isPresent() ? Recategorization.State.RUNNING
                                    : Recategorization.State.QUEUED;
                            int total = rs.getInt(5);
                            return new Recategorization(state, requested, started, finished,
                                    Math.min(rs.getInt(4), total), total, rs.getBoolean(6));
                        })
                        .findOne()
                        .orElseGet(() -> new Recategorization(Recategorization.State.NEVER_REQUESTED,
                                Optional.empty(), Optional.empty(), Optional.empty(), 0, 0, false)));
    }

    /**
     * What every change of categories does last in its transaction: a new version of the area, and (for changes of
     * what matches what) a request to re-categorise the rollups.
     */
    private void changed(Handle handle, Access access, boolean recategorize) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (recategorize) {
            RollupMoves.requestRecategorization(handle, access.organizationId(), now);
        }
        SettingsHistory.record(handle, access, SettingsArea.CATEGORIES, now);
    }

    static boolean titlesCollected(Handle handle, UUID organization) {
        return TenantSql.query(handle, organization, """
                        SELECT coalesce(CAST(policy ->> 'collectWindowTitles' AS boolean), false)
                        FROM organizations WHERE id = :organization""")
                .mapTo(Boolean.class)
                .one();
    }

    static boolean hasTitleRules(Handle handle, UUID organization) {
        return TenantSql.query(handle, organization,
                        "SELECT 1 FROM category_rules WHERE organization_id = :organization AND kind = 'TITLE' LIMIT 1")
                .mapTo(Integer.class)
                .findOne().isPresent();
    }

    private static Optional<Instant> instant(OffsetDateTime time) {
        return Optional.ofNullable(time).map(OffsetDateTime::toInstant);
    }

    private static String checkedName(String name) {
        String stripped = name == null ? "" : name.strip();
        if (stripped.isEmpty() || stripped.length() > Category.MAX_NAME) {
            throw InvalidRequestException.about("name", "a category's name has between 1 and " + Category.MAX_NAME
                    + " characters");
        }
        return stripped;
    }

    /**
     * The pattern as stored: stripped and lower case; a domain also without a trailing dot, without a leading
     * {@code *.} (subdomains are the rule's own choice) and taken from a pasted address such as
     * {@code https://docs.example.com/page}.
     */
    static String checkedPattern(NewCategoryRule rule) {
        String pattern = rule.pattern().strip().toLowerCase(Locale.ROOT);
        if (rule.kind() == CategoryRule.Kind.DOMAIN) {
            if (pattern.contains("://")) {
                try {
                    pattern = Optional.ofNullable(URI.create(pattern).getHost()).orElse(pattern);
                } catch (IllegalArgumentException e) {
                    // not an address after all: checked as a host name below
                }
            }
            if (pattern.startsWith("*.")) {
                pattern = pattern.substring(2);
            }
            if (pattern.endsWith(".")) {
                pattern = pattern.substring(0, pattern.length() - 1);
            }
            if (!pattern.isEmpty() && (pattern.length() > 253 || !HOST.matcher(pattern).matches())) {
                throw InvalidRequestException.about("pattern", "a domain rule names a host such as example.com");
            }
        }
        if (pattern.isEmpty() || pattern.length() > CategoryRule.MAX_PATTERN || pattern.indexOf('\0') >= 0) {
            throw InvalidRequestException.about("pattern", "a rule's pattern has between 1 and "
                    + CategoryRule.MAX_PATTERN + " characters");
        }
        return pattern;
    }
}
