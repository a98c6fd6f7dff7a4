package com.xentracker.server.ingest;

import com.xentracker.server.rollup.TenantSql;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server notes about each newly stored batch besides its content: the batch id the device signed and the
 * digest of its signed content (by which a repeat is recognised, see {@link BatchStore}), the
 * device's clock against ours (skew, per batch), and holes in the device's sequence numbers. A hole opens when a
 * sequence arrives more than one above the highest stored before; a late batch narrows it. Holes stay recorded
 * (for example the sequence of a batch the agent had to drop), they are never papered over.
 *
 * <p>Written in the batch's own transaction, in one statement: the note commits with the batch or not at all (a
 * crash can no longer keep a batch without its arrival), and it costs one round trip. The caller holds the device
 * row's lock, so two batches of one device never compute holes at once.
 */
final class Arrivals {

    private static final Logger LOG = LoggerFactory.getLogger(Arrivals.class);

    private Arrivals() {
    }

    static void record(Handle handle, UUID organizationId, UUID deviceId, long sequence, UUID batchId,
            byte[] signedDigest, Optional<Instant> deviceTime, Instant now) {
        Long skewMillis = deviceTime.map(time -> Duration.between(now, time).toMillis()).orElse(null);
        // The parts run on one snapshot and cannot see each other's rows; they never touch the same hole: a late
        // batch lies inside a hole only when a higher sequence is stored, and then no new hole opens.
        int opened = TenantSql.query(handle, organizationId, """
                        WITH arrival AS (
                            INSERT INTO batch_arrivals (organization_id, device_id, sequence, batch_id, received_at,
                                                        device_time, clock_skew_ms, signed_sha256)
                            VALUES (:organization, :device, :sequence, :batch, :now, :deviceTime, :skew, :signed)
                            ON CONFLICT DO NOTHING),
                        -- a late batch: split the hole it was in (at most one holds it)
                        hole AS (
                            DELETE FROM sequence_gaps
                            WHERE organization_id = :organization AND device_id = :device
                              AND first_missing <= :sequence AND last_missing >= :sequence
                            RETURNING first_missing, last_missing, detected_at),
                        split AS (
                            INSERT INTO sequence_gaps (organization_id, device_id, first_missing, last_missing,
                                                       detected_at)
                            SELECT :organization, :device, lo, hi, detected_at FROM (
                                SELECT first_missing AS lo, :sequence - 1 AS hi, detected_at FROM hole
                                UNION ALL SELECT :sequence + 1, last_missing, detected_at FROM hole) AS parts
                            WHERE lo <= hi),
                        -- a jump: the sequences between the highest stored before and this one have not arrived
                        jump AS (
                            INSERT INTO sequence_gaps (organization_id, device_id, first_missing, last_missing,
                                                       detected_at)
                            SELECT :organization, :device, previous + 1, :sequence - 1, :now FROM (
                                SELECT max(sequence) AS previous FROM batches
                                WHERE organization_id = :organization AND device_id = :device
                                  AND sequence < :sequence
                                  AND NOT EXISTS (SELECT 1 FROM batches WHERE organization_id = :organization
                                                  AND device_id = :device AND sequence > :sequence)) AS highest
                            WHERE previous IS NOT NULL AND previous < :sequence - 1
                            ON CONFLICT DO NOTHING
                            RETURNING 1)
                        SELECT count(*) FROM jump""")
                .bind("device", deviceId)
                .bind("sequence", sequence)
                .bind("batch", batchId)
                .bind("signed", signedDigest)
                .bind("now", now)
                .bindByType("deviceTime", deviceTime.orElse(null), Instant.class)
                .bindByType("skew", skewMillis, Long.class)
                .mapTo(Integer.class)
                .one();
        if (opened > 0) {
            LOG.warn("Device {} skipped sequence numbers before {}: recorded as a hole", deviceId, sequence);
        }
    }
}
