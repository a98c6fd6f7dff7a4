package com.xentracker.server.reporting;

import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.usage.ApplicationUsage;
import com.xentracker.server.usage.UsageQueries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Dashboard queries straight over the {@code spans} table. Rollups come with a later issue. */
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
        // Each span is clipped to [from, to) before summing, so a span crossing midnight counts on both days.
        // EXTRACT(EPOCH FROM interval) is exact numeric; summing microseconds keeps timestamptz's precision.
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT application,
                               sum(EXTRACT(EPOCH FROM (least(end_at, :to) - greatest(start_at, :from)))
                                   * 1000000)::bigint AS active_micros,
                               count(DISTINCT device_id) AS devices
                        FROM spans
                        WHERE organization_id = :organization AND state = 'ACTIVE'
                          AND start_at < :to AND end_at > :from
                        GROUP BY application
                        ORDER BY active_micros DESC, application""")
                .bind("organization", organizationId)
                .bind("from", from)
                .bind("to", to)
                .map((rs, ctx) -> new ApplicationUsage(rs.getString("application"),
                        Duration.ofNanos(Math.multiplyExact(rs.getLong("active_micros"), 1000L)),
                        rs.getLong("devices")))
                .list());
    }
}
