package com.xentracker.server.ingest;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Gap;
import com.xentracker.core.activity.Span;
import com.xentracker.core.activity.WebPage;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.server.BatchRejectedException;
import com.xentracker.server.NoSuchDeviceException;
import com.xentracker.server.organization.Policies;
import com.xentracker.server.rollup.CategoryRules;
import com.xentracker.server.rollup.DailyRollups;
import com.xentracker.server.rollup.TenantSql;
import com.xentracker.transport.wire.AgentState;
import com.xentracker.transport.wire.SpanBatch;
import com.xentracker.transport.wire.UploadReceipt;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The storing transaction of a valid batch: the ledger row and the device's row in one statement, then the spans
 * (COPY), their person and rollups, the gaps and the arrival, all committed together or not at all. A repeated
 * (device, sequence) is a repeat only when it carries the same signed content as the stored batch (the digest of
 * what the device signed, never the sealed bytes: a batch re-sealed to a new organization key differs in every
 * byte of its envelope); other content under a used sequence is refused, not silently answered as stored.
 */
final class BatchStore {

    /** Limits for what the agent says about itself: a status line must never make a batch fail. */
    private static final int MAX_AGENT_VERSION = 255;
    private static final int MAX_CAPTURE_DETAIL = 500;
    /** How long one statement of the storing transaction may take before the batch is answered with 503. */
    private static final int STATEMENT_TIMEOUT_MS = 10_000;
    private static final SpanWriter SPAN_WRITER = SpanWriter.DEFAULT;

    private final Jdbi jdbi;
    private final Policies policies;
    private final Clock clock;

    private BatchStore(Jdbi jdbi, Policies policies, Clock clock) {
        this.jdbi = jdbi;
        this.policies = policies;
        this.clock = clock;
    }

    static BatchStore create(Jdbi jdbi, Policies policies, Clock clock) {
        return new BatchStore(jdbi, policies, clock);
    }

    /** A batch in the ledger, and what identifies its content (absent for batches stored by older versions). */
    private record StoredBatch(long sequence, int acceptedSpans, Optional<byte[]> signedDigest,
            Optional<UUID> batchId) {

        /** Whether a batch with this signed content is a repeat of this stored one. */
        boolean sameAs(byte[] otherDigest, UUID otherBatchId) {
            if (signedDigest.isPresent()) {
                return MessageDigest.isEqual(signedDigest.get(), otherDigest);
            }
            // stored before the digest was kept (V12): the signed batch id tells; before V4 nothing does
            return batchId.map(otherBatchId::equals).orElse(true);
        }

        /**
         * The stored batch's accepted spans, {@code valid} being a repeat of it.
         *
         * @throws BatchRejectedException when {@code valid} is other content under the same sequence
         */
        int repeatedBy(ValidBatch valid) {
            if (!sameAs(valid.signedDigest(), valid.batchId())) {
                throw new BatchRejectedException("batch " + sequence + " of this device was stored before with"
                        + " other signed content; a sequence number is used once");
            }
            return acceptedSpans;
        }
    }

    private static Optional<StoredBatch> stored(Handle handle, DeviceContext device, long sequence) {
        return TenantSql.query(handle, device.organizationId(), """
                        SELECT b.accepted_spans, a.signed_sha256, a.batch_id FROM batches b
                        LEFT JOIN batch_arrivals a ON a.organization_id = b.organization_id
                                                  AND a.device_id = b.device_id AND a.sequence = b.sequence
                        WHERE b.organization_id = :organization AND b.device_id = :device AND b.sequence = :sequence""")
                .bind("device", device.id())
                .bind("sequence", sequence)
                .map((rs, ctx) -> new StoredBatch(sequence, rs.getInt("accepted_spans"),
                        Optional.ofNullable(rs.getBytes("signed_sha256")),
                        Optional.ofNullable(rs.getObject("batch_id", UUID.class))))
                .findOne();
    }

    /**
     * The receipt of the opened batch if this very batch (the same signed content) was stored before, without
     * writing anything: what a revoked device still gets for a batch it sent before its revocation.
     */
    Optional<UploadReceipt> storedReceipt(DeviceContext device, long sequence, byte[] signedDigest, UUID batchId) {
        return jdbi.withHandle(handle -> stored(handle, device, sequence))
                .filter(before -> before.sameAs(signedDigest, batchId))
                .map(before -> new UploadReceipt(device.id(), sequence, before.acceptedSpans(), true,
                        policies.fromStored(device.policyJson(), device.policyVersion())));
    }

    /**
     * Stores a batch in one transaction; a repeat of a stored batch (the same signed content) writes nothing but the
     * device's last-seen time and gets the stored receipt.
     *
     * @throws BatchRejectedException when the device's sequence number was used before for other signed content
     */
    UploadReceipt store(DeviceContext device, ValidBatch valid, Optional<Instant> deviceTime) {
        SpanBatch batch = valid.batch();
        long sequence = batch.sequence();
        List<Span> spans = batch.spans();
        UUID organization = device.organizationId();
        return jdbi.inTransaction(handle -> {
            // A database too slow to store a batch within this answers 503 (the agent retries later) instead of
            // holding the request and its connection without bound.
            handle.execute("SET LOCAL statement_timeout = " + STATEMENT_TIMEOUT_MS);
            Instant now = clock.instant();
            AgentState state = batch.agentState();
            Optional<Instant> lastEnd = spans.stream().map(Span::end).max(Instant::compareTo);
            // One statement, one round trip: the ledger row, then the device's row. The ledger insert runs first
            // (the UPDATE reads its result before it locks the row), so every upload takes its locks in one order.
            // For a new batch it also keeps the newest sequence and span end (how far behind the device's data
            // is) and what the agent said about itself, unless a batch with a higher sequence was stored before:
            // after waiting for the row's lock PostgreSQL re-reads the row, so a late, older batch never
            // overwrites a newer state. An agent that does not report its version keeps the one it enrolled with.
            boolean stored = TenantSql.query(handle, organization, """
                            WITH ledger AS (
                                INSERT INTO batches (organization_id, device_id, sequence, accepted_spans, received_at)
                                VALUES (:organization, :device, :sequence, :spans, :now)
                                ON CONFLICT (organization_id, device_id, sequence) DO NOTHING
                                RETURNING sequence),
                            batch AS (
                                SELECT EXISTS (SELECT 1 FROM ledger) AS new)
                            UPDATE devices d SET
                                last_seen_at = greatest(d.last_seen_at, :now),
                                last_sequence = CASE WHEN b.new THEN greatest(d.last_sequence, :sequence)
                                                     ELSE d.last_sequence END,
                                last_span_end = CASE WHEN b.new THEN greatest(d.last_span_end, :lastEnd)
                                                     ELSE d.last_span_end END,
                                agent_version = CASE WHEN b.new AND coalesce(d.last_sequence < :sequence, true)
                                                          AND :agentVersion <> '' THEN :agentVersion
                                                     ELSE d.agent_version END,
                                capture_state = CASE WHEN b.new AND coalesce(d.last_sequence < :sequence, true)
                                                     THEN :capture ELSE d.capture_state END,
                                capture_detail = CASE WHEN b.new AND coalesce(d.last_sequence < :sequence, true)
                                                      THEN :detail ELSE d.capture_detail END,
                                policy_version = CASE WHEN b.new AND coalesce(d.last_sequence < :sequence, true)
                                                      THEN :policyVersion ELSE d.policy_version END,
                                unsent_spans = CASE WHEN b.new AND coalesce(d.last_sequence < :sequence, true)
                                                    THEN :unsentSpans ELSE d.unsent_spans END,
                                oldest_unsent_at = CASE WHEN b.new AND coalesce(d.last_sequence < :sequence, true)
                                                        THEN :oldestUnsent ELSE d.oldest_unsent_at END
                            FROM batch b
                            WHERE d.organization_id = :organization AND d.id = :device
                            RETURNING b.new""")
                    .bind("device", device.id())
                    .bind("sequence", sequence)
                    .bind("spans", spans.size())
                    .bind("now", now)
                    .bindByType("lastEnd", lastEnd.orElse(null), Instant.class)
                    .bind("agentVersion", limit(SpanWriter.text(state.agentVersion().strip()), MAX_AGENT_VERSION))
                    .bind("capture", state.capture().name())
                    .bind("detail", limit(SpanWriter.text(state.captureDetail()), MAX_CAPTURE_DETAIL))
                    .bind("policyVersion", state.policyVersion())
                    // an agent that does not report its backlog leaves it unknown (NULL), not "nothing waits"
                    .bindByType("unsentSpans", state.backlog().map(AgentState.Backlog::unsentSpans).orElse(null),
                            Long.class)
                    .bindByType("oldestUnsent", state.backlog().flatMap(AgentState.Backlog::oldestUnsentAt)
                            .filter(BatchStore::plausible).orElse(null), Instant.class)
                    .mapTo(Boolean.class)
                    .findOne()
                    // the device was deleted after it was looked up: nothing is stored for it
                    .orElseThrow(() -> new NoSuchDeviceException(device.id()));
            CollectionPolicy policy = policies.fromStored(device.policyJson(), device.policyVersion());
            if (!stored) {
                // a concurrent first upload of the same batch has committed by now (the insert waited for it);
                // other content under a used sequence rolls the last-seen update back with the refusal
                StoredBatch before = stored(handle, device, sequence).orElseThrow();
                return new UploadReceipt(device.id(), sequence, before.repeatedBy(valid), true, policy);
            }
            if (!spans.isEmpty()) {
                storeSpans(handle, device, sequence, spans, now);
            }
            insertGaps(handle, device, sequence, batch.gaps());
            Arrivals.record(handle, organization, device.id(), sequence, valid.batchId(), valid.signedDigest(),
                    deviceTime, now);
            return new UploadReceipt(device.id(), sequence, spans.size(), false, policy);
        });
    }

    /**
     * The spans, their person and their rollups. The person is the one the device's OS account is mapped to; an
     * unmapped account is mapped on first sight to the person with that login (made when missing), so the same login
     * on several machines is one person until an administrator says otherwise.
     */
    private static void storeSpans(Handle handle, DeviceContext device, long sequence, List<Span> spans, Instant now) {
        UUID organization = device.organizationId();
        UUID person = device.person().orElseGet(() -> mapToPerson(handle, device, device.osUser(), now));
        SPAN_WRITER.write(handle, organization, device.id(), person, sequence, spans);
        // Read here, with the device's row locked by the storing statement, not with the device before: a
        // re-categorisation of this device (which takes the same lock) either ran before, and then these are the
        // rules it used, or runs after and sees these rows. Rules read before the lock could be older than a
        // re-categorisation that already passed this device, and the rows stored with them would stay wrong.
        CategoryRules rules = CategoryRules.load(handle, organization);
        // The zone likewise: a change of the zone recounts each device's rollups under this lock, so rows cut at the
        // old zone's midnights by an upload that read the zone before the change could stay after the recount.
        ZoneId zone = TenantSql.query(handle, organization,
                        "SELECT time_zone FROM organizations WHERE id = :organization")
                .mapTo(String.class)
                .map(ZoneId::of)
                .one();
        DailyRollups rollups = DailyRollups.in(zone);
        for (Span span : spans) {
            Activity activity = span.activity();
            String application = SpanWriter.text(activity.application());
            String domain = activity.page().map(WebPage::domain).map(SpanWriter::text).orElse("");
            rollups.add(person, device.id(), span.start(), span.end(), activity.state(), application, domain,
                    rules.categorize(application, domain, activity.title().map(SpanWriter::text)));
        }
        rollups.addTo(handle, organization);
    }

    /** Race-safe: two batches of new devices with the same login end up with the same person. */
    private static UUID mapToPerson(Handle handle, DeviceContext device, String osUser, Instant now) {
        UUID organization = device.organizationId();
        String login = osUser.toLowerCase(Locale.ROOT);
        String name = osUser.isBlank() ? "(unnamed account)" : limit(osUser.strip(), 200);
        TenantSql.update(handle, organization, """
                        INSERT INTO people (organization_id, id, display_name, login, created_at)
                        VALUES (:organization, :id, :name, :login, :now)
                        ON CONFLICT (organization_id, login) DO NOTHING""")
                .bind("id", UUID.randomUUID())
                .bind("name", name)
                .bind("login", login)
                .bind("now", now)
                .execute();
        UUID person = TenantSql.query(handle, organization,
                        "SELECT id FROM people WHERE organization_id = :organization AND login = :login")
                .bind("login", login)
                .mapTo(UUID.class)
                .one();
        TenantSql.update(handle, organization, """
                        INSERT INTO device_users (organization_id, device_id, os_user, person_id)
                        VALUES (:organization, :device, :user, :person)
                        ON CONFLICT (organization_id, device_id, os_user) DO NOTHING""")
                .bind("device", device.id())
                .bind("user", osUser)
                .bind("person", person)
                .execute();
        return TenantSql.query(handle, organization, """
                        SELECT person_id FROM device_users
                        WHERE organization_id = :organization AND device_id = :device AND os_user = :user""")
                .bind("device", device.id())
                .bind("user", osUser)
                .mapTo(UUID.class)
                .one();
    }

    private static void insertGaps(Handle handle, DeviceContext device, long sequence, List<Gap> gaps) {
        if (gaps.isEmpty()) {
            return;
        }
        PreparedBatch insert = handle.prepareBatch("""
                INSERT INTO gaps (organization_id, device_id, batch_sequence, from_at, to_at, reason)
                VALUES (:organization, :device, :sequence, :from, :to, :reason)""");
        for (Gap gap : gaps) {
            insert.bind("organization", device.organizationId())
                    .bind("device", device.id())
                    .bind("sequence", sequence)
                    .bind("from", gap.from())
                    .bind("to", gap.to())
                    .bind("reason", gap.reason().name())
                    .add();
        }
        insert.execute();
    }

    /** Cuts over-long text at a character boundary (never inside a surrogate pair). */
    /**
     * Whether an instant the agent reported about itself is one its clock could have shown. An oldest unsent span
     * outside 2000 to 2100 is dropped from the status (not refused: the batch's spans are what matters), also because
     * PostgreSQL cannot store every Instant.
     */
    private static boolean plausible(Instant instant) {
        return !instant.isBefore(BatchValidation.EARLIEST) && !instant.isAfter(BatchValidation.LATEST);
    }

    private static String limit(String value, int maxLength) {
        if (value.length() <= maxLength) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(maxLength - 1)) ? maxLength - 1 : maxLength;
        return value.substring(0, end);
    }
}
