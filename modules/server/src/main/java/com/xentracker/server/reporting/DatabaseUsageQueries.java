package com.xentracker.server.reporting;

import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.rollup.TenantSql;
import com.xentracker.server.usage.ApplicationUsage;
import com.xentracker.server.usage.UsageQueries;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Dashboard queries over the per-day summaries {@code app_days} (one row per day and application, with a bitmap of
 * the devices, kept by {@code maintenance.DashboardSummaries}) and, for the days marked in {@code rollup_changes}
 * since (normally today and yesterday), over the daily {@code rollups} directly: exact and fresh, and a query's
 * cost grows with days × applications plus the marked days' rollups, not with people × days or spans.
 */
public final class DatabaseUsageQueries implements UsageQueries {

    private final Jdbi jdbi;

    private DatabaseUsageQueries(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public static DatabaseUsageQueries create(Jdbi jdbi) {
        return new DatabaseUsageQueries(jdbi);
    }

    @Override
    public List<ApplicationUsage> byApplication(UUID organizationId, Instant from, Instant to) {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw new InvalidRequestException("a period must end after it starts");
        }
        return jdbi.withHandle(handle -> {
            Optional<ZoneId> zone = TenantSql.query(handle, organizationId,
                            "SELECT time_zone FROM organizations WHERE id = :organization")
                    .mapTo(String.class)
                    .findOne()
                    .map(ZoneId::of);
            if (zone.isEmpty()) {
                return List.of();
            }
            LocalDate first = nearestDay(from, zone.get());
            LocalDate end = nearestDay(to, zone.get());
            if (!end.isAfter(first)) {
                end = first.plusDays(1);
            }
            // One statement, so one snapshot: a day is either marked (read from rollups) or its summary matches its
            // rollups. Bitmaps are padded to the organization's current width (numbers only grow) before bit_or.
            return TenantSql.query(handle, organizationId, """
                            WITH width AS (
                                SELECT device_numbers + 1 AS bits FROM organizations WHERE id = :organization),
                            marked AS (
                                SELECT DISTINCT day FROM rollup_changes
                                WHERE organization_id = :organization AND day >= :first AND day < :end),
                            summarized AS (
                                SELECT a.application, a.active_ms,
                                       a.devices || CAST(repeat('0', w.bits - length(a.devices)) AS bit varying)
                                           AS devices
                                FROM app_days a, width w
                                WHERE a.organization_id = :organization AND a.day >= :first AND a.day < :end
                                  AND a.day NOT IN (SELECT day FROM marked)),
                            fresh AS (
                                SELECT r.application, sum(r.active_ms) AS active_ms,
                                       set_bit(CAST(repeat('0', w.bits) AS bit varying), d.number, 1) AS devices
                                FROM rollups r
                                JOIN devices d ON d.organization_id = :organization AND d.id = r.device_id,
                                     width w
                                WHERE r.organization_id = :organization AND r.day IN (SELECT day FROM marked)
                                  AND r.active_ms > 0
                                GROUP BY r.application, d.number, w.bits)
                            SELECT application, sum(active_ms) AS active_ms, bit_count(bit_or(devices)) AS devices
                            FROM (SELECT * FROM summarized UNION ALL SELECT * FROM fresh) days
                            GROUP BY application
                            ORDER BY active_ms DESC, application""")
                    .bind("first", first)
                    .bind("end", end)
                    .map((rs, ctx) -> new ApplicationUsage(rs.getString("application"),
                            Duration.ofMillis(rs.getLong("active_ms")), rs.getLong("devices")))
                    .list();
        });
    }

    /** The local day starting at the midnight nearest to {@code instant}. */
    static LocalDate nearestDay(Instant instant, ZoneId zone) {
        LocalDate day = LocalDate.ofInstant(instant, zone);
        Instant start = day.atStartOfDay(zone).toInstant();
        Instant next = day.plusDays(1).atStartOfDay(zone).toInstant();
        return Duration.between(start, instant).compareTo(Duration.between(instant, next)) <= 0 ? day
                : day.plusDays(1);
    }
}
