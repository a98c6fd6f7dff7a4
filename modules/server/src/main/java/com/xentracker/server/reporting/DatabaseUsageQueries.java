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
 * Dashboard queries over the daily {@code rollups} (maintained with every ingest), never over raw spans: a query's
 * cost grows with days × people × applications, not with the number of spans.
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
        // Per device first, then per application: two hash aggregates instead of a sort for count(DISTINCT).
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
            return TenantSql.query(handle, organizationId, """
                            SELECT application, sum(active_ms) AS active_ms, count(*) AS devices
                            FROM (SELECT application, device_id, sum(active_ms) AS active_ms
                                  FROM rollups
                                  WHERE organization_id = :organization AND day >= :first AND day < :end
                                    AND active_ms > 0
                                  GROUP BY application, device_id) per_device
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
