package com.xentracker.server.rollup;

import com.xentracker.core.activity.ActivityState;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Changes to rollups that keep their totals: re-categorising a device's rows after its organization's rules changed,
 * renaming a category, and moving a device's or a person's rows to another person. Rows whose key then coincides are
 * merged (their milliseconds added), in the same transaction, so readers never see a total twice or not at all.
 * Each marks the (day, device)s it touched in {@code rollup_changes}, in the same transaction: re-categorising and
 * renaming change the per-day category summaries, and moving rows to another person changes the groups' summaries
 * ({@code group_days}: the two people may be in different groups). A change of a group's people marks the group's
 * days instead ({@link #markGroupDays}).
 */
public final class RollupMoves {

    private static final String MERGE = """
            ON CONFLICT (organization_id, day, person_id, device_id, application, domain, category)
            DO UPDATE SET active_ms = rollups.active_ms + EXCLUDED.active_ms,
                          idle_ms = rollups.idle_ms + EXCLUDED.idle_ms,
                          locked_ms = rollups.locked_ms + EXCLUDED.locked_ms""";

    /**
     * Marks the (day, device)s of moved rows with active time (a no-op update on conflict, so that the mark's row lock
     * is held until the move commits: see DailyRollups.addTo).
     */
    private static final String MARK_MOVED = """
            INSERT INTO rollup_changes (organization_id, day, device_id)
            SELECT DISTINCT :organization, day, device_id FROM moved WHERE active_ms > 0
            ON CONFLICT (organization_id, day, device_id) DO UPDATE SET day = EXCLUDED.day""";

    private RollupMoves() {
    }

    /**
     * Puts every rollup row of one device into the category the current rules give, keeping every (day, person,
     * application, domain)'s totals. Where titles take part ({@link CategoryRules#usesTitles()}), the device's raw
     * spans are categorised again, title by title, for the days whose rows they still account for exactly (the same
     * active, idle and locked milliseconds); older days, whose spans retention has removed, and anything the spans no
     * longer account for, are re-categorised row by row without titles ({@link CategoryRules#categorizeWithoutTitle}).
     * Call it with the device's row locked, so that no upload of the device adds rows meanwhile.
     *
     * @return how many (day, person, application, domain) groups changed their split by category
     * @throws IllegalStateException when the rows changed while this ran (the transaction must roll back)
     */
    public static int recategorizeDevice(Handle handle, UUID organizationId, UUID deviceId, ZoneId zone,
            CategoryRules rules) {
        record Row(Group group, String category, long[] ms) {
        }
        List<Row> rows = TenantSql.query(handle, organizationId, """
                        SELECT day, person_id, application, domain, category, active_ms, idle_ms, locked_ms
                        FROM rollups WHERE organization_id = :organization AND device_id = :device""")
                .bind("device", deviceId)
                .map((rs, ctx) -> new Row(new Group(rs.getObject(1, LocalDate.class), rs.getObject(2, UUID.class),
                        rs.getString(3), rs.getString(4)), rs.getString(5),
                        new long[] {rs.getLong(6), rs.getLong(7), rs.getLong(8)}))
                .list();
        Map<Group, Map<String, long[]>> current = new HashMap<>();
        for (Row row : rows) {
            current.computeIfAbsent(row.group(), g -> new TreeMap<>()).put(row.category(), row.ms());
        }
        Map<Group, Map<String, long[]>> fromSpans = rules.usesTitles()
                ? fromSpans(handle, organizationId, deviceId, zone, rules) : Map.of();
        Map<Group, Map<String, long[]>> changed = new LinkedHashMap<>();
        for (Map.Entry<Group, Map<String, long[]>> entry : current.entrySet()) {
            Group group = entry.getKey();
            Map<String, long[]> split = fromSpans.get(group);
            Map<String, long[]> target;
            if (split != null && Arrays.equals(sum(split), sum(entry.getValue()))) {
                target = split;
            } else {
                target = new TreeMap<>();
                for (Map.Entry<String, long[]> row : entry.getValue().entrySet()) {
                    add(target, rules.categorizeWithoutTitle(group.application(), group.domain(), row.getKey()),
                            row.getValue());
                }
            }
            if (!same(target, entry.getValue())) {
                changed.put(group, target);
            }
        }
        if (changed.isEmpty()) {
            return 0;
        }
        replace(handle, organizationId, deviceId, changed, current);
        return changed.size();
    }

    /**
     * Rebuilds the device's rollups of the local days from {@code first} on from its raw spans, cut at the midnights of
     * {@code zone} and categorised by {@code rules}, as the ingest would have stored them in that zone: after the
     * organization's time zone changed. {@code first} must be a day the spans still cover whole (after the span
     * retention's cutoff); earlier days keep their rows. Every (day, device) deleted or written with active time is
     * marked for the summaries. Call it with the device's row locked, so that no upload of the device adds rows
     * meanwhile.
     *
     * @return how many rollup rows the device has from {@code first} on now
     */
    public static int recountDevice(Handle handle, UUID organizationId, UUID deviceId, ZoneId zone,
            CategoryRules rules, LocalDate first) {
        TenantSql.update(handle, organizationId, """
                        WITH deleted AS (DELETE FROM rollups
                                         WHERE organization_id = :organization AND device_id = :device
                                           AND day >= :first
                                         RETURNING day, device_id, active_ms)
                        INSERT INTO rollup_changes (organization_id, day, device_id)
                        SELECT DISTINCT :organization, day, device_id FROM deleted WHERE active_ms > 0
                        ON CONFLICT (organization_id, day, device_id) DO UPDATE SET day = EXCLUDED.day""")
                .bind("device", deviceId)
                .bind("first", first)
                .execute();
        DailyRollups rollups = DailyRollups.in(zone);
        TenantSql.query(handle, organizationId, """
                        SELECT person_id, start_at, end_at, state, application, coalesce(domain, ''), title
                        FROM spans
                        WHERE organization_id = :organization AND device_id = :device AND end_at > :from
                          AND state IN ('ACTIVE', 'IDLE', 'LOCKED')""")
                .bind("device", deviceId)
                .bind("from", first.atStartOfDay(zone).toInstant())
                .map((rs, ctx) -> new SpanRow(rs.getObject(1, UUID.class),
                        rs.getObject(2, OffsetDateTime.class).toInstant(),
                        rs.getObject(3, OffsetDateTime.class).toInstant(), ActivityState.valueOf(rs.getString(4)),
                        rs.getString(5), rs.getString(6), Optional.ofNullable(rs.getString(7))))
                .forEach(span -> rollups.add(span.person(), deviceId, span.start(), span.end(), span.state(),
                        span.application(), span.domain(),
                        rules.categorize(span.application(), span.domain(), span.title())));
        rollups.dropDaysBefore(first);
        rollups.addTo(handle, organizationId);
        return rollups.totals().size();
    }

    /** One (day, person, application, domain) of a device: what re-categorising may split differently. */
    private record Group(LocalDate day, UUID person, String application, String domain) {
    }

    private record SpanRow(UUID person, java.time.Instant start, java.time.Instant end, ActivityState state,
            String application, String domain, Optional<String> title) {
    }

    /** The device's spans categorised by {@code rules}, cut into local days as the ingest cuts them. */
    private static Map<Group, Map<String, long[]>> fromSpans(Handle handle, UUID organizationId, UUID deviceId,
            ZoneId zone, CategoryRules rules) {
        DailyRollups rollups = DailyRollups.in(zone);
        TenantSql.query(handle, organizationId, """
                        SELECT person_id, start_at, end_at, state, application, coalesce(domain, ''), title
                        FROM spans
                        WHERE organization_id = :organization AND device_id = :device
                          AND state IN ('ACTIVE', 'IDLE', 'LOCKED')""")
                .bind("device", deviceId)
                .map((rs, ctx) -> new SpanRow(rs.getObject(1, UUID.class),
                        rs.getObject(2, OffsetDateTime.class).toInstant(),
                        rs.getObject(3, OffsetDateTime.class).toInstant(), ActivityState.valueOf(rs.getString(4)),
                        rs.getString(5), rs.getString(6), Optional.ofNullable(rs.getString(7))))
                .forEach(span -> rollups.add(span.person(), deviceId, span.start(), span.end(), span.state(),
                        span.application(), span.domain(),
                        rules.categorize(span.application(), span.domain(), span.title())));
        Map<Group, Map<String, long[]>> groups = new HashMap<>();
        rollups.totals().forEach((key, ms) -> add(groups.computeIfAbsent(new Group(key.day(), key.person(),
                key.application(), key.domain()), g -> new TreeMap<>()), key.category(), ms));
        return groups;
    }

    private static void add(Map<String, long[]> split, String category, long[] ms) {
        long[] total = split.computeIfAbsent(category, c -> new long[3]);
        for (int i = 0; i < 3; i++) {
            total[i] += ms[i];
        }
    }

    private static long[] sum(Map<String, long[]> split) {
        long[] total = new long[3];
        split.values().forEach(ms -> {
            for (int i = 0; i < 3; i++) {
                total[i] += ms[i];
            }
        });
        return total;
    }

    private static boolean same(Map<String, long[]> a, Map<String, long[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        return a.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), b.get(e.getKey())));
    }

    /**
     * Replaces the rows of the changed groups: deletes them, checks that exactly what was read went, and inserts the
     * new split. Two statements, because one could not insert a key it deletes.
     */
    private static void replace(Handle handle, UUID organizationId, UUID deviceId,
            Map<Group, Map<String, long[]>> changed, Map<Group, Map<String, long[]>> before) {
        int groups = changed.size();
        String[] days = new String[groups];
        String[] people = new String[groups];
        String[] applications = new String[groups];
        String[] domains = new String[groups];
        long expectedRows = 0;
        long[] expected = new long[3];
        List<String[]> inserts = new ArrayList<>();
        int i = 0;
        for (Map.Entry<Group, Map<String, long[]>> entry : changed.entrySet()) {
            Group group = entry.getKey();
            days[i] = group.day().toString();
            people[i] = group.person().toString();
            applications[i] = group.application();
            domains[i] = group.domain();
            i++;
            Map<String, long[]> old = before.get(group);
            expectedRows += old.size();
            long[] total = sum(old);
            for (int c = 0; c < 3; c++) {
                expected[c] += total[c];
            }
            entry.getValue().forEach((category, ms) -> inserts.add(new String[] {group.day().toString(),
                    group.person().toString(), group.application(), group.domain(), category, Long.toString(ms[0]),
                    Long.toString(ms[1]), Long.toString(ms[2])}));
        }
        long[] deleted = TenantSql.query(handle, organizationId, """
                        WITH deleted AS (
                            DELETE FROM rollups r
                            USING unnest(CAST(:days AS date[]), CAST(:people AS uuid[]), CAST(:applications AS text[]),
                                         CAST(:domains AS text[])) AS g(day, person, application, domain)
                            WHERE r.organization_id = :organization AND r.device_id = :device AND r.day = g.day
                              AND r.person_id = g.person AND r.application = g.application AND r.domain = g.domain
                            RETURNING r.active_ms, r.idle_ms, r.locked_ms)
                        SELECT count(*), coalesce(sum(active_ms), 0), coalesce(sum(idle_ms), 0),
                               coalesce(sum(locked_ms), 0)
                        FROM deleted""")
                .bind("device", deviceId)
                .bind("days", days)
                .bind("people", people)
                .bind("applications", applications)
                .bind("domains", domains)
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)})
                .one();
        if (deleted[0] != expectedRows || deleted[1] != expected[0] || deleted[2] != expected[1]
                || deleted[3] != expected[2]) {
            // someone changed these rows since they were read (a person deleted meanwhile): writing the split read
            // before would count time twice or bring deleted time back, so the whole device waits for the next run
            throw new IllegalStateException("the rollups of device " + deviceId + " changed while they were"
                    + " re-categorised");
        }
        int n = inserts.size();
        String[][] columns = new String[8][n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < 8; c++) {
                columns[c][r] = inserts.get(r)[c];
            }
        }
        TenantSql.update(handle, organizationId, """
                        INSERT INTO rollups (organization_id, day, person_id, device_id, application, domain, category,
                                             active_ms, idle_ms, locked_ms)
                        SELECT :organization, r.day, r.person, :device, r.application, r.domain, r.category,
                               r.active, r.idle, r.locked
                        FROM unnest(CAST(:days AS date[]), CAST(:people AS uuid[]), CAST(:applications AS text[]),
                                    CAST(:domains AS text[]), CAST(:categories AS text[]), CAST(:active AS bigint[]),
                                    CAST(:idle AS bigint[]), CAST(:locked AS bigint[]))
                             AS r(day, person, application, domain, category, active, idle, locked)""")
                .bind("device", deviceId)
                .bind("days", columns[0])
                .bind("people", columns[1])
                .bind("applications", columns[2])
                .bind("domains", columns[3])
                .bind("categories", columns[4])
                .bind("active", columns[5])
                .bind("idle", columns[6])
                .bind("locked", columns[7])
                .execute();
        // the category summaries of these days changed: the dashboard-summaries job rebuilds them (a no-op DO UPDATE,
        // not DO NOTHING, so that the mark's row lock makes a running job wait for this transaction)
        TenantSql.update(handle, organizationId, """
                        INSERT INTO rollup_changes (organization_id, day, device_id)
                        SELECT DISTINCT :organization, d, :device FROM unnest(CAST(:days AS date[])) AS d
                        ON CONFLICT (organization_id, day, device_id) DO UPDATE SET day = EXCLUDED.day""")
                .bind("device", deviceId)
                .bind("days", days)
                .execute();
    }

    /**
     * Gives the rows of a renamed category its new name (rollups keep categories by name), merging rows of a category
     * that had the new name before and whose rows the background re-categorisation has not yet moved.
     */
    public static void renameCategory(Handle handle, UUID organizationId, String from, String to) {
        TenantSql.update(handle, organizationId, """
                        WITH moved AS (
                            DELETE FROM rollups WHERE organization_id = :organization AND category = :from
                            RETURNING day, person_id, device_id, application, domain, active_ms, idle_ms, locked_ms),
                        marked AS (
                            INSERT INTO rollup_changes (organization_id, day, device_id)
                            SELECT DISTINCT :organization, day, device_id FROM moved
                            ON CONFLICT (organization_id, day, device_id) DO UPDATE SET day = EXCLUDED.day)
                        INSERT INTO rollups (organization_id, day, person_id, device_id, application, domain, category,
                                             active_ms, idle_ms, locked_ms)
                        SELECT :organization, day, person_id, device_id, application, domain, :to,
                               active_ms, idle_ms, locked_ms
                        FROM moved
                        """ + MERGE)
                .bind("from", from)
                .bind("to", to)
                .execute();
    }

    /** Moves the device's rollups (all days) to {@code person}. */
    public static void moveDevice(Handle handle, UUID organizationId, UUID deviceId, UUID person) {
        TenantSql.update(handle, organizationId, """
                        WITH moved AS (
                            DELETE FROM rollups
                            WHERE organization_id = :organization AND device_id = :device AND person_id <> :person
                            RETURNING day, device_id, application, domain, category, active_ms, idle_ms, locked_ms),
                        marked AS (%s)
                        INSERT INTO rollups (organization_id, day, person_id, device_id, application, domain, category,
                                             active_ms, idle_ms, locked_ms)
                        SELECT :organization, day, :person, device_id, application, domain, category,
                               sum(active_ms), sum(idle_ms), sum(locked_ms)
                        FROM moved GROUP BY day, device_id, application, domain, category
                        """.formatted(MARK_MOVED) + MERGE)
                .bind("device", deviceId)
                .bind("person", person)
                .execute();
    }

    /** Moves every rollup of person {@code from} (all days, all devices) to person {@code to}. */
    public static void movePerson(Handle handle, UUID organizationId, UUID from, UUID to) {
        TenantSql.update(handle, organizationId, """
                        WITH moved AS (
                            DELETE FROM rollups
                            WHERE organization_id = :organization AND person_id = :from
                            RETURNING day, device_id, application, domain, category, active_ms, idle_ms, locked_ms),
                        marked AS (%s)
                        INSERT INTO rollups (organization_id, day, person_id, device_id, application, domain, category,
                                             active_ms, idle_ms, locked_ms)
                        SELECT :organization, day, :to, device_id, application, domain, category,
                               sum(active_ms), sum(idle_ms), sum(locked_ms)
                        FROM moved GROUP BY day, device_id, application, domain, category
                        """.formatted(MARK_MOVED) + MERGE)
                .bind("from", from)
                .bind("to", to)
                .execute();
    }

    /** Which rollups {@link #deleteAndMark} deletes: those of one person, or of one device. */
    public enum Owner {
        PERSON("person_id = :owner"), DEVICE("device_id = :owner");

        private final String condition;

        Owner(String condition) {
            this.condition = condition;
        }
    }

    /**
     * Deletes the rollups of one person or device and marks each (day, device) they had for the dashboard's
     * summaries, in the same statement, so that those days are read from the rollups until the summarizing job has
     * recomputed them (see DailyRollups.addTo for why the mark's conflict does a no-op update instead of nothing).
     */
    public static void deleteAndMark(Handle handle, UUID organizationId, Owner owner, UUID id) {
        TenantSql.update(handle, organizationId, """
                        WITH deleted AS (DELETE FROM rollups WHERE organization_id = :organization AND %s
                                         RETURNING day, device_id, active_ms)
                        INSERT INTO rollup_changes (organization_id, day, device_id)
                        SELECT DISTINCT :organization, day, device_id FROM deleted WHERE active_ms > 0
                        ON CONFLICT (organization_id, day, device_id) DO UPDATE SET day = EXCLUDED.day"""
                        .formatted(owner.condition))
                .bind("owner", id)
                .execute();
    }

    /**
     * Marks, for the summarizing job, the days on which {@code person} has active time in the summaries of {@code
     * group} (of every group the person is in, when empty): call it in the transaction that adds the person to a
     * group or removes them, after the change. The mark's row lock is held until that transaction commits (a no-op
     * update on conflict, as in DailyRollups.addTo), so the job recounts the day with the group's new people.
     */
    public static void markGroupDays(Handle handle, UUID organizationId, UUID person, Optional<UUID> group) {
        var update = TenantSql.update(handle, organizationId, """
                        INSERT INTO group_changes (organization_id, group_id, day)
                        SELECT DISTINCT :organization, g.id, r.day
                        FROM rollups r, groups g
                        WHERE r.organization_id = :organization AND r.person_id = :person AND r.active_ms > 0
                          AND g.organization_id = :organization AND %s
                        ORDER BY 2, 3
                        ON CONFLICT (organization_id, group_id, day) DO UPDATE SET day = EXCLUDED.day"""
                        .formatted(group.isPresent() ? "g.id = :group"
                                : "g.id IN (SELECT m.group_id FROM group_members m"
                                        + " WHERE m.organization_id = :organization AND m.person_id = :person)"))
                .bind("person", person);
        group.ifPresent(id -> update.bind("group", id));
        update.execute();
    }

    /**
     * Queues the organization for the background re-categorisation. A newer request supersedes an older one, also
     * one under way: its progress is reset, so that the run starts again from the first device with the rules as
     * they are when this transaction commits (the run takes this row's lock for every device it does).
     */
    public static void requestRecategorization(Handle handle, UUID organizationId, java.time.Instant now) {
        request(handle, organizationId, now, false);
    }

    /**
     * Queues the organization for the background recount of its rollups in its time zone (which has just changed),
     * device by device: the days the raw spans still cover are rebuilt from them, and every row is then
     * re-categorised as by {@link #requestRecategorization}, which it supersedes.
     */
    public static void requestRecount(Handle handle, UUID organizationId, java.time.Instant now) {
        request(handle, organizationId, now, true);
    }

    /**
     * A new request restarts the run from the first device; a recount asked for and not finished yet stays asked
     * for (the devices it has done are done again: a recount is the same whenever it runs).
     */
    private static void request(Handle handle, UUID organizationId, java.time.Instant now, boolean recount) {
        TenantSql.update(handle, organizationId, """
                        INSERT INTO rollup_recompute (organization_id, requested_at, recount)
                        VALUES (:organization, :now, :recount)
                        ON CONFLICT (organization_id) DO UPDATE
                        SET requested_at = :now, started_at = NULL, finished_at = NULL, devices_total = NULL,
                            devices_done = 0, last_device = NULL,
                            recount = EXCLUDED.recount
                                      OR (rollup_recompute.recount AND rollup_recompute.finished_at IS NULL)""")
                .bind("now", now)
                .bind("recount", recount)
                .execute();
    }
}
