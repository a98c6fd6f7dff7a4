package com.xentracker.server.rollup;

import com.xentracker.core.activity.ActivityState;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Active, idle and locked milliseconds per (person, device, local day, application, domain, category) of one
 * organization, collected from spans and added to the {@code rollups} table. Spans are cut at the organization's
 * local midnights (daylight-saving days have 23 or 25 hours), so a span crossing midnight counts on both days.
 */
public final class DailyRollups {

    /** One rollup row's key within an organization. */
    public record Key(LocalDate day, UUID person, UUID device, String application, String domain, String category) {
    }

    private static final Comparator<Key> PRIMARY_KEY_ORDER = Comparator.comparing(Key::day)
            .thenComparing(Key::person).thenComparing(Key::device).thenComparing(Key::application)
            .thenComparing(Key::domain).thenComparing(Key::category);

    private final ZoneId zone;
    /** In primary key order, so that concurrent upserts take row locks in one order and cannot deadlock. */
    private final Map<Key, long[]> totals = new TreeMap<>(PRIMARY_KEY_ORDER);

    private DailyRollups(ZoneId zone) {
        this.zone = zone;
    }

    public static DailyRollups in(ZoneId zone) {
        return new DailyRollups(zone);
    }

    /** Adds a span's time; states other than active, idle and locked are not rolled up. */
    public void add(UUID person, UUID device, Instant start, Instant end, ActivityState state, String application,
            String domain, String category) {
        int column = switch (state) {
            case ACTIVE -> 0;
            case IDLE -> 1;
            case LOCKED -> 2;
            default -> -1;
        };
        if (column < 0 || !end.isAfter(start)) {
            return;
        }
        Instant pieceStart = start;
        LocalDate day = LocalDate.ofInstant(start, zone);
        while (pieceStart.isBefore(end)) {
            Instant nextMidnight = day.plusDays(1).atStartOfDay(zone).toInstant();
            Instant pieceEnd = end.isBefore(nextMidnight) ? end : nextMidnight;
            long millis = Duration.between(pieceStart, pieceEnd).toMillis();
            if (millis > 0) {
                totals.computeIfAbsent(new Key(day, person, device, application, domain, category),
                        key -> new long[3])[column] += millis;
            }
            pieceStart = pieceEnd;
            day = day.plusDays(1);
        }
    }

    /** Forgets the time of days before {@code first} (a recount that must leave those days' rows as they are). */
    public void dropDaysBefore(LocalDate first) {
        totals.keySet().removeIf(key -> key.day().isBefore(first));
    }

    public boolean isEmpty() {
        return totals.isEmpty();
    }

    /** The collected totals (for tests and the benchmark). */
    public Map<Key, long[]> totals() {
        return totals;
    }

    /**
     * Adds the collected totals to the organization's rollups and marks each (day, device) with active time as
     * changed for the dashboard's summaries ({@code rollup_changes}), in one statement.
     */
    public void addTo(Handle handle, UUID organizationId) {
        if (totals.isEmpty()) {
            return;
        }
        int n = totals.size();
        String[] days = new String[n];
        String[] people = new String[n];
        String[] devices = new String[n];
        String[] applications = new String[n];
        String[] domains = new String[n];
        String[] categories = new String[n];
        String[] active = new String[n];
        String[] idle = new String[n];
        String[] locked = new String[n];
        int i = 0;
        for (Map.Entry<Key, long[]> entry : totals.entrySet()) {
            Key key = entry.getKey();
            days[i] = key.day().toString();
            people[i] = key.person().toString();
            devices[i] = key.device().toString();
            applications[i] = key.application();
            domains[i] = key.domain();
            categories[i] = key.category();
            active[i] = Long.toString(entry.getValue()[0]);
            idle[i] = Long.toString(entry.getValue()[1]);
            locked[i] = Long.toString(entry.getValue()[2]);
            i++;
        }
        // The mark's no-op DO UPDATE is on purpose: it takes the mark's row lock until this transaction commits, so
        // the summarizing job's DELETE of that mark waits for this ingest and then summarizes the day with its rows.
        // DO NOTHING would take no lock: the job could delete the existing mark and summarize the day without this
        // ingest's uncommitted rows, and the day would then look summarized while app_days lacks them. Marks are per
        // device, so concurrent uploads of different devices never wait for each other here. Only active time
        // changes app_days, so only (day, device) pairs with active time are marked.
        TenantSql.update(handle, organizationId, """
                        WITH marked AS (
                            INSERT INTO rollup_changes (organization_id, day, device_id)
                            SELECT DISTINCT :organization, m.day, m.device
                            FROM unnest(CAST(:days AS date[]), CAST(:devices AS uuid[]), CAST(:active AS bigint[]))
                                 AS m(day, device, active_ms)
                            WHERE m.active_ms > 0
                            ON CONFLICT (organization_id, day, device_id) DO UPDATE SET day = EXCLUDED.day)
                        INSERT INTO rollups (organization_id, day, person_id, device_id, application, domain, category,
                                             active_ms, idle_ms, locked_ms)
                        SELECT :organization, r.* FROM unnest(CAST(:days AS date[]), CAST(:people AS uuid[]),
                               CAST(:devices AS uuid[]), CAST(:applications AS text[]), CAST(:domains AS text[]),
                               CAST(:categories AS text[]), CAST(:active AS bigint[]), CAST(:idle AS bigint[]),
                               CAST(:locked AS bigint[])) AS r
                        ON CONFLICT (organization_id, day, person_id, device_id, application, domain, category)
                        DO UPDATE SET active_ms = rollups.active_ms + EXCLUDED.active_ms,
                                      idle_ms = rollups.idle_ms + EXCLUDED.idle_ms,
                                      locked_ms = rollups.locked_ms + EXCLUDED.locked_ms""")
                .bind("days", days)
                .bind("people", people)
                .bind("devices", devices)
                .bind("applications", applications)
                .bind("domains", domains)
                .bind("categories", categories)
                .bind("active", active)
                .bind("idle", idle)
                .bind("locked", locked)
                .execute();
    }
}
