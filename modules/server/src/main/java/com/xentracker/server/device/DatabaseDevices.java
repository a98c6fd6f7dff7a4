package com.xentracker.server.device;

import com.xentracker.server.NoSuchDeviceException;
import com.xentracker.server.access.Action;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Guard;
import com.xentracker.server.audit.Subject;
import com.xentracker.server.rollup.RollupMoves;
import com.xentracker.server.rollup.TenantSql;
import com.xentracker.transport.wire.CaptureState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link Devices} over the database; every statement is scoped through {@link TenantSql}. */
final class DatabaseDevices implements Devices {

    private static final RowMapper<DeviceSummary> DEVICE = (rs, ctx) -> {
        Optional<Instant> oldestUnsent = instant(rs.getObject("oldest_unsent_at", OffsetDateTime.class));
        return new DeviceSummary(
                rs.getObject("id", UUID.class), rs.getString("hostname"), rs.getString("operating_system"),
                rs.getString("os_user"), rs.getString("agent_version"),
                CaptureState.valueOf(rs.getString("capture_state")), rs.getString("capture_detail"),
                rs.getLong("policy_version"), rs.getObject("enrolled_at", OffsetDateTime.class).toInstant(),
                rs.getObject("last_seen_at", OffsetDateTime.class).toInstant(), rs.getBoolean("revoked"),
                Optional.ofNullable(rs.getObject("clock_skew_ms", Long.class)).map(Duration::ofMillis),
                Optional.ofNullable(rs.getObject("unsent_spans", Long.class))
                        .map(spans -> new DeviceBacklog(spans, oldestUnsent)),
                rs.getBoolean("silent"),
                new DeviceLosses(rs.getLong("gaps"), Duration.ofMillis(rs.getLong("gap_ms")),
                        instant(rs.getObject("last_gap_end", OffsetDateTime.class)), rs.getLong("holes"),
                        rs.getLong("missing_batches")));
    };

    /**
     * Every device of the organization with its last report, whether it is silent by the organization's setting at
     * {@code :now}, and what it is known to have lost. One statement, so that all of it is of one moment.
     */
    private static final String DEVICES = """
            SELECT d.id, d.hostname, d.operating_system, d.os_user, d.agent_version,
                   d.capture_state, d.capture_detail, d.policy_version, d.enrolled_at,
                   d.last_seen_at, d.revoked_at IS NOT NULL AS revoked, newest.clock_skew_ms,
                   d.unsent_spans, d.oldest_unsent_at,
                   d.revoked_at IS NULL
                       AND d.last_seen_at < CAST(:now AS timestamptz) - o.silent_after_hours * interval '1 hour'
                       AS silent,
                   lost.gaps, lost.gap_ms, lost.last_gap_end, holes.holes, holes.missing_batches
            FROM devices d
            JOIN organizations o ON o.id = d.organization_id
            -- the skew the device's newest stored batch reported (NULL: it did not say its time)
            LEFT JOIN LATERAL (
                SELECT a.clock_skew_ms FROM batch_arrivals a
                WHERE a.organization_id = d.organization_id AND a.device_id = d.id
                ORDER BY a.sequence DESC LIMIT 1) newest ON true
            -- gaps are rare (a full or expired buffer, a refused batch): counting them per device is cheap
            CROSS JOIN LATERAL (
                SELECT count(*) AS gaps,
                       coalesce(sum(EXTRACT(EPOCH FROM (g.to_at - g.from_at)) * 1000), 0)::bigint AS gap_ms,
                       max(g.to_at) AS last_gap_end
                FROM gaps g WHERE g.organization_id = d.organization_id AND g.device_id = d.id) lost
            CROSS JOIN LATERAL (
                SELECT count(*) AS holes, coalesce(sum(s.last_missing - s.first_missing + 1), 0) AS missing_batches
                FROM sequence_gaps s WHERE s.organization_id = d.organization_id AND s.device_id = d.id) holes
            WHERE d.organization_id = :organization ORDER BY d.hostname, d.id""";

    private final Guard guard;
    private final Clock clock;

    DatabaseDevices(Guard guard, Clock clock) {
        this.guard = guard;
        this.clock = clock;
    }

    @Override
    public List<DeviceSummary> list(Actor actor) {
        return guard.run(actor, Action.VIEW_DEVICES, Subject.of("devices"),
                (handle, access) -> devices(handle, access.organizationId()));
    }

    @Override
    public DeviceOverview overview(Actor actor) {
        return guard.run(actor, Action.VIEW_DEVICES, Subject.of("devices"), (handle, access) -> {
            record Settings(ZoneId zone, Duration silentAfter) {
            }
            Settings settings = TenantSql.query(handle, access.organizationId(),
                            "SELECT time_zone, silent_after_hours FROM organizations WHERE id = :organization")
                    .map((rs, ctx) -> new Settings(ZoneId.of(rs.getString(1)), Duration.ofHours(rs.getInt(2))))
                    .one();
            return new DeviceOverview(settings.zone(), settings.silentAfter(),
                    devices(handle, access.organizationId()));
        });
    }

    private static Optional<Instant> instant(OffsetDateTime time) {
        return Optional.ofNullable(time).map(OffsetDateTime::toInstant);
    }

    private List<DeviceSummary> devices(Handle handle, UUID organization) {
        return TenantSql.query(handle, organization, DEVICES)
                .bind("now", clock.instant())
                .map(DEVICE)
                .list();
    }

    @Override
    public void revoke(Actor actor, UUID deviceId) {
        Objects.requireNonNull(deviceId, "deviceId");
        guard.run(actor, Action.REVOKE_DEVICE, Subject.device(deviceId), (handle, access) -> {
            int revoked = TenantSql.update(handle, access.organizationId(), """
                            UPDATE devices SET revoked_at = coalesce(revoked_at, :now)
                            WHERE organization_id = :organization AND id = :device""")
                    .bind("now", clock.instant())
                    .bind("device", deviceId)
                    .execute();
            if (revoked == 0) {
                throw new NoSuchDeviceException(deviceId);
            }
            return null;
        });
    }

    @Override
    public void delete(Actor actor, UUID deviceId) {
        Objects.requireNonNull(deviceId, "deviceId");
        guard.run(actor, Action.DELETE_DEVICE, Subject.device(deviceId), (handle, access) -> {
            UUID organization = access.organizationId();
            boolean exists = TenantSql.query(handle, organization,
                            "SELECT 1 FROM devices WHERE organization_id = :organization AND id = :device FOR UPDATE")
                    .bind("device", deviceId)
                    .mapTo(Integer.class)
                    .findOne().isPresent();
            if (!exists) {
                throw new NoSuchDeviceException(deviceId);
            }
            for (String sql : List.of(
                    "DELETE FROM spans WHERE organization_id = :organization AND device_id = :device",
                    "DELETE FROM gaps WHERE organization_id = :organization AND device_id = :device")) {
                TenantSql.update(handle, organization, sql).bind("device", deviceId).execute();
            }
            RollupMoves.deleteAndMark(handle, organization, RollupMoves.Owner.DEVICE, deviceId);
            for (String sql : List.of(
                    "DELETE FROM device_users WHERE organization_id = :organization AND device_id = :device",
                    // what transport kept per batch (arrival, clock skew, sequence holes); the device's key stays in
                    // enrolled_device_keys so that it can never enroll again
                    "DELETE FROM batch_arrivals WHERE organization_id = :organization AND device_id = :device",
                    "DELETE FROM sequence_gaps WHERE organization_id = :organization AND device_id = :device",
                    "DELETE FROM batches WHERE organization_id = :organization AND device_id = :device",
                    "DELETE FROM devices WHERE organization_id = :organization AND id = :device")) {
                TenantSql.update(handle, organization, sql).bind("device", deviceId).execute();
            }
            return null;
        });
    }
}
