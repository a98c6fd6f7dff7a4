package com.xentracker.server.maintenance;

import com.xentracker.server.rollup.RollupMoves;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-categorises the rollups of organizations whose category rules changed ({@code rollup_recompute}). A request is
 * cleared only if no newer one came in meanwhile, so a rule changed during a run is applied by the next.
 */
public final class RollupRecompute {

    private static final Logger LOG = LoggerFactory.getLogger(RollupRecompute.class);

    private RollupRecompute() {
    }

    public static void run(Handle handle, Instant now) {
        List<Map.Entry<UUID, OffsetDateTime>> requests = handle.createQuery(
                        "SELECT organization_id, requested_at FROM rollup_recompute ORDER BY requested_at")
                .map((rs, ctx) -> Map.entry(rs.getObject(1, UUID.class), rs.getObject(2, OffsetDateTime.class)))
                .list();
        for (Map.Entry<UUID, OffsetDateTime> request : requests) {
            handle.useTransaction(tx -> {
                int changed = RollupMoves.recategorize(tx, request.getKey());
                tx.createUpdate("DELETE FROM rollup_recompute WHERE organization_id = :organization"
                                + " AND requested_at = :requested")
                        .bind("organization", request.getKey())
                        .bind("requested", request.getValue())
                        .execute();
                LOG.info("Re-categorised rollups of organization {}: {} application/domain pair(s) moved",
                        request.getKey(), changed);
            });
        }
    }
}
