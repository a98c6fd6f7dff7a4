package com.xentracker.server.ingest;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.Gap;
import com.xentracker.core.activity.Span;
import com.xentracker.core.activity.WebPage;
import com.xentracker.server.BatchRejectedException;
import com.xentracker.server.DeviceRevokedException;
import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.NoSuchDeviceException;
import com.xentracker.server.PrivateDataInBatchException;
import com.xentracker.server.rollup.CategoryRules;
import com.xentracker.server.rollup.DailyRollups;
import com.xentracker.server.rollup.TenantSql;
import com.xentracker.server.organization.OrganizationKeys;
import com.xentracker.server.organization.Policies;
import com.xentracker.transport.envelope.OpenedBatch;
import com.xentracker.transport.pki.Pem;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.transport.wire.AgentState;
import com.xentracker.transport.wire.OrganizationCertificate;
import com.xentracker.transport.wire.Erasure;
import com.xentracker.server.access.Action;
import com.xentracker.server.audit.ActorKind;
import com.xentracker.server.audit.AuditChain;
import com.xentracker.server.audit.Outcome;
import com.xentracker.server.audit.Subject;
import com.xentracker.transport.wire.SpanBatch;
import com.xentracker.transport.wire.UploadReceipt;
import com.xentracker.transport.wire.WireCodec;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts a device's sealed batch: the device must be enrolled and not revoked, the batch must decrypt with its
 * organization's key and carry the device's signature, and its content must name the same device and sequence as the
 * URL. Excluded and paused spans must not name an application (privacy: such a batch is refused whole). The ledger
 * row, the spans, the gaps and the device's reported state are written in one transaction; a repeated (device,
 * sequence) returns the stored receipt and writes nothing but the device's last-seen time, so an agent may safely
 * retry. Every receipt carries the organization's current collection policy.
 */
public final class BatchIngest {

    private static final Logger LOG = LoggerFactory.getLogger(BatchIngest.class);
    /** Timestamps outside these bounds come from a broken clock; storing them would distort every report. */
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");

    /** Limits for what the agent says about itself: a status line must never make a batch fail. */
    private static final int MAX_AGENT_VERSION = 255;
    private static final int MAX_CAPTURE_DETAIL = 500;
    /** States that keep only the time: the server must never store which application it was. */
    /** How long one statement of the storing transaction may take before the batch is answered with 503. */
    private static final int STATEMENT_TIMEOUT_MS = 10_000;
    private static final SpanWriter SPAN_WRITER = SpanWriter.DEFAULT;
    private static final Set<ActivityState> ANONYMOUS_STATES = EnumSet.of(ActivityState.EXCLUDED,
            ActivityState.PAUSED);

    private final Jdbi jdbi;
    private final OrganizationKeys keys;
    private final WireCodec codec;
    private final Policies policies;
    private final Clock clock;
    /** Records the devices' confirmations of erasures. */
    private final AuditChain audit;

    private BatchIngest(Jdbi jdbi, OrganizationKeys keys, WireCodec codec, Policies policies, Clock clock,
            AuditChain audit) {
        this.audit = Objects.requireNonNull(audit, "audit");
        this.jdbi = jdbi;
        this.keys = keys;
        this.codec = codec;
        this.policies = policies;
        this.clock = clock;
    }

    public static BatchIngest create(Jdbi jdbi, OrganizationKeys keys, WireCodec codec, Policies policies,
            Clock clock, AuditChain audit) {
        return new BatchIngest(jdbi, keys, codec, policies, clock, audit);
    }

    /** The receipt of a batch stored before, if (device, sequence) is in the ledger. */
    private Optional<UploadReceipt> storedReceipt(Device device, long sequence) {
        return jdbi.withHandle(handle -> TenantSql.query(handle, device.organizationId(), """
                        SELECT accepted_spans FROM batches
                        WHERE organization_id = :organization AND device_id = :device AND sequence = :sequence""")
                .bind("device", device.id())
                .bind("sequence", sequence)
                .mapTo(Integer.class)
                .findOne()
                .map(accepted -> new UploadReceipt(device.id(), sequence, accepted, true,
                        policies.fromStored(device.policyJson(), device.policyVersion()))
                        .withOrganizationCertificate(device.certificatePem()).withErasures(device.erasures())));
    }

    /**
     * What storing a batch needs to know about its device and organization, read in one query before the batch is
     * opened (one round trip instead of one per fact). The person is the one the device's current OS account is
     * mapped to, if it is mapped yet.
     */
    private record Device(UUID organizationId, UUID id, String publicKeyPem, boolean revoked, String osUser,
            Optional<UUID> person, ZoneId zone, String certificatePem, Optional<String> policyJson,
            long policyVersion, CategoryRules categoryRules, List<Erasure> erasures) {
    }

    /**
     * Stores one batch.
     *
     * @throws NoSuchDeviceException   when no device has this id
     * @throws DeviceRevokedException  when the device was revoked
     * @throws BatchRejectedException  when the batch's device id or sequence differ from the URL's, or a span or gap
     *                                 lies outside 2000 to 2100
     * @throws PrivateDataInBatchException when an excluded or paused span names an application, executable or title
     * @throws com.xentracker.transport.UnableToOpenBatchException when it does not decrypt or verify
     * @throws com.xentracker.transport.MalformedMessageException  when the payload is not a span batch
     */
    public UploadReceipt ingest(UUID deviceId, long sequence, byte[] sealed) {
        return ingest(deviceId, sequence, sealed, Optional.empty());
    }

    /**
     * Stores one batch, as {@link #ingest(UUID, long, byte[])}; a new batch's arrival (batch id, the device's clock
     * and its skew against ours) and any hole it reveals in the device's sequence numbers are recorded as well.
     *
     * @param deviceTime the device's clock when it sent the request, if it said
     */
    public UploadReceipt ingest(UUID deviceId, long sequence, byte[] sealed, Optional<Instant> deviceTime) {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(deviceTime, "deviceTime");
        Objects.requireNonNull(sealed, "sealed");
        if (sequence < 0) {
            throw new InvalidRequestException("a batch sequence is not negative");
        }
        Device device = device(deviceId);
        PublicKey signer = Pem.publicKey(device.publicKeyPem());
        // authenticity first: nothing about the ledger is revealed to someone who cannot sign as the device
        // also checks the signed binding: this organization, this device, the URL's sequence
        OpenedBatch opened = keys.open(device.organizationId(), sealed, signer, deviceId, sequence);
        if (device.revoked()) {
            // A revoked device stores nothing more, but a batch stored before the revocation whose receipt the agent
            // lost is answered as the repeat it is: otherwise the agent, re-enrolled, sends those spans again under
            // its new identity and they are counted twice.
            return storedReceipt(device, sequence).orElseThrow(() -> new DeviceRevokedException(deviceId));
        }
        SpanBatch batch = codec.decode(opened.payload(), SpanBatch.class);
        if (!deviceId.equals(batch.deviceId()) || sequence != batch.sequence()) {
            throw new BatchRejectedException("the batch is for device " + batch.deviceId() + " sequence "
                    + batch.sequence() + ", but was sent as device " + deviceId + " sequence " + sequence);
        }
        List<Span> spans = batch.spans();
        for (int i = 0; i < spans.size(); i++) {
            Span span = spans.get(i);
            if (span.start().isBefore(EARLIEST) || span.end().isAfter(LATEST)) {
                throw new BatchRejectedException("the batch has a span outside " + EARLIEST + " to " + LATEST);
            }
            Activity activity = span.activity();
            if (ANONYMOUS_STATES.contains(activity.state()) && (!activity.application().isEmpty()
                    || !activity.executable().isEmpty() || activity.title().isPresent())) {
                // never quote the name: this message goes to logs and back to the agent
                throw new PrivateDataInBatchException("span " + (i + 1) + " of the batch is " + activity.state()
                        + " but names an application, executable or title; excluded and paused time is stored"
                        + " without them, so the whole batch is refused");
            }
        }
        for (Gap gap : batch.gaps()) {
            if (gap.from().isBefore(EARLIEST) || gap.to().isAfter(LATEST)) {
                throw new BatchRejectedException("the batch has a gap outside " + EARLIEST + " to " + LATEST);
            }
        }
        UploadReceipt receipt = store(device, batch, opened.binding().batchId(), deviceTime);
        // every receipt names the current certificate: agents learn a rotated key from their next upload; and the
        // erasures the device has yet to carry out (confirmed by a signed batch, so nobody else can confirm them)
        receipt = receipt.withOrganizationCertificate(device.certificatePem()).withErasures(confirm(device, batch));
        LOG.debug("Batch {} of device {}: {} span(s), {} gap(s){}", sequence, deviceId, receipt.acceptedSpans(),
                batch.gaps().size(), receipt.duplicate() ? ", a repeat" : "");
        return receipt;
    }

    /**
     * The current encryption certificate of the device's organization, for an agent whose batch was refused as
     * sealed to an unknown key. Revoked devices are refused like their uploads.
     */
    public OrganizationCertificate organizationCertificate(UUID deviceId) {
        Objects.requireNonNull(deviceId, "deviceId");
        Device device = device(deviceId);
        if (device.revoked()) {
            throw new DeviceRevokedException(deviceId);
        }
        return new OrganizationCertificate(device.organizationId(), device.certificatePem());
    }

    private Device device(UUID deviceId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT d.organization_id, d.id, d.public_key_pem, d.revoked_at IS NOT NULL AS revoked,
                               d.os_user, u.person_id, o.time_zone, o.encryption_certificate_pem,
                               o.policy::text AS policy, o.policy_version,
                               rules.kinds, rules.patterns, rules.categories,
                               (SELECT array_agg(e.id::text || ' ' || e.through_sequence ORDER BY e.requested_at)
                                FROM device_erasures e WHERE e.device_id = d.id AND e.organization_id = d.organization_id
                                  AND e.confirmed_at IS NULL) AS erasures
                        FROM devices d
                        JOIN organizations o ON o.id = d.organization_id
                        LEFT JOIN device_users u ON u.organization_id = d.organization_id AND u.device_id = d.id
                                                AND u.os_user = d.os_user
                        CROSS JOIN LATERAL (
                            SELECT array_agg(r.kind ORDER BY r.kind, r.pattern) AS kinds,
                                   array_agg(r.pattern ORDER BY r.kind, r.pattern) AS patterns,
                                   array_agg(c.name ORDER BY r.kind, r.pattern) AS categories
                            FROM category_rules r
                            JOIN categories c ON c.organization_id = r.organization_id AND c.id = r.category_id
                            WHERE r.organization_id = d.organization_id) AS rules
                        WHERE d.id = :id""")
                .bind("id", deviceId)
                .map((rs, ctx) -> new Device(rs.getObject("organization_id", UUID.class),
                        rs.getObject("id", UUID.class), rs.getString("public_key_pem"), rs.getBoolean("revoked"),
                        rs.getString("os_user"), Optional.ofNullable(rs.getObject("person_id", UUID.class)),
                        ZoneId.of(rs.getString("time_zone")), rs.getString("encryption_certificate_pem"),
                        Optional.ofNullable(rs.getString("policy")), rs.getLong("policy_version"),
                        CategoryRules.of(strings(rs.getArray("kinds")), strings(rs.getArray("patterns")),
                                strings(rs.getArray("categories"))),
                        strings(rs.getArray("erasures")).map(BatchIngest::erasures).orElse(List.of())))
                .findOne())
                .orElseThrow(() -> new NoSuchDeviceException(deviceId));
    }

    /** The pending erasures as the device lookup reads them: "id through-sequence" each. */
    private static List<Erasure> erasures(String[] pending) {
        List<Erasure> erasures = new java.util.ArrayList<>(pending.length);
        for (String each : pending) {
            int space = each.indexOf(' ');
            erasures.add(new Erasure(UUID.fromString(each.substring(0, space)),
                    Long.parseLong(each.substring(space + 1))));
        }
        return List.copyOf(erasures);
    }

    /**
     * Records the erasures the batch confirms (the device dropped that sent history) and returns those still
     * pending, for the receipt. A confirmation of an erasure that is not the device's changes nothing.
     */
    private List<Erasure> confirm(Device device, SpanBatch batch) {
        if (batch.erasuresDone().isEmpty() || device.erasures().isEmpty()) {
            return device.erasures();
        }
        java.util.Set<UUID> done = new java.util.HashSet<>(batch.erasuresDone());
        List<Erasure> confirmed = device.erasures().stream().filter(e -> done.contains(e.id())).toList();
        if (confirmed.isEmpty()) {
            return device.erasures();
        }
        jdbi.useTransaction(handle -> {
            for (Erasure erasure : confirmed) {
                int first = TenantSql.update(handle, device.organizationId(), """
                                UPDATE device_erasures SET confirmed_at = :now
                                WHERE organization_id = :organization AND device_id = :device AND id = :id
                                  AND confirmed_at IS NULL""")
                        .bind("device", device.id())
                        .bind("id", erasure.id())
                        .bind("now", clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS))
                        .execute();
                if (first == 1) {
                    // in the tamper-evident trail too: the device, in a batch signed with its key, said it is done
                    audit.append(handle, device.organizationId(), ActorKind.DEVICE, Optional.empty(),
                            Action.CONFIRM_ERASURE.auditName(), Subject.device(device.id()).and("erasure "
                                    + erasure.id() + ": sent history through batch " + erasure.throughSequence()
                                    + " dropped"), Outcome.SUCCESS);
                }
            }
        });
        LOG.info("Device {} confirmed {} erasure(s) of its sent history", device.id(), confirmed.size());
        return device.erasures().stream().filter(e -> !done.contains(e.id())).toList();
    }

    private UploadReceipt store(Device device, SpanBatch batch, UUID batchId, Optional<Instant> deviceTime) {
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
                                                      THEN :policyVersion ELSE d.policy_version END
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
                    .mapTo(Boolean.class)
                    .findOne()
                    // the device was deleted after it was looked up: nothing is stored for it
                    .orElseThrow(() -> new NoSuchDeviceException(device.id()));
            CollectionPolicy policy = policies.fromStored(device.policyJson(), device.policyVersion());
            if (!stored) {
                // a concurrent first upload of the same batch has committed by now (the insert waited for it)
                int accepted = TenantSql.query(handle, organization, """
                                SELECT accepted_spans FROM batches
                                WHERE organization_id = :organization AND device_id = :device AND sequence = :sequence""")
                        .bind("device", device.id())
                        .bind("sequence", sequence)
                        .mapTo(Integer.class)
                        .one();
                return new UploadReceipt(device.id(), sequence, accepted, true, policy);
            }
            if (!spans.isEmpty()) {
                storeSpans(handle, device, sequence, spans, now);
            }
            insertGaps(handle, device, sequence, batch.gaps());
            Arrivals.record(handle, organization, device.id(), sequence, batchId, deviceTime, now);
            return new UploadReceipt(device.id(), sequence, spans.size(), false, policy);
        });
    }

    /**
     * The spans, their person and their rollups. The person is the one the device's OS account is mapped to; an
     * unmapped account is mapped on first sight to the person with that login (made when missing), so the same login
     * on several machines is one person until an administrator says otherwise.
     */
    private static void storeSpans(Handle handle, Device device, long sequence, List<Span> spans, Instant now) {
        UUID organization = device.organizationId();
        UUID person = device.person().orElseGet(() -> mapToPerson(handle, device, device.osUser(), now));
        SPAN_WRITER.write(handle, organization, device.id(), person, sequence, spans);
        CategoryRules rules = device.categoryRules();
        DailyRollups rollups = DailyRollups.in(device.zone());
        for (Span span : spans) {
            Activity activity = span.activity();
            String application = SpanWriter.text(activity.application());
            String domain = activity.page().map(WebPage::domain).map(SpanWriter::text).orElse("");
            rollups.add(person, device.id(), span.start(), span.end(), activity.state(), application, domain,
                    rules.categorize(application, domain));
        }
        rollups.addTo(handle, organization);
    }

    /** Race-safe: two batches of new devices with the same login end up with the same person. */
    private static UUID mapToPerson(Handle handle, Device device, String osUser, Instant now) {
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

    private static void insertGaps(Handle handle, Device device, long sequence, List<Gap> gaps) {
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

    private static Optional<String[]> strings(java.sql.Array array) throws java.sql.SQLException {
        return array == null ? Optional.empty() : Optional.of((String[]) array.getArray());
    }

    /** Cuts over-long text at a character boundary (never inside a surrogate pair). */
    private static String limit(String value, int maxLength) {
        if (value.length() <= maxLength) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(maxLength - 1)) ? maxLength - 1 : maxLength;
        return value.substring(0, end);
    }
}
