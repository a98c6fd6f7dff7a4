package com.xentracker.server.usage;

import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.access.Action;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Guard;
import com.xentracker.server.audit.Subject;
import com.xentracker.server.rollup.TenantSql;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * Reports over the daily rollups. The whole organization's figures come from the per-day summaries ({@code app_days},
 * {@code site_days}, {@code category_days}: one row per day and name, with a bitmap of the devices, kept by
 * {@code maintenance.DashboardSummaries}) and, for the days marked in {@code rollup_changes} since (normally today
 * and yesterday), from the rollups directly: exact and fresh, at a cost that grows with days × names, not with
 * people × days. A team view's and a viewer's figures come the same way from their groups' per-day summaries ({@code
 * group_days}), where the population is whole groups that share nobody ({@link Population#groups()}); days whose
 * groups' people changed ({@code group_changes}) are read from the rollups as well. Any other population's figures (a
 * person's, overlapping groups') are summed from the rollups of exactly those people, by the index on
 * (organization, person, day).
 *
 * <p>Each query is one statement, so one snapshot even in READ COMMITTED: a day is either marked (read from rollups)
 * or its summary matches its rollups. (Several statements would need REPEATABLE READ, whose snapshot makes the audit
 * entry appended at the end of the same transaction lose every race for the chain's head under load.) The marked days
 * are gathered into one array first (an init plan), so that only their rollups are read, by the (organization, day)
 * index. Bitmaps are padded to the organization's current width (numbers only grow) before {@code bit_or}; the width
 * CTE is materialized so that its zeros are made once, not per row.
 */
final class DatabaseUsageQueries implements UsageQueries {

    private static final int MAX_NAME = 2048;

    private final Guard guard;
    private final Clock clock;

    DatabaseUsageQueries(Guard guard, Clock clock) {
        this.guard = Objects.requireNonNull(guard, "guard");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Overview overview(Actor actor, UsageFilter filter) {
        return report(actor, "overview", filter, false, (handle, population) -> {
            Coverage coverage = population.coverage();
            Map<String, Productivity> ratings = ratings(handle, population);
            Breakdown breakdown = population.wholeOrganization() || population.groups().isPresent()
                    ? new Breakdown(categoryDays(handle, population),
                            ranked(handle, population, Dimension.APPLICATION, OVERVIEW_TOP).rows(),
                            ranked(handle, population, Dimension.SITE, OVERVIEW_TOP).rows())
                    : breakdown(handle, population);
            Map<LocalDate, Long> perDay = new HashMap<>();
            Map<Productivity, Duration> split = new EnumMap<>(Productivity.class);
            for (CategoryDay row : breakdown.categoryDays()) {
                perDay.merge(row.day(), row.activeMillis(), Long::sum);
                split.merge(ratings.getOrDefault(row.category(), Productivity.UNCATEGORISED),
                        Duration.ofMillis(row.activeMillis()), Duration::plus);
            }
            List<DayTotal> days = coverage.days().dates().stream().map(day -> new DayTotal(day,
                    DayRange.length(day, coverage.zone()), Duration.ofMillis(perDay.getOrDefault(day, 0L)))).toList();
            return new Overview(coverage, days, split, breakdown.applications(), breakdown.sites(),
                    coverage.wholeOrganization() ? Optional.of(silentDevices(handle, population))
                            : Optional.empty());
        });
    }

    @Override
    public Ranking applications(Actor actor, UsageFilter filter) {
        return report(actor, "applications", filter, false, (handle, population) -> {
            Ranked ranked = ranked(handle, population, Dimension.APPLICATION, RANKING_LIMIT);
            return new Ranking(population.coverage(), ranked.rows(), ranked.total(), ranked.more());
        });
    }

    @Override
    public Ranking sites(Actor actor, UsageFilter filter) {
        return report(actor, "sites", filter, false, (handle, population) -> {
            Ranked ranked = ranked(handle, population, Dimension.SITE, RANKING_LIMIT);
            return new Ranking(population.coverage(), ranked.rows(), ranked.total(), ranked.more());
        });
    }

    @Override
    public CategoryRanking categories(Actor actor, UsageFilter filter) {
        return report(actor, "categories", filter, false, (handle, population) -> {
            // categories are few: no limit
            Ranked ranked = ranked(handle, population, Dimension.CATEGORY, Integer.MAX_VALUE);
            Map<String, Productivity> ratings = ratings(handle, population);
            return new CategoryRanking(population.coverage(), ranked.rows().stream()
                    .map(row -> new CategoryTotal(row.name(), ratings.getOrDefault(row.name(),
                            Productivity.UNCATEGORISED), row.active(), row.devices())).toList(), ranked.total());
        });
    }

    @Override
    public Users users(Actor actor, Dimension dimension, String name, UsageFilter filter) {
        Objects.requireNonNull(dimension, "dimension");
        Objects.requireNonNull(name, "name");
        if (name.length() > MAX_NAME || (dimension == Dimension.SITE && name.isEmpty())) {
            throw new InvalidRequestException("no such " + dimension.name().toLowerCase(java.util.Locale.ROOT));
        }
        String what = "users of " + dimension.name().toLowerCase(java.util.Locale.ROOT);
        return report(actor, what, filter, true, (handle, population) -> {
            List<PersonUsage> people = population.nobody() ? List.of() : users(handle, population, dimension, name);
            return new Users(population.coverage(), dimension, name, people, people.stream()
                    .map(PersonUsage::active).reduce(Duration.ZERO, Duration::plus));
        });
    }

    @Override
    public Teams teams(Actor actor) {
        return guard.read(actor, Action.VIEW_USAGE, Subject.of("teams"), (handle, access) -> {
            serial(handle);
            Population population = Population.resolve(handle, access, UsageFilter.of(Period.today()), false,
                    clock);
            return new Teams(population.coverage().minimumGroupSize(), population.coverage().teams());
        });
    }

    // --- the use case around each report

    @FunctionalInterface
    private interface Report<T> {
        T make(Handle handle, Population population);
    }

    /**
     * Runs one report as one use case: a person's usage and who-used-it lists are individual data (their own action,
     * which a viewer may perform only with individual detail, and the person's id in the entry); everything else is
     * an aggregate. The entry names the days as resolved in the transaction.
     */
    private <T> T report(Actor actor, String what, UsageFilter filter, boolean individualList, Report<T> report) {
        Objects.requireNonNull(filter, "filter");
        boolean individual = individualList || filter.individual();
        Action action = individual ? Action.VIEW_INDIVIDUAL_USAGE : Action.VIEW_USAGE;
        return guard.readAudited(actor, action, subject(what, Optional.empty(), filter), (handle, access) -> {
            serial(handle);
            Population population = Population.resolve(handle, access, filter, individual, clock);
            return Guard.Audited.of(report.make(handle, population),
                    subject(what, Optional.of(population.coverage().days()), filter));
        });
    }

    /**
     * No parallel plans in this transaction. Reports are many small statements, several at once from many pages; the
     * planner cannot know how few days are marked (an init plan's array), over-estimates the rollups to read for them
     * and plans parallel workers, whose start-up alone (measured: 15–20 ms per statement on the reference machine,
     * for a scan that found no row) cost more than the statements themselves. SET LOCAL ends with the transaction.
     */
    private static void serial(Handle handle) {
        handle.execute("SET LOCAL max_parallel_workers_per_gather = 0");
    }

    /** Ids only (the person's in its own field), the days as resolved; never names. */
    private static Subject subject(String what, Optional<DayRange> days, UsageFilter filter) {
        String text = what + " " + days.map(DayRange::toString).orElse(filter.period().toString())
                + filter.group().map(group -> "; group " + group).orElse("");
        return filter.person().map(person -> Subject.person(person).and(text)).orElseGet(() -> Subject.of(text));
    }

    // --- queries

    private record CategoryDay(LocalDate day, String category, long activeMillis) {
    }

    /**
     * Where a population's days are summarized: the whole organization's tables ({@code app_days}, {@code site_days},
     * {@code category_days}), or its groups' rows of {@code group_days}. A day is read from the rollups instead when
     * it is marked: its rollups changed ({@code rollup_changes}), or, for groups, their people ({@code
     * group_changes}). The strings are SQL made of constants; {@link #bind} binds the parameters they name.
     */
    private record Summaries(Population population) {

        private boolean ofGroups() {
            return !population.wholeOrganization();
        }

        String table(Dimension dimension) {
            return ofGroups() ? "group_days" : dimension.summary;
        }

        String column(Dimension dimension) {
            return ofGroups() ? "name" : dimension.column;
        }

        /** The condition on the summary rows of alias {@code s}. */
        String rows(Dimension dimension) {
            return ofGroups() ? "s.group_id = ANY(CAST(:groups AS uuid[])) AND s.kind = '" + dimension.name() + "'"
                    : "true";
        }

        /** The marked days of the period, one row each (CTE body). */
        String marked() {
            return ofGroups() ? """
                    SELECT day FROM rollup_changes
                    WHERE organization_id = :organization AND day >= :first AND day <= :last
                    UNION
                    SELECT day FROM group_changes
                    WHERE organization_id = :organization AND group_id = ANY(CAST(:groups AS uuid[]))
                      AND day >= :first AND day <= :last"""
                    : """
                    SELECT DISTINCT day FROM rollup_changes
                    WHERE organization_id = :organization AND day >= :first AND day <= :last""";
        }

        /** The condition on the population's rollup rows of alias {@code r}. */
        String people() {
            return ofGroups() ? "r.person_id = ANY(CAST(:people AS uuid[]))" : "true";
        }

        Query bind(Query query) {
            Coverage coverage = population.coverage();
            query.bind("first", coverage.days().first()).bind("last", coverage.days().last());
            if (ofGroups()) {
                query.bind("groups", population.groupsParameter()).bind("people", population.peopleParameter());
            }
            return query;
        }
    }

    /**
     * Active milliseconds per (day, category) of the whole organization or of a population of whole groups, from the
     * summaries and marked days.
     */
    private static List<CategoryDay> categoryDays(Handle handle, Population population) {
        Summaries summaries = new Summaries(population);
        return summaries.bind(TenantSql.query(handle, population.organization(), """
                        WITH marked AS MATERIALIZED (%s)
                        SELECT s.day, s.%s, sum(s.active_ms) AS active_ms
                        FROM %s s
                        WHERE s.organization_id = :organization AND %s AND s.day >= :first AND s.day <= :last
                          AND NOT s.day = ANY(ARRAY(SELECT day FROM marked))
                        GROUP BY s.day, s.%2$s
                        UNION ALL
                        SELECT r.day, r.category, sum(r.active_ms)
                        FROM rollups r
                        WHERE r.organization_id = :organization AND r.day = ANY(ARRAY(SELECT day FROM marked))
                          AND r.active_ms > 0 AND %s
                        GROUP BY r.day, r.category""".formatted(summaries.marked(),
                        summaries.column(Dimension.CATEGORY), summaries.table(Dimension.CATEGORY),
                        summaries.rows(Dimension.CATEGORY), summaries.people())))
                .map((rs, ctx) -> new CategoryDay(rs.getObject(1, LocalDate.class), rs.getString(2), rs.getLong(3)))
                .list();
    }

    /** What the overview shows of its population: active time per (day, category), top applications and sites. */
    private record Breakdown(List<CategoryDay> categoryDays, List<UsageTotal> applications, List<UsageTotal> sites) {
    }

    /**
     * A group's, a viewer's or a person's overview in one pass over their rollups (one index-only scan; grouping
     * sets for the three breakdowns), instead of three scans of the same rows.
     */
    private static Breakdown breakdown(Handle handle, Population population) {
        if (population.nobody()) {
            return new Breakdown(List.of(), List.of(), List.of());
        }
        Coverage coverage = population.coverage();
        List<CategoryDay> categoryDays = new ArrayList<>();
        List<UsageTotal> applications = new ArrayList<>();
        List<UsageTotal> sites = new ArrayList<>();
        // Devices are counted from (name, device) rows rather than with count(DISTINCT …), which would sort every
        // row once per grouping set: the grouping sets are then all hashed (measured on a group of 50 over 90 days,
        // 54,000 rows: the sorts were most of the time).
        Map<String, long[]> perApplication = new HashMap<>();
        Map<String, long[]> perSite = new HashMap<>();
        TenantSql.query(handle, population.organization(), """
                        SELECT GROUPING(r.day, r.category) = 0 AS per_day, GROUPING(r.application) = 0 AS per_application,
                               r.day, r.category, r.application, r.domain, sum(r.active_ms) AS active_ms
                        FROM rollups r
                        WHERE r.organization_id = :organization AND r.person_id = ANY(CAST(:people AS uuid[]))
                          AND r.day >= :first AND r.day <= :last AND r.active_ms > 0
                        GROUP BY GROUPING SETS ((r.day, r.category), (r.application, r.device_id),
                                                (r.domain, r.device_id))""")
                .bind("people", population.peopleParameter())
                .bind("first", coverage.days().first())
                .bind("last", coverage.days().last())
                .map((rs, ctx) -> {
                    long active = rs.getLong("active_ms");
                    if (rs.getBoolean("per_day")) {
                        categoryDays.add(new CategoryDay(rs.getObject("day", LocalDate.class), rs.getString("category"),
                                active));
                    } else if (rs.getBoolean("per_application")) {
                        long[] total = perApplication.computeIfAbsent(rs.getString("application"), k -> new long[2]);
                        total[0] += active;
                        total[1]++;
                    } else if (!rs.getString("domain").isEmpty()) {
                        long[] total = perSite.computeIfAbsent(rs.getString("domain"), k -> new long[2]);
                        total[0] += active;
                        total[1]++;
                    }
                    return active;
                })
                .list();
        perApplication.forEach((name, total) -> applications.add(new UsageTotal(name, Duration.ofMillis(total[0]),
                total[1])));
        perSite.forEach((name, total) -> sites.add(new UsageTotal(name, Duration.ofMillis(total[0]), total[1])));
        return new Breakdown(categoryDays, top(applications), top(sites));
    }

    /** The first {@link #OVERVIEW_TOP} by active time (ties by name). */
    private static List<UsageTotal> top(List<UsageTotal> totals) {
        return totals.stream().sorted(java.util.Comparator.comparing(UsageTotal::active).reversed()
                .thenComparing(UsageTotal::name)).limit(OVERVIEW_TOP).toList();
    }

    private record Ranked(List<UsageTotal> rows, Duration total, int more) {
    }

    /** The population's names of {@code dimension} by active time, at most {@code limit}. */
    private static Ranked ranked(Handle handle, Population population, Dimension dimension, int limit) {
        if (population.nobody()) {
            return new Ranked(List.of(), Duration.ZERO, 0);
        }
        Coverage coverage = population.coverage();
        Query query;
        if (population.wholeOrganization() || population.groups().isPresent()) {
            Summaries summaries = new Summaries(population);
            query = summaries.bind(TenantSql.query(handle, population.organization(), """
                    WITH marked AS MATERIALIZED (%4$s),
                    width AS MATERIALIZED (
                        SELECT device_numbers + 1 AS bits,
                               CAST(repeat('0', device_numbers + 1) AS bit varying) AS zeros
                        FROM organizations WHERE id = :organization),
                    summarized AS (
                        SELECT s.%5$s AS name, sum(s.active_ms) AS active_ms,
                               bit_or(s.devices || substring(w.zeros FROM 1 FOR w.bits - length(s.devices)))
                                   AS devices
                        FROM %2$s s, width w
                        WHERE s.organization_id = :organization AND %6$s AND s.day >= :first AND s.day <= :last
                          AND NOT s.day = ANY(ARRAY(SELECT day FROM marked))
                        GROUP BY s.%5$s),
                    fresh AS (
                        SELECT r.%1$s AS name, sum(r.active_ms) AS active_ms,
                               bit_or(set_bit(w.zeros, d.number, 1)) AS devices
                        FROM rollups r
                        JOIN devices d ON d.organization_id = :organization AND d.id = r.device_id,
                             width w
                        WHERE r.organization_id = :organization AND r.day = ANY(ARRAY(SELECT day FROM marked))
                          AND r.active_ms > 0 AND %3$s AND %7$s
                        GROUP BY r.%1$s),
                    ranked AS (
                        SELECT name, sum(active_ms) AS active_ms, bit_count(bit_or(devices)) AS devices
                        FROM (SELECT * FROM summarized UNION ALL SELECT * FROM fresh) days
                        GROUP BY name)
                    SELECT name, active_ms, devices, sum(active_ms) OVER () AS total, count(*) OVER () AS names
                    FROM ranked
                    ORDER BY active_ms DESC, name
                    LIMIT :limit""".formatted(dimension.column, summaries.table(dimension), dimension.rows("r"),
                    summaries.marked(), summaries.column(dimension), summaries.rows(dimension), summaries.people())));
        } else {
            query = TenantSql.query(handle, population.organization(), """
                    SELECT name, active_ms, devices, sum(active_ms) OVER () AS total, count(*) OVER () AS names
                    FROM (SELECT name, sum(active_ms) AS active_ms, count(*) AS devices
                          FROM (SELECT r.%1$s AS name, r.device_id, sum(r.active_ms) AS active_ms
                                FROM rollups r
                                WHERE r.organization_id = :organization
                                  AND r.person_id = ANY(CAST(:people AS uuid[]))
                                  AND r.day >= :first AND r.day <= :last AND r.active_ms > 0 AND %2$s
                                GROUP BY r.%1$s, r.device_id) per_device
                          GROUP BY name) ranked
                    ORDER BY active_ms DESC, name
                    LIMIT :limit""".formatted(dimension.column, dimension.rows("r")))
                    .bind("people", population.peopleParameter());
        }
        record Row(UsageTotal usage, long total, long names) {
        }
        if (!population.wholeOrganization() && population.groups().isEmpty()) {
            query.bind("first", coverage.days().first()).bind("last", coverage.days().last());
        }
        List<Row> rows = query.bind("limit", limit)
                .map((rs, ctx) -> new Row(new UsageTotal(rs.getString("name"),
                        Duration.ofMillis(rs.getLong("active_ms")), rs.getLong("devices")), rs.getLong("total"),
                        rs.getLong("names")))
                .list();
        if (rows.isEmpty()) {
            return new Ranked(List.of(), Duration.ZERO, 0);
        }
        return new Ranked(rows.stream().map(Row::usage).toList(), Duration.ofMillis(rows.get(0).total()),
                (int) (rows.get(0).names() - rows.size()));
    }

    /**
     * Each category's rating in this report: the group's own where the report is a group's and the group rates the
     * category, the organization's otherwise. Time of a category that no longer exists counts as uncategorised.
     */
    private static Map<String, Productivity> ratings(Handle handle, Population population) {
        Map<String, Productivity> ratings = new HashMap<>();
        TenantSql.query(handle, population.organization(), """
                        SELECT c.name, coalesce(g.productivity, c.productivity) AS productivity
                        FROM categories c
                        LEFT JOIN category_group_ratings g ON g.organization_id = c.organization_id
                             AND g.category_id = c.id AND g.group_id = CAST(:group AS uuid)
                        WHERE c.organization_id = :organization""")
                .bind("group", population.coverage().group().map(team -> team.id().toString()).orElse(null))
                .map((rs, ctx) -> Map.entry(rs.getString(1), Productivity.ofRating(rs.getString(2))))
                .forEach(entry -> ratings.put(entry.getKey(), entry.getValue()));
        return ratings;
    }

    private SilentDevices silentDevices(Handle handle, Population population) {
        List<SilentDevices.Device> devices = new ArrayList<>();
        long[] enrolled = new long[1];
        // one statement: how many devices are enrolled, and the silent ones among them (a row even without any)
        TenantSql.query(handle, population.organization(), """
                        SELECT e.enrolled, d.id, d.hostname, d.last_seen_at
                        FROM (SELECT count(*) AS enrolled FROM devices
                              WHERE organization_id = :organization AND revoked_at IS NULL) e
                        LEFT JOIN LATERAL (SELECT id, hostname, last_seen_at FROM devices
                                           WHERE organization_id = :organization AND revoked_at IS NULL
                                             AND last_seen_at < :since
                                           ORDER BY last_seen_at, hostname, id
                                           LIMIT 100) d ON true
                        ORDER BY d.last_seen_at, d.hostname, d.id""")
                .bind("since", clock.instant().minus(population.silentAfter()))
                .map((rs, ctx) -> {
                    enrolled[0] = rs.getLong(1);
                    UUID id = rs.getObject(2, UUID.class);
                    if (id != null) {
                        devices.add(new SilentDevices.Device(id, rs.getString(3), rs.getTimestamp(4).toInstant()));
                    }
                    return id;
                })
                .list();
        return new SilentDevices(population.silentAfter(), devices, enrolled[0]);
    }

    private static List<PersonUsage> users(Handle handle, Population population, Dimension dimension, String name) {
        Coverage coverage = population.coverage();
        String people = population.wholeOrganization() ? "true"
                : "r.person_id = ANY(CAST(:people AS uuid[]))";
        // Summed per (person, device) and then per person, both hashed, and joined to the people's names only then:
        // count(DISTINCT …) sorted every row of the name's period, and the join before the sums joined every row
        // (who used an application over 90 days on 1,000 people: 90,000 rows).
        Query query = TenantSql.query(handle, population.organization(), """
                        SELECT u.person_id, p.display_name, u.active_ms, u.devices
                        FROM (SELECT person_id, sum(active_ms) AS active_ms, count(*) AS devices
                              FROM (SELECT r.person_id, r.device_id, sum(r.active_ms) AS active_ms
                                    FROM rollups r
                                    WHERE r.organization_id = :organization AND r.day >= :first AND r.day <= :last
                                      AND r.%1$s = :name AND r.active_ms > 0 AND %2$s AND %3$s
                                    GROUP BY r.person_id, r.device_id) per_device
                              GROUP BY person_id) u
                        JOIN people p ON p.organization_id = :organization AND p.id = u.person_id
                        ORDER BY u.active_ms DESC, lower(p.display_name), u.person_id
                        LIMIT :limit""".formatted(dimension.column, people, dimension.rows("r")))
                .bind("first", coverage.days().first())
                .bind("last", coverage.days().last())
                .bind("name", name)
                .bind("limit", USERS_LIMIT);
        if (!population.wholeOrganization()) {
            query.bind("people", population.peopleParameter());
        }
        return query.map((rs, ctx) -> new PersonUsage(new PersonChoice(rs.getObject(1, UUID.class),
                        rs.getString(2)), Duration.ofMillis(rs.getLong(3)), rs.getLong(4)))
                .list();
    }
}
