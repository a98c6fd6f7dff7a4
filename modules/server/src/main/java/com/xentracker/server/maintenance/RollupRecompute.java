package com.xentracker.server.maintenance;

import com.xentracker.server.rollup.CategoryRules;
import com.xentracker.server.rollup.RollupMoves;
import com.xentracker.server.rollup.TenantSql;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-categorises the rollups of organizations whose category rules changed ({@code rollup_recompute}), one device
 * per transaction, and records the progress in the request's row for the portal. After a change of the
 * organization's time zone ({@code recount}), each device's rollups of the days its raw spans still cover are first
 * rebuilt from those spans in the new zone.
 *
 * <p>Each step locks the request's row, then the device's row: a rule change (which resets the request in its own
 * transaction) waits for the step under way and then makes the run start again from the first device, with its
 * rules; an upload of the device waits, so that the rows the step rewrites are all the device has. The rules are
 * read in every step, after the locks, so a step never uses rules older than its request.
 *
 * <p>A run works for {@link #BUDGET} at most and then yields to the other jobs (they share one thread); the next run
 * goes on from the device it stopped after. A step that fails (its rows changed meanwhile, a deadlock) is rolled back
 * and tried again by the next run.
 */
public final class RollupRecompute {

    private static final Logger LOG = LoggerFactory.getLogger(RollupRecompute.class);
    /** How long one run may work before it yields. */
    public static final Duration BUDGET = Duration.ofSeconds(5);

    private RollupRecompute() {
    }

    /** Works on the pending requests for up to {@link #BUDGET}. */
    public static void run(Handle handle, Clock clock) {
        run(handle, clock, BUDGET);
    }

    /**
     * Works on the pending requests, oldest first, until they are done or {@code budget} is spent (at least one device
     * is done whatever the budget).
     *
     * @return how many devices were re-categorised
     */
    public static int run(Handle handle, Clock clock, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        List<UUID> pending = handle.createQuery(
                        "SELECT organization_id FROM rollup_recompute WHERE finished_at IS NULL ORDER BY requested_at")
                .mapTo(UUID.class)
                .list();
        int devices = 0;
        for (UUID organization : pending) {
            while (true) {
                boolean deviceDone;
                try {
                    deviceDone = handle.inTransaction(tx -> step(tx, organization, clock));
                } catch (IllegalStateException | JdbiException e) {
                    LOG.warn("Re-categorising the rollups of organization {} stopped; the next run goes on", organization,
                            e);
                    break;
                }
                if (!deviceDone) {
                    break;
                }
                devices++;
                if (System.nanoTime() - deadline > 0) {
                    return devices;
                }
            }
        }
        return devices;
    }

    /** One device of the organization's request; false when there is none left (the request is then finished). */
    private static boolean step(Handle handle, UUID organization, Clock clock) {
        record Request(Optional<OffsetDateTime> started, Optional<OffsetDateTime> finished, Optional<UUID> last,
                boolean recount) {
        }
        Optional<Request> request = TenantSql.query(handle, organization, """
                        SELECT started_at, finished_at, last_device, recount FROM rollup_recompute
                        WHERE organization_id = :organization FOR UPDATE""")
                .map((rs, ctx) -> new Request(Optional.ofNullable(rs.getObject(1, OffsetDateTime.class)),
                        Optional.ofNullable(rs.getObject(2, OffsetDateTime.class)),
                        Optional.ofNullable(rs.getObject(3, UUID.class)), rs.getBoolean(4)))
                .findOne();
        if (request.isEmpty() || request.get().finished().isPresent()) {
            return false;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (request.get().started().isEmpty()) {
            TenantSql.update(handle, organization, """
                            UPDATE rollup_recompute
                            SET started_at = :now, devices_done = 0,
                                devices_total = (SELECT count(*) FROM devices WHERE organization_id = :organization)
                            WHERE organization_id = :organization""")
                    .bind("now", now)
                    .execute();
        }
        // devices in id order, each locked against its uploads while its rows are rewritten
        Optional<UUID> device = TenantSql.query(handle, organization, """
                        SELECT id FROM devices
                        WHERE organization_id = :organization AND id > coalesce(CAST(:last AS uuid),
                                                                               '00000000-0000-0000-0000-000000000000')
                        ORDER BY id LIMIT 1 FOR NO KEY UPDATE""")
                .bindByType("last", request.get().last().orElse(null), UUID.class)
                .mapTo(UUID.class)
                .findOne();
        if (device.isEmpty()) {
            TenantSql.update(handle, organization,
                            "UPDATE rollup_recompute SET finished_at = :now WHERE organization_id = :organization")
                    .bind("now", now)
                    .execute();
            LOG.info("Re-categorised the rollups of organization {}", organization);
            return false;
        }
        record Settings(ZoneId zone, int spanDays) {
        }
        Settings settings = TenantSql.query(handle, organization,
                        "SELECT time_zone, span_retention_days FROM organizations WHERE id = :organization")
                .map((rs, ctx) -> new Settings(ZoneId.of(rs.getString(1)), rs.getInt(2)))
                .one();
        CategoryRules rules = CategoryRules.load(handle, organization);
        if (request.get().recount()) {
            // the first local day whose spans retention has left whole; earlier days stay as they were counted
            LocalDate first = LocalDate.ofInstant(Retention.spanCutoff(now, settings.spanDays()), settings.zone())
                    .plusDays(1);
            RollupMoves.recountDevice(handle, organization, device.get(), settings.zone(), rules, first);
        }
        int changed = RollupMoves.recategorizeDevice(handle, organization, device.get(), settings.zone(), rules);
        TenantSql.update(handle, organization, """
                        UPDATE rollup_recompute SET last_device = :device, devices_done = devices_done + 1
                        WHERE organization_id = :organization""")
                .bind("device", device.get())
                .execute();
        LOG.debug("Re-categorised device {} of organization {}: {} group(s) changed", device.get(), organization,
                changed);
        return true;
    }
}
