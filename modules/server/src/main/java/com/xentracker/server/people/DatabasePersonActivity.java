package com.xentracker.server.people;

import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.GapReason;
import com.xentracker.server.NotFoundException;
import com.xentracker.server.access.Access;
import com.xentracker.server.people.PersonActivity.DayTimeline;
import com.xentracker.server.people.PersonActivity.DayTotal;
import com.xentracker.server.people.PersonActivity.PersonDevice;
import com.xentracker.server.people.PersonActivity.TimeSpent;
import com.xentracker.server.people.PersonActivity.TimelineGap;
import com.xentracker.server.people.PersonActivity.TimelineSpan;
import com.xentracker.server.rollup.CategoryRules;
import com.xentracker.server.rollup.TenantSql;
import com.xentracker.server.usage.Productivity;
import com.xentracker.transport.wire.CaptureState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * Reads {@link PersonActivity} in the use case's transaction: the day's spans from {@code spans} (by the person's
 * index), the gaps of the person's devices, and the period's totals, applications and sites from the daily
 * {@code rollups} (the person's rows of the period only). Its cost grows with the person's spans of one day and rows of
 * the period, not with the organization.
 */
final class DatabasePersonActivity {

    /**
     * How far before the day a span that reaches into it may start. Agents split spans at the device's local midnight,
     * so a span is at most one device-local day long (25 hours on a daylight-saving change); two days also cover a
     * device whose zone differs from the organization's. Bounding the look-back keeps the query on the person's index
     * for one day instead of the person's whole history.
     */
    static final Duration LOOK_BACK = Duration.ofDays(2);

    private DatabasePersonActivity() {
    }

    /** Which day's timeline and which period a page shows. */
    record Days(LocalDate day, LocalDate first, LocalDate last) {
    }

    /**
     * The person as {@code access} may see them; {@link NotFoundException} when not (or not the organization's).
     *
     * @param days the day and period to read, given what day it is today in the organization's zone
     */
    static PersonActivity read(Handle handle, Access access, UUID personId, Clock clock,
            Function<LocalDate, Days> days) {
        UUID organization = access.organizationId();
        record Found(Person person, ZoneId zone) {
        }
        // a self-service account sees its own person alone, whatever its (empty) scope and whatever id it was given
        boolean own = access.ownPerson().isPresent();
        Found found = TenantSql.query(handle, organization, """
                        SELECT p.id, p.display_name, p.login, p.created_at, o.time_zone
                        FROM people p JOIN organizations o ON o.id = p.organization_id
                        WHERE p.organization_id = :organization AND p.id = :person AND %s"""
                        .formatted(own ? "p.id = :ownPerson" : DatabasePeople.visible(access, "p.id")))
                .bind("person", personId)
                .bindMap(own ? Map.of("ownPerson", access.ownPerson().get()) : DatabasePeople.groupsOf(access))
                .map((rs, ctx) -> new Found(DatabasePeople.PERSON.map(rs, ctx), ZoneId.of(rs.getString("time_zone"))))
                .findOne()
                // a viewer asking for someone outside its groups learns no more than for an unknown id
                .orElseThrow(() -> new NotFoundException("person " + personId));
        ZoneId zone = found.zone();
        LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
        Days chosen = days.apply(today);
        Period period = period(handle, organization, personId, chosen.first(), chosen.last(), zone);
        return new PersonActivity(found.person(), zone, today,
                timeline(handle, organization, personId, chosen.day(), zone), period.days(), period.applications(),
                period.sites(), devices(handle, organization, personId), groups(handle, access, personId));
    }

    private static DayTimeline timeline(Handle handle, UUID organization, UUID person, LocalDate day, ZoneId zone) {
        Instant start = day.atStartOfDay(zone).toInstant();
        Instant end = day.plusDays(1).atStartOfDay(zone).toInstant();
        Categorizer categorizer = Categorizer.load(handle, organization);
        List<TimelineSpan> spans = new ArrayList<>(TenantSql.query(handle, organization, """
                        SELECT device_id, start_at, end_at, state, application, title, domain, url
                        FROM spans
                        WHERE organization_id = :organization AND person_id = :person
                          AND start_at >= :lookBack AND start_at < :end AND end_at > :start
                        ORDER BY start_at, device_id
                        LIMIT :limit""")
                .bind("person", person)
                .bind("lookBack", start.minus(LOOK_BACK))
                .bind("start", start)
                .bind("end", end)
                .bind("limit", DayTimeline.MAX_SPANS + 1)
                .map((rs, ctx) -> {
                    ActivityState state = ActivityState.valueOf(rs.getString("state"));
                    String application = rs.getString("application");
                    Optional<String> domain = Optional.ofNullable(rs.getString("domain"));
                    boolean active = state == ActivityState.ACTIVE;
                    String category = active ? categorizer.category(application, domain.orElse(""),
                            Optional.ofNullable(rs.getString("title"))) : "";
                    return new TimelineSpan(rs.getObject("device_id", UUID.class),
                            max(instant(rs.getObject("start_at", OffsetDateTime.class)), start),
                            min(instant(rs.getObject("end_at", OffsetDateTime.class)), end), state, application,
                            Optional.ofNullable(rs.getString("title")), domain, Optional.ofNullable(rs.getString("url")),
                            category, active ? Optional.of(categorizer.productivity(category)) : Optional.empty());
                })
                .list());
        boolean truncated = spans.size() > DayTimeline.MAX_SPANS;
        if (truncated) {
            spans.remove(spans.size() - 1);
        }
        // the gaps of the devices on which the person is the enrolled OS user: those devices record only for them
        List<TimelineGap> gaps = TenantSql.query(handle, organization, """
                        SELECT g.device_id, g.from_at, g.to_at, g.reason
                        FROM gaps g
                        WHERE g.organization_id = :organization AND g.from_at < :end AND g.to_at > :start
                          AND g.device_id IN (SELECT d.id FROM devices d
                                              JOIN device_users u ON u.organization_id = d.organization_id
                                                                 AND u.device_id = d.id AND u.os_user = d.os_user
                                              WHERE d.organization_id = :organization AND u.person_id = :person)
                        ORDER BY g.from_at, g.device_id""")
                .bind("person", person)
                .bind("start", start)
                .bind("end", end)
                .map((rs, ctx) -> new TimelineGap(rs.getObject("device_id", UUID.class),
                        max(instant(rs.getObject("from_at", OffsetDateTime.class)), start),
                        min(instant(rs.getObject("to_at", OffsetDateTime.class)), end),
                        GapReason.valueOf(rs.getString("reason"))))
                .list();
        return new DayTimeline(day, start, end, spans, gaps, truncated);
    }

    /** The period's totals per day and its top applications and sites. */
    private record Period(List<DayTotal> days, List<TimeSpent> applications, List<TimeSpent> sites) {
    }

    /**
     * The person's rollups of the period, read once and summed three ways in one statement (one round trip instead
     * of three: on a busy server each round trip waits for a CPU): per day, per application, per site.
     */
    private static Period period(Handle handle, UUID organization, UUID person, LocalDate first, LocalDate last,
            ZoneId zone) {
        Map<LocalDate, long[]> totals = new HashMap<>();
        List<TimeSpent> applications = new ArrayList<>();
        List<TimeSpent> sites = new ArrayList<>();
        TenantSql.query(handle, organization, """
                        WITH r AS MATERIALIZED (
                            SELECT day, application, domain, active_ms, idle_ms, locked_ms FROM rollups
                            WHERE organization_id = :organization AND person_id = :person
                              AND day >= :first AND day <= :last)
                        SELECT 'day' AS kind, day, NULL AS name, sum(active_ms) AS active, sum(idle_ms) AS idle,
                               sum(locked_ms) AS locked
                        FROM r GROUP BY day
                        UNION ALL
                        (SELECT 'application', NULL, application, sum(active_ms), 0, 0 FROM r WHERE active_ms > 0
                         GROUP BY application ORDER BY 4 DESC, 3 LIMIT :top)
                        UNION ALL
                        (SELECT 'site', NULL, domain, sum(active_ms), 0, 0 FROM r WHERE active_ms > 0 AND domain <> ''
                         GROUP BY domain ORDER BY 4 DESC, 3 LIMIT :top)""")
                .bind("person", person)
                .bind("first", first)
                .bind("last", last)
                .bind("top", PersonActivity.TOP)
                .map((rs, ctx) -> {
                    switch (rs.getString("kind")) {
                        case "day" -> totals.put(rs.getObject("day", LocalDate.class),
                                new long[] {rs.getLong("active"), rs.getLong("idle"), rs.getLong("locked")});
                        case "application" -> applications.add(new TimeSpent(rs.getString("name"),
                                Duration.ofMillis(rs.getLong("active"))));
                        default -> sites.add(new TimeSpent(rs.getString("name"),
                                Duration.ofMillis(rs.getLong("active"))));
                    }
                    return rs.getString("kind");
                })
                .list();
        List<DayTotal> days = new ArrayList<>();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            long[] ms = totals.getOrDefault(day, new long[3]);
            Duration length = Duration.between(day.atStartOfDay(zone), day.plusDays(1).atStartOfDay(zone));
            days.add(new DayTotal(day, length, Duration.ofMillis(ms[0]), Duration.ofMillis(ms[1]),
                    Duration.ofMillis(ms[2])));
        }
        // the UNION's branches come back in any order; each ranking keeps its own
        Comparator<TimeSpent> most = Comparator.comparing(TimeSpent::active).reversed()
                .thenComparing(TimeSpent::name);
        applications.sort(most);
        sites.sort(most);
        return new Period(days, applications, sites);
    }

    private static List<PersonDevice> devices(Handle handle, UUID organization, UUID person) {
        return TenantSql.query(handle, organization, """
                        SELECT d.id, d.hostname, u.os_user, d.operating_system, d.agent_version, d.capture_state,
                               d.last_seen_at, d.revoked_at IS NOT NULL AS revoked
                        FROM device_users u
                        JOIN devices d ON d.organization_id = u.organization_id AND d.id = u.device_id
                        WHERE u.organization_id = :organization AND u.person_id = :person
                        ORDER BY d.hostname, u.os_user, d.id""")
                .bind("person", person)
                .map((rs, ctx) -> new PersonDevice(rs.getObject("id", UUID.class), rs.getString("hostname"),
                        rs.getString("os_user"), rs.getString("operating_system"), rs.getString("agent_version"),
                        CaptureState.valueOf(rs.getString("capture_state")),
                        instant(rs.getObject("last_seen_at", OffsetDateTime.class)), rs.getBoolean("revoked")))
                .list();
    }

    /** The person's groups; a viewer sees only those it was given (it may not learn the names of others). */
    private static List<Group> groups(Handle handle, Access access, UUID person) {
        boolean whole = access.scope().wholeOrganization();
        return TenantSql.query(handle, access.organizationId(), """
                        SELECT g.id, g.name, g.created_at
                        FROM group_members m
                        JOIN groups g ON g.organization_id = m.organization_id AND g.id = m.group_id
                        WHERE m.organization_id = :organization AND m.person_id = :person
                          AND (:whole OR g.id = ANY(CAST(:groups AS uuid[])))
                        ORDER BY g.name, g.id""")
                .bind("person", person)
                .bind("whole", whole)
                .bind("groups", access.scope().groups().stream().map(UUID::toString).toArray(String[]::new))
                .map((rs, ctx) -> new Group(rs.getObject("id", UUID.class), rs.getString("name"),
                        instant(rs.getObject("created_at", OffsetDateTime.class))))
                .list();
    }

    private static Instant instant(OffsetDateTime time) {
        return time.toInstant();
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /**
     * The organization's category rules and ratings as of this transaction: the category a span's application or
     * site falls into, as the ingest gives it to rollups, and the organization's rating of it (a group's own rating
     * counts only in that group's team view, not on a person's page).
     */
    private record Categorizer(CategoryRules rules, Map<String, Productivity> ratings) {

        static Categorizer load(Handle handle, UUID organization) {
            Map<String, Productivity> ratings = new HashMap<>();
            TenantSql.query(handle, organization,
                            "SELECT name, productivity FROM categories WHERE organization_id = :organization")
                    .map((rs, ctx) -> ratings.put(rs.getString("name"),
                            Productivity.valueOf(rs.getString("productivity").toUpperCase(Locale.ROOT))))
                    .list();
            return new Categorizer(CategoryRules.load(handle, organization), ratings);
        }

        /** The category the organization's rules give (title rules only while titles are collected). */
        String category(String application, String domain, Optional<String> title) {
            return rules.categorize(application, domain, title);
        }

        Productivity productivity(String category) {
            return category.isEmpty() ? Productivity.UNCATEGORISED
                    : ratings.getOrDefault(category, Productivity.UNCATEGORISED);
        }
    }
}
