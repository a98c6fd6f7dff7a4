package com.xentracker.collector.buffer;

import com.xentracker.collector.SpanBufferException;
import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Gap;
import com.xentracker.core.activity.GapReason;
import com.xentracker.core.activity.Span;
import com.xentracker.core.activity.WebPage;
import com.xentracker.transport.wire.CaptureState;
import com.xentracker.transport.wire.ErrorCode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The agent's durable queue of spans, in one SQLite file: the span being extended, closed spans, the batches they
 * were assigned to, gap records for spans the bounds made it drop, and the agent's own state for {@code status}.
 *
 * <p>Upload protocol: {@link #nextBatch(int)} either returns the oldest batch that was assigned but not acknowledged,
 * unchanged, or assigns the oldest unassigned spans and gaps to a new batch with the next sequence number and commits
 * that <em>before</em> returning. An upload that is retried after a crash therefore carries the same sequence and the
 * same content, and the server, which deduplicates by (device, sequence), counts it once.
 * {@link #acknowledge(long, Instant)} marks the batch as sent; its spans stay readable (for {@code show}) for
 * {@link BufferConfig#sentHistory()} after the acknowledgement and are then deleted.
 *
 * <p>Bounds ({@link BufferConfig}) are enforced in every transaction that adds closed spans: spans that ended before
 * {@code now − maxAge} are dropped (now: the injected clock, or the newest added span if earlier); when the live pages exceed {@code maxSizeBytes}, the oldest sent history goes
 * first, then the oldest unsent spans, down to 90 % of the bound (so that a full buffer does not drop on every poll).
 * Each drop records one {@link Gap} covering the dropped spans, in the same transaction. Only spans not yet assigned
 * to a batch are dropped: an assigned batch may already be on the server under its sequence number, and the uploader
 * holds at most one such batch, so it cannot crowd out anything. The open span is never dropped either.
 *
 * <p>One connection is the only writer; public methods are thread-safe (serialised). Other processes read
 * concurrently through {@link BufferReader} thanks to WAL.
 */
public final class SpanBuffer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SpanBuffer.class);
    /**
     * One DEBUG line per closed span, after its commit: its row id and times only, never what it records (no
     * application, title or page). Off by default; {@code -Dxt.log.debug=xentracker.recorded-spans} turns it on, and
     * the fault suite counts these lines against what the server stored. A kill between a commit and its line
     * leaves a span in the buffer that the log lacks, never the reverse.
     */
    private static final Logger RECORDED = LoggerFactory.getLogger("xentracker.recorded-spans");
    /** The WAL is truncated back to this after a checkpoint, so the log adds at most a few MiB to the bound. */
    private static final int WAL_SIZE_LIMIT = 4 * 1024 * 1024;
    private static final long OPEN_RETRY_NANOS = 10_000_000_000L;
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    /** A span row with its two index entries takes at least this many bytes; sizes the chunks a drop deletes. */
    private static final long MIN_BYTES_PER_SPAN = 64;

    private static final String UPSERT_OPEN = "INSERT OR REPLACE INTO open_span"
            + " (id, start_ns, end_ns, state, application, executable, title, domain, url)"
            + " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_CLOSED = "INSERT INTO span"
            + " (start_ns, end_ns, state, application, executable, title, domain, url) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String USED_PAGES = "SELECT (SELECT page_count FROM pragma_page_count())"
            + " - (SELECT freelist_count FROM pragma_freelist_count())";
    // INDEXED BY: without statistics the planner would rather scan every unassigned span via span_by_batch
    private static final String EXPIRED = " FROM span INDEXED BY span_by_start"
            + " WHERE start_ns < ?1 AND end_ns < ?1 AND batch_sequence IS NULL";

    private final Path file;
    private final Connection connection;
    private final BufferConfig config;
    private final Clock clock;
    private final long pageSize;
    private final ReentrantLock lock = new ReentrantLock();
    /** Prepared once: the per-poll statements would otherwise be compiled every second all day. */
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private boolean closed;

    private SpanBuffer(Path file, Connection connection, BufferConfig config, Clock clock, long pageSize) {
        this.file = file;
        this.connection = connection;
        this.config = config;
        this.clock = clock;
        this.pageSize = pageSize;
    }

    /** {@link #open(Path, BufferConfig, Clock)} with the default bounds and the system clock. */
    public static SpanBuffer open(Path file) {
        return open(file, BufferConfig.defaults(), Clock.systemUTC());
    }

    /**
     * Opens (creating if needed) the buffer file and migrates its schema in place to the current version.
     *
     * @param config the bounds, enforced whenever closed spans are added
     * @param clock  "now" for the age bound
     * @throws SpanBufferException when the file cannot be opened or was written by a newer agent
     */
    public static SpanBuffer open(Path file, BufferConfig config, Clock clock) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        SQLiteConfig sqlite = new SQLiteConfig();
        // WAL: a commit appends to the log instead of rewriting pages, and readers (status) never block the writer.
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // NORMAL in WAL mode: a commit is complete once it is in the log in the OS page cache, without fsync. That
        // survives the agent being killed (kill -9, crash, OOM): after one, at most the poll that was being written
        // is lost. Only a power cut or kernel crash can lose the last few commits, and WAL keeps the file consistent
        // even then. FULL would fsync once per poll, every second, all day, on every laptop: wear and battery for a
        // second or two of activity. The one commit that must survive power loss too (assigning a sequence number
        // before it goes to the server) switches to FULL for itself; see nextBatch.
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        sqlite.enforceForeignKeys(true);
        // Every transaction here writes, so take the write lock at BEGIN: a deferred transaction that reads first
        // and then writes fails at once with SQLITE_BUSY when another connection wrote meanwhile, busy timeout or not.
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        // another process (status, a second start) may briefly hold the lock; wait rather than fail
        sqlite.setBusyTimeout(5_000);
        sqlite.setJournalSizeLimit(WAL_SIZE_LIMIT);
        Connection connection = connect(sqlite, file);
        try {
            SchemaMigration.migrate(connection, file);
            long pageSize;
            try (Statement query = connection.createStatement();
                    ResultSet rows = query.executeQuery("PRAGMA page_size")) {
                rows.next();
                pageSize = rows.getLong(1); // fixed for the life of the file (only VACUUM could change it)
            }
            return new SpanBuffer(file, connection, config, clock, pageSize);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new SpanBufferException("cannot open the span buffer " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /**
     * Opens the connection, retrying while another process holds the file during its first open. Switching a new
     * file to WAL takes an exclusive lock and SQLite answers SQLITE_BUSY at once, without calling the busy handler,
     * when two processes (the agent and {@code status}, or a second start) do it at the same moment.
     */
    private static Connection connect(SQLiteConfig sqlite, Path file) {
        long deadline = System.nanoTime() + OPEN_RETRY_NANOS;
        for (int attempt = 1; ; attempt++) {
            try {
                return sqlite.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            } catch (SQLException e) {
                boolean busy = e.getErrorCode() == SQLITE_BUSY || e.getErrorCode() == SQLITE_LOCKED
                        || String.valueOf(e.getMessage()).contains("SQLITE_BUSY");
                if (!busy || System.nanoTime() - deadline > 0) {
                    throw new SpanBufferException("cannot open the span buffer " + file + ": " + e.getMessage(), e);
                }
                try {
                    Thread.sleep(Math.min(10L * attempt, 100L));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new SpanBufferException("interrupted while opening the span buffer " + file, interrupted);
                }
            }
        }
    }

    /** The file this buffer lives in. */
    public Path file() {
        return file;
    }

    /** The bounds it enforces. */
    public BufferConfig config() {
        return config;
    }

    /**
     * Records one poll atomically: appends the spans the poll closed and replaces the open span (or removes it when
     * {@code openSpan} is empty). Atomic, so a crash never leaves a span both closed and still open.
     */
    public void record(List<Span> closedSpans, Optional<Span> openSpan) {
        Objects.requireNonNull(closedSpans, "closedSpans");
        Objects.requireNonNull(openSpan, "openSpan");
        long first = inTransaction(() -> {
            long inserted = insertClosed(closedSpans);
            if (openSpan.isPresent()) {
                // the single row (id = 1) is replaced in place every poll
                PreparedStatement upsert = prepared(UPSERT_OPEN);
                bind(upsert, 1, openSpan.get());
                upsert.executeUpdate();
            } else {
                prepared("DELETE FROM open_span").executeUpdate();
            }
            return inserted;
        });
        logRecorded(first, closedSpans);
    }

    /** Appends closed spans, in order. */
    public void append(List<Span> closedSpans) {
        Objects.requireNonNull(closedSpans, "closedSpans");
        logRecorded(inTransaction(() -> insertClosed(closedSpans)), closedSpans);
    }

    /** The span being extended, as last recorded. */
    public Optional<Span> openSpan() {
        return locked(() -> BufferQueries.openSpan(connection));
    }

    /**
     * Moves the open span, if any, to the closed spans, ending where it was last recorded. Used at shutdown and at
     * start-up, where it closes the span a killed agent left open.
     */
    public Optional<Span> closeOpenSpan() {
        long[] first = {0};
        Optional<Span> closedSpan = inTransaction(() -> {
            Optional<Span> open = BufferQueries.openSpan(connection);
            if (open.isPresent()) {
                first[0] = insertClosed(List.of(open.get()));
                prepared("DELETE FROM open_span").executeUpdate();
            }
            return open;
        });
        closedSpan.ifPresent(span -> logRecorded(first[0], List.of(span)));
        return closedSpan;
    }

    /** The ledger line of each span just committed (ids from {@code firstId} on, in order); see {@link #RECORDED}. */
    private static void logRecorded(long firstId, List<Span> spans) {
        if (!RECORDED.isDebugEnabled()) {
            return;
        }
        for (int i = 0; i < spans.size(); i++) {
            RECORDED.debug("recorded span {} from {} to {}", firstId + i, spans.get(i).start(), spans.get(i).end());
        }
    }

    /** Up to {@code limit} closed spans not yet acknowledged by the server, oldest first. */
    public List<Span> oldestUnsent(int limit) {
        requirePositive(limit);
        return locked(() -> BufferQueries.unsentSpans(connection, limit));
    }

    /** Gap records not yet acknowledged by the server, oldest first. */
    public List<Gap> unsentGaps() {
        return locked(() -> BufferQueries.unsentGaps(connection));
    }

    /**
     * The next batch to upload: the oldest assigned but unacknowledged batch, exactly as it was assigned; otherwise
     * a new batch of all unassigned gap records and up to {@code maxSpans} of the oldest unassigned spans under the
     * next sequence number, stored durably before this method returns. Empty when there is nothing to send.
     */
    public Optional<PendingBatch> nextBatch(int maxSpans) {
        requirePositive(maxSpans);
        lock.lock();
        try {
            ensureOpen();
            Optional<PendingBatch> pending = withSql(this::pendingBatch);
            if (pending.isPresent()) {
                return pending;
            }
            // A sequence number may reach the server as soon as this returns. If a power cut could roll this commit
            // back, the number would be handed out again with other spans, and the server would discard them as a
            // duplicate. So this commit, every upload interval rather than every poll, is fsynced.
            setSynchronous("FULL");
            try {
                return inTransaction(() -> assignBatch(maxSpans, false));
            } finally {
                setSynchronous("NORMAL");
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The server has the batch: marks it and its spans and gaps as sent at {@code acknowledgedAt} and remembers
     * that as the last upload; then deletes what was acknowledged longer than {@link BufferConfig#sentHistory()}
     * ago. Unknown or already acknowledged sequences are ignored.
     */
    public void acknowledge(long sequence, Instant acknowledgedAt) {
        Objects.requireNonNull(acknowledgedAt, "acknowledgedAt");
        inTransaction(() -> {
            PreparedStatement mark = prepared(
                    // the sealed bytes are no longer needed once the server has the batch
                    "UPDATE batch SET acknowledged_ns = ?, sealed = NULL WHERE sequence = ? AND acknowledged_ns IS NULL");
            mark.setLong(1, Nanos.of(acknowledgedAt));
            mark.setLong(2, sequence);
            if (mark.executeUpdate() == 1) {
                PreparedStatement progress = prepared(
                        "UPDATE progress SET last_acknowledged_sequence = ?, last_acknowledged_ns = ?");
                progress.setLong(1, sequence);
                progress.setLong(2, Nanos.of(acknowledgedAt));
                progress.executeUpdate();
            }
            purgeHistory(Nanos.of(acknowledgedAt.minus(config.sentHistory())) + 1, Integer.MAX_VALUE);
            return null;
        });
    }

    /**
     * Drops the sent history of the batches numbered 0 to {@code throughSequence} (those the server acknowledged or
     * refused, with their spans and gaps): the server erased the person whose data they carried and asks the device to
     * keep nothing of it either. Batches not sent yet stay (the server stored them already, or they are not about
     * that person). Doing it again changes nothing.
     *
     * @return the spans deleted
     */
    public int eraseSentHistory(long throughSequence) {
        if (throughSequence < 0) {
            throw new IllegalArgumentException("throughSequence must not be negative, got " + throughSequence);
        }
        return inTransaction(() -> {
            String erased = "SELECT sequence FROM batch WHERE acknowledged_ns IS NOT NULL AND sequence BETWEEN 0 AND ?1";
            int spans = 0;
            for (String table : List.of("span", "gap", "batch")) {
                String column = table.equals("batch") ? "sequence" : "batch_sequence";
                PreparedStatement delete = prepared("DELETE FROM " + table + " WHERE " + column + " IN (" + erased
                        + ")");
                delete.setLong(1, throughSequence);
                int deleted = delete.executeUpdate();
                if (table.equals("span")) {
                    spans = deleted;
                }
            }
            return spans;
        });
    }

    /**
     * The outbox: like {@link #nextBatch(int)}, but a batch is sealed when it is cut, in the same fsynced
     * transaction that assigns its sequence number, and its sealed bytes are stored with it. Every retry of that
     * batch sends exactly these bytes (the same batch id, signature and ciphertext), until {@link #acknowledge} or
     * {@link #reject}. A pending batch without sealed bytes (cut by an older agent or by {@link #nextBatch(int)}) is
     * sealed now and stored the same way.
     *
     * @param seal turns the batch into its sealed bytes; called without the buffer's lock (recording goes on
     *             meanwhile), normally once per batch
     */
    public Optional<SealedBatch> nextSealedBatch(int maxSpans, Function<PendingBatch, byte[]> seal) {
        return nextSealedBatch(maxSpans, seal, false);
    }

    /**
     * {@link #nextSealedBatch(int, Function)}, and when nothing at all waits and {@code evenIfEmpty}: a batch without
     * spans or gaps, which carries only the agent's state (a device that cannot record, or records nothing for a
     * while, still tells the server how it is and receives the organization's policy).
     */
    public Optional<SealedBatch> nextSealedBatch(int maxSpans, Function<PendingBatch, byte[]> seal,
            boolean evenIfEmpty) {
        requirePositive(maxSpans);
        Objects.requireNonNull(seal, "seal");
        Optional<PendingBatch> batch;
        lock.lock();
        try {
            ensureOpen();
            Optional<PendingBatch> pending = withSql(this::pendingBatch);
            if (pending.isPresent()) {
                Optional<byte[]> stored = withSql(() -> sealedBytes(pending.get().sequence()));
                if (stored.isPresent()) {
                    return Optional.of(new SealedBatch(pending.get(), stored.get()));
                }
                batch = pending;
            } else {
                // as in nextBatch: a sequence number handed out must survive a power cut
                setSynchronous("FULL");
                try {
                    batch = inTransaction(() -> assignBatch(maxSpans, evenIfEmpty));
                } finally {
                    setSynchronous("NORMAL");
                }
            }
        } finally {
            lock.unlock();
        }
        if (batch.isEmpty()) {
            return Optional.empty();
        }
        // Sealed outside the lock and any transaction: key agreement, signature and compression take tens of ms, and
        // far longer in a cold JVM, and the recording thread commits a poll every second; it must never wait for
        // them (a kill during such a wait would lose more than the poll in flight). Nothing with this sequence
        // leaves the device before its sealed bytes are stored below, so a crash in between only means the batch
        // (same sequence, same spans) is sealed again at the next start.
        byte[] sealed = Objects.requireNonNull(seal.apply(batch.get()), "sealed bytes");
        long sequence = batch.get().sequence();
        lock.lock();
        try {
            ensureOpen();
            // the bytes a retry must repeat: durable before the first send
            setSynchronous("FULL");
            try {
                return inTransaction(() -> {
                    Optional<byte[]> stored = sealedBytes(sequence);
                    if (stored.isPresent()) {
                        return Optional.of(new SealedBatch(batch.get(), stored.get())); // sealed meanwhile: those
                    }
                    storeSealed(sequence, sealed);
                    return Optional.of(new SealedBatch(batch.get(), sealed));
                });
            } finally {
                setSynchronous("NORMAL");
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Replaces the sealed bytes of an unacknowledged batch, for the one case where the server could not have stored
     * the old ones: it refused them as sealed to an organization key it does not hold. Same sequence, same spans.
     */
    public void reseal(long sequence, byte[] sealed) {
        Objects.requireNonNull(sealed, "sealed");
        inTransaction(() -> {
            storeSealed(sequence, sealed);
            return null;
        });
    }

    /**
     * The server refused the batch for good (it can never be opened or accepted: a poisoned batch). Drops its spans
     * and gaps, records a {@link GapReason#UPLOAD_REJECTED} gap over the time they covered (it travels in the next
     * batch, so the loss is visible on the server), and marks the batch rejected with the server's code; the queue
     * moves on. The sequence number stays used: the server records the hole in the sequence as well.
     */
    public void reject(long sequence, String code, Instant at) {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(at, "at");
        inTransaction(() -> {
            PreparedStatement range = prepared("SELECT min(f), max(t) FROM (SELECT start_ns AS f, end_ns AS t"
                    + " FROM span WHERE batch_sequence = ?1 UNION ALL SELECT from_ns, to_ns FROM gap"
                    + " WHERE batch_sequence = ?1)");
            range.setLong(1, sequence);
            long from;
            long to;
            try (ResultSet rows = range.executeQuery()) {
                rows.next();
                from = rows.getLong(1);
                to = rows.getLong(2);
                if (rows.wasNull()) {
                    return null; // unknown, or already rejected
                }
            }
            for (String table : List.of("span", "gap")) {
                PreparedStatement delete = prepared("DELETE FROM " + table + " WHERE batch_sequence = ?");
                delete.setLong(1, sequence);
                delete.executeUpdate();
            }
            // acknowledged_ns too: every "unsent" query skips it, and the sent-history purge removes the row later
            PreparedStatement mark = prepared("UPDATE batch SET rejected_ns = ?1, rejected_code = ?2,"
                    + " acknowledged_ns = ?1, sealed = NULL WHERE sequence = ?3");
            mark.setLong(1, Nanos.of(at));
            mark.setString(2, code);
            mark.setLong(3, sequence);
            mark.executeUpdate();
            insertGap(from, to, GapReason.UPLOAD_REJECTED);
            return null;
        });
    }

    /**
     * Forgets the sealed bytes of every unacknowledged batch, so they are sealed again (same sequence, same spans)
     * before they are sent: after the device key changed, bytes signed with the old key would be refused. The server
     * deduplicates by sequence, so a batch it already had is still stored once.
     */
    public void forgetSealedBytes() {
        update("UPDATE batch SET sealed = NULL WHERE acknowledged_ns IS NULL");
    }

    private Optional<byte[]> sealedBytes(long sequence) throws SQLException {
        PreparedStatement query = prepared("SELECT sealed FROM batch WHERE sequence = ?");
        query.setLong(1, sequence);
        try (ResultSet rows = query.executeQuery()) {
            return rows.next() ? Optional.ofNullable(rows.getBytes(1)) : Optional.empty();
        }
    }

    private void storeSealed(long sequence, byte[] sealed) throws SQLException {
        PreparedStatement update = prepared("UPDATE batch SET sealed = ? WHERE sequence = ? AND acknowledged_ns IS NULL");
        update.setBytes(1, sealed);
        update.setLong(2, sequence);
        if (update.executeUpdate() != 1) {
            throw new SpanBufferException("span buffer " + file + ": batch " + sequence + " is not pending");
        }
    }

    /** How much is waiting for the server, and when it last acknowledged a batch. */
    public Backlog backlog() {
        return locked(() -> BufferQueries.backlog(connection));
    }

    /**
     * What waits for the server besides batch {@code sequence}: the closed spans neither in that batch nor
     * acknowledged, and the start of the oldest of them. The agent reports it with that batch, so the server shows
     * how far behind the device is (a caught-up agent reports none).
     */
    public Unsent unsentBesides(long sequence) {
        return locked(() -> BufferQueries.unsentBesides(connection, sequence));
    }

    /** Notes that an agent process started on this file (for {@code status}). */
    public void noteAgentStarted(long pid, Instant at) {
        Objects.requireNonNull(at, "at");
        update("UPDATE agent_state SET pid = ?, started_ns = ?, stopped_ns = NULL", pid, Nanos.of(at));
    }

    /** Notes a clean stop of the agent. */
    public void noteAgentStopped(Instant at) {
        Objects.requireNonNull(at, "at");
        update("UPDATE agent_state SET stopped_ns = ?", Nanos.of(at));
    }

    /**
     * Notes a failed upload without a server error code.
     *
     * @param kind    machine-readable, e.g. {@code SERVER_UNREACHABLE}
     * @param message plain words; never a payload, key, token or title
     */
    public void noteUploadFailure(Instant at, String kind, String message) {
        noteUploadFailure(at, kind, Optional.empty(), message);
    }

    /**
     * Notes a failed upload.
     *
     * @param kind    machine-readable, e.g. {@code SERVER_UNREACHABLE}
     * @param code    the server's error code, when it refused with one this version knows
     * @param message plain words; never a payload, key, token or title
     */
    public void noteUploadFailure(Instant at, String kind, Optional<ErrorCode> code, String message) {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        update("UPDATE agent_state SET last_error_ns = ?, last_error_kind = ?, last_error_code = ?,"
                + " last_error_message = ?", Nanos.of(at), kind, code.map(ErrorCode::code).orElse(null), message);
    }

    /** The device identity whose sequence numbers this buffer holds; empty until {@link #bindTo(UUID)}. */
    public Optional<UUID> boundDevice() {
        return locked(this::deviceId);
    }

    /**
     * Makes {@code deviceId} the owner of this buffer's sequence numbers. Call it before anything is sealed for that
     * device. A buffer not bound yet (new, or written by an agent before re-enrollment existed) is simply bound: the
     * device enrolled now is the one its batches were cut for. A buffer bound to that device already is left alone.
     *
     * <p>A buffer bound to <em>another</em> device is handed over (re-enrollment, {@code enroll --replace}), in one
     * fsynced transaction, so a crash leaves either the old or the new binding and this call can simply be repeated:
     * <ul>
     *   <li>Every batch the server has not acknowledged is withdrawn: its sealed bytes were signed with the old key
     *       and bound to the old device id and sequence, so the new identity could never send them, and the old one
     *       may not. Its spans and gaps wait again; the next batches, under the new identity, carry them in the
     *       order they were recorded (span ids), the gaps ahead of the spans, as always.</li>
     *   <li>The next sequence number is 1 again, where the server starts a new device: the new device's first batch
     *       leaves no hole in its sequence.</li>
     *   <li>The sent history (acknowledged and rejected batches, with their spans, for {@code show}) stays, moved to
     *       sequence numbers at or below 0 that no device ever uploads, and it is purged by age as before.</li>
     *   <li>The last upload error is cleared: it was the old identity's (typically {@code device-revoked}).</li>
     * </ul>
     *
     * @return what was handed over; empty when nothing had to change hands
     */
    public Optional<Handover> bindTo(UUID deviceId) {
        Objects.requireNonNull(deviceId, "deviceId");
        lock.lock();
        try {
            ensureOpen();
            Optional<UUID> bound = withSql(this::deviceId);
            if (bound.filter(deviceId::equals).isPresent()) {
                return Optional.empty(); // every start of the agent: nothing to write
            }
            // a power cut must not undo this after batches were sealed under the new binding
            setSynchronous("FULL");
            try {
                return inTransaction(() -> handOver(deviceId));
            } finally {
                setSynchronous("NORMAL");
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Notes whether the agent can capture. Writes only when the state or detail changed, so that the agent may
     * call it after every poll.
     *
     * @param state  as reported to the server
     * @param detail plain words, never personal data (no titles or application names); empty when none
     */
    public void noteCapture(CaptureState state, String detail, Instant at) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(at, "at");
        update("UPDATE agent_state SET capture_state = ?1, capture_detail = ?2, capture_since_ns = ?3"
                + " WHERE capture_state IS NOT ?1 OR capture_detail IS NOT ?2", state.name(), detail, Nanos.of(at));
    }

    /** Notes the collection policy version the server reported. */
    public void notePolicy(long version, Instant at) {
        Objects.requireNonNull(at, "at");
        update("UPDATE agent_state SET policy_version = ?, policy_seen_ns = ?", version, Nanos.of(at));
    }

    /**
     * Notes whether the browser endpoint listens (at start) and forgets the last report of an earlier run.
     *
     * @param detail plain words: where it listens, or why it does not
     */
    public void noteBrowserEndpoint(boolean listening, String detail, Instant at) {
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(at, "at");
        update("UPDATE agent_state SET browser_listening = ?, browser_detail = ?, browser_since_ns = ?,"
                + " browser_last_report_ns = NULL", listening ? 1 : 0, detail, Nanos.of(at));
    }

    /** Notes when a browser extension last delivered events. */
    public void noteBrowserReport(Instant at) {
        Objects.requireNonNull(at, "at");
        update("UPDATE agent_state SET browser_last_report_ns = ?", Nanos.of(at));
    }

    /** The browser endpoint as last noted; empty when this file's agent never noted it. */
    public Optional<BrowserEndpointStatus> browserEndpointStatus() {
        return locked(() -> BufferQueries.browserEndpointStatus(connection));
    }

    /** What the agent noted about itself. */
    public AgentStatus agentStatus() {
        return locked(() -> BufferQueries.agentStatus(connection));
    }

    /** Everything held that overlaps {@code [from, to)}; see {@link BufferReader#recorded(Instant, Instant)}. */
    public RecordedPeriod recorded(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return locked(() -> BufferQueries.recorded(connection, from, to));
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                for (PreparedStatement statement : statements.values()) {
                    try {
                        statement.close();
                    } catch (SQLException e) {
                        // the connection goes next; it releases what is left
                    }
                }
                statements.clear();
                closeQuietly(connection);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "SpanBuffer[" + file + "]";
    }

    private Optional<UUID> deviceId() throws SQLException {
        try (ResultSet rows = prepared("SELECT device_id FROM progress").executeQuery()) {
            return rows.next() ? Optional.ofNullable(rows.getString(1)).map(UUID::fromString) : Optional.empty();
        }
    }

    /** Within the caller's transaction: see {@link #bindTo(UUID)}. */
    private Optional<Handover> handOver(UUID deviceId) throws SQLException {
        Optional<UUID> previous = deviceId(); // read again under the write lock
        if (previous.filter(deviceId::equals).isPresent()) {
            return Optional.empty();
        }
        PreparedStatement bind = prepared("UPDATE progress SET device_id = ?");
        bind.setString(1, deviceId.toString());
        if (previous.isEmpty()) {
            bind.executeUpdate();
            return Optional.empty();
        }
        String withdrawn = " WHERE batch_sequence IN (SELECT sequence FROM batch WHERE acknowledged_ns IS NULL)";
        long batches;
        try (ResultSet rows = prepared("SELECT count(*) FROM batch WHERE acknowledged_ns IS NULL").executeQuery()) {
            rows.next();
            batches = rows.getLong(1);
        }
        // back into the queue, in place: span and gap ids (insertion order) are what batches are cut by
        long spans = prepared("UPDATE span SET batch_sequence = NULL" + withdrawn).executeUpdate();
        long gaps = prepared("UPDATE gap SET batch_sequence = NULL" + withdrawn).executeUpdate();
        prepared("DELETE FROM batch WHERE acknowledged_ns IS NULL").executeUpdate();
        moveHistoryBelowOne();
        prepared("UPDATE progress SET next_sequence = 1, last_acknowledged_sequence = NULL").executeUpdate();
        bind.executeUpdate();
        prepared("UPDATE agent_state SET last_error_ns = NULL, last_error_kind = NULL, last_error_code = NULL,"
                + " last_error_message = NULL").executeUpdate();
        Handover handover = new Handover(previous.get(), deviceId, batches, spans, gaps);
        LOG.info("span buffer handed over from device {} to device {}: {} unacknowledged batch(es) withdrawn, their"
                + " {} span(s) and {} gap(s) wait for the new device's batches, numbered from 1", handover.from(),
                handover.to(), batches, spans, gaps);
        return Optional.of(handover);
    }

    /**
     * Renumbers the acknowledged batches of the device being replaced (positive sequences) to numbers below every
     * sequence in the file and at most 0, keeping their order; those of earlier replacements are there already.
     * The new device's batches then start at 1 without meeting an old row, and history is told apart by sign.
     */
    private void moveHistoryBelowOne() throws SQLException {
        long highest;
        long floor;
        try (ResultSet rows = prepared("SELECT max(sequence), min(min(sequence), 1) FROM batch").executeQuery()) {
            rows.next();
            highest = rows.getLong(1);
            if (rows.wasNull() || highest < 1) {
                return;
            }
            floor = rows.getLong(2);
        }
        long shift = highest - floor + 1; // each moved row lands below every row already there: no key collides
        try (Statement pragma = connection.createStatement()) {
            // spans and gaps refer to batch.sequence; the three updates agree only at the end of the transaction
            // (the pragma ends with it)
            pragma.execute("PRAGMA defer_foreign_keys = ON");
        }
        for (String table : List.of("batch", "span", "gap")) {
            String column = table.equals("batch") ? "sequence" : "batch_sequence";
            PreparedStatement move = prepared("UPDATE " + table + " SET " + column + " = " + column + " - ?"
                    + " WHERE " + column + " > 0");
            move.setLong(1, shift);
            move.executeUpdate();
        }
    }

    private Optional<PendingBatch> pendingBatch() throws SQLException {
        long sequence;
        try (ResultSet rows = prepared("SELECT min(sequence) FROM batch WHERE acknowledged_ns IS NULL")
                .executeQuery()) {
            rows.next();
            sequence = rows.getLong(1);
            if (rows.wasNull()) {
                return Optional.empty();
            }
        }
        List<Span> spans = new ArrayList<>();
        PreparedStatement spanQuery = prepared("SELECT " + BufferQueries.SPAN_COLUMNS
                + " FROM span WHERE batch_sequence = ? ORDER BY id");
        spanQuery.setLong(1, sequence);
        try (ResultSet rows = spanQuery.executeQuery()) {
            while (rows.next()) {
                spans.add(BufferQueries.span(rows, 1));
            }
        }
        List<Gap> gaps = new ArrayList<>();
        PreparedStatement gapQuery = prepared("SELECT from_ns, to_ns, reason FROM gap WHERE batch_sequence = ?"
                + " ORDER BY id");
        gapQuery.setLong(1, sequence);
        try (ResultSet rows = gapQuery.executeQuery()) {
            while (rows.next()) {
                gaps.add(BufferQueries.gap(rows, 1));
            }
        }
        // a batch without spans or gaps is a state-only report (nextSealedBatch with evenIfEmpty)
        return Optional.of(new PendingBatch(sequence, spans, gaps));
    }

    private Optional<PendingBatch> assignBatch(int maxSpans, boolean evenIfEmpty) throws SQLException {
        long sequence;
        try (ResultSet rows = prepared("SELECT next_sequence FROM progress").executeQuery()) {
            rows.next();
            sequence = rows.getLong(1);
        }
        PreparedStatement batch = prepared("INSERT INTO batch (sequence) VALUES (?)");
        batch.setLong(1, sequence);
        batch.executeUpdate();
        // Gaps first and all of them: each covers spans dropped before every span still unassigned, so they precede
        // this batch's spans in time. There are few (one per drop).
        PreparedStatement gaps = prepared("UPDATE gap SET batch_sequence = ? WHERE batch_sequence IS NULL");
        gaps.setLong(1, sequence);
        int assignedGaps = gaps.executeUpdate();
        PreparedStatement spans = prepared("UPDATE span SET batch_sequence = ? WHERE id IN"
                + " (SELECT id FROM span WHERE batch_sequence IS NULL ORDER BY id LIMIT ?)");
        spans.setLong(1, sequence);
        spans.setInt(2, maxSpans);
        int assignedSpans = spans.executeUpdate();
        if (assignedGaps + assignedSpans == 0 && !evenIfEmpty) {
            connection.rollback(); // nothing to send: no empty batch, no sequence number used
            return Optional.empty();
        }
        prepared("UPDATE progress SET next_sequence = next_sequence + 1").executeUpdate();
        LOG.debug("assigned {} spans and {} gaps to batch {}", assignedSpans, assignedGaps, sequence);
        return pendingBatch();
    }

    /** Inserts closed spans and enforces the bounds; the row id of the first (the others follow it), 0 if none. */
    private long insertClosed(List<Span> spans) throws SQLException {
        if (spans.isEmpty()) {
            return 0;
        }
        PreparedStatement insert = prepared(INSERT_CLOSED);
        Instant newest = Instant.MIN;
        for (Span span : spans) {
            bind(insert, 1, Objects.requireNonNull(span, "span"));
            insert.addBatch();
            newest = span.end().isAfter(newest) ? span.end() : newest;
        }
        insert.executeBatch();
        long last;
        try (ResultSet rows = prepared("SELECT last_insert_rowid()").executeQuery()) {
            rows.next();
            last = rows.getLong(1);
        }
        enforceBounds(newest);
        return last - spans.size() + 1;
    }

    /**
     * Within the caller's transaction: the age bound, then the size bound. Age is measured from now, or from the
     * newest span being added when that is earlier: what the recorder is adding right now is never itself expired,
     * whichever clock stamped it.
     */
    private void enforceBounds(Instant newestAdded) throws SQLException {
        Instant now = clock.instant();
        Instant reference = newestAdded.isBefore(now) ? newestAdded : now;
        expire(Nanos.of(reference.minus(config.maxAge())));
        long used = usedBytes();
        if (used <= config.maxSizeBytes()) {
            return;
        }
        long target = config.maxSizeBytes() - config.maxSizeBytes() / 10;
        // sent history first: the server has it already, so deleting it loses nothing
        long historyBefore = used;
        while (used > target && purgeHistory(Long.MAX_VALUE, 16) > 0) {
            used = usedBytes();
        }
        if (used < historyBefore) {
            LOG.info("span buffer over {} bytes: deleted the oldest sent history ({} -> {} bytes in use)",
                    config.maxSizeBytes(), historyBefore, used);
        }
        if (used > target) {
            dropOldestUnsent(used, target);
        }
    }

    /** Drops unassigned spans that ended before {@code cutoffNs}, recording one BUFFER_EXPIRED gap. */
    private void expire(long cutoffNs) throws SQLException {
        PreparedStatement range = prepared("SELECT count(*), min(start_ns), max(end_ns)" + EXPIRED);
        range.setLong(1, cutoffNs);
        long count;
        long from;
        long to;
        try (ResultSet rows = range.executeQuery()) {
            rows.next();
            count = rows.getLong(1);
            from = rows.getLong(2);
            to = rows.getLong(3);
        }
        if (count == 0) {
            return;
        }
        PreparedStatement delete = prepared("DELETE FROM span WHERE id IN (SELECT id" + EXPIRED + ")");
        delete.setLong(1, cutoffNs);
        delete.executeUpdate();
        Gap gap = insertGap(from, to, GapReason.BUFFER_EXPIRED);
        LOG.warn("span buffer: dropped {} unsent spans older than {} (from {} to {}); a gap record tells the server",
                count, config.maxAge(), gap.from(), gap.to());
    }

    /** Drops the oldest unassigned spans until {@code target} bytes are in use, recording one BUFFER_FULL gap. */
    private void dropOldestUnsent(long used, long target) throws SQLException {
        long dropped = 0;
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        long before = used;
        PreparedStatement chunk = prepared("SELECT count(*), max(id), min(start_ns), max(end_ns) FROM (SELECT id,"
                + " start_ns, end_ns FROM span WHERE batch_sequence IS NULL ORDER BY id LIMIT ?)");
        PreparedStatement delete = prepared("DELETE FROM span WHERE batch_sequence IS NULL AND id <= ?");
        while (used > target) {
            // enough rows to free the excess if each took the minimum; the loop measures again and goes on if not
            chunk.setLong(1, Math.max(16, (used - target) / MIN_BYTES_PER_SPAN));
            long count;
            long lastId;
            try (ResultSet rows = chunk.executeQuery()) {
                rows.next();
                count = rows.getLong(1);
                lastId = rows.getLong(2);
                if (count > 0) {
                    from = Math.min(from, rows.getLong(3));
                    to = Math.max(to, rows.getLong(4));
                }
            }
            if (count == 0) {
                LOG.warn("span buffer: {} bytes in use and no unsent span left that may be dropped (bound {})",
                        used, config.maxSizeBytes());
                break;
            }
            delete.setLong(1, lastId);
            delete.executeUpdate();
            dropped += count;
            used = usedBytes();
        }
        if (dropped > 0) {
            Gap gap = insertGap(from, Math.max(from, to), GapReason.BUFFER_FULL);
            LOG.warn("span buffer full ({} of {} bytes): dropped the {} oldest unsent spans (from {} to {}); a gap"
                    + " record tells the server", before, config.maxSizeBytes(), dropped, gap.from(), gap.to());
        }
    }

    /**
     * Deletes up to {@code maxBatches} of the oldest batches acknowledged before {@code beforeNs},
     * with their spans and gaps.
     *
     * @return how many batches were deleted
     */
    private int purgeHistory(long beforeNs, int maxBatches) throws SQLException {
        String oldest = "SELECT sequence FROM batch WHERE acknowledged_ns IS NOT NULL AND acknowledged_ns < ?1"
                + " ORDER BY acknowledged_ns, sequence LIMIT ?2";
        int deleted = 0;
        for (String table : List.of("span", "gap", "batch")) {
            String column = table.equals("batch") ? "sequence" : "batch_sequence";
            PreparedStatement delete = prepared("DELETE FROM " + table + " WHERE " + column + " IN (" + oldest + ")");
            delete.setLong(1, beforeNs);
            delete.setInt(2, maxBatches);
            deleted = delete.executeUpdate(); // the last one counts batches
        }
        return deleted;
    }

    /**
     * Records a gap, or extends the newest unsent gap of the same reason when this one continues it exactly (a full
     * buffer drops a little at a time; the server should see one loss, not dozens).
     */
    private Gap insertGap(long fromNs, long toNs, GapReason reason) throws SQLException {
        PreparedStatement extend = prepared("UPDATE gap SET to_ns = ?1 WHERE id = (SELECT max(id) FROM gap"
                + " WHERE batch_sequence IS NULL) AND reason = ?3 AND to_ns = ?2 RETURNING from_ns");
        extend.setLong(1, toNs);
        extend.setLong(2, fromNs);
        extend.setString(3, reason.name());
        try (ResultSet rows = extend.executeQuery()) {
            if (rows.next()) {
                return Gap.of(Nanos.toInstant(rows.getLong(1)), Nanos.toInstant(toNs), reason);
            }
        }
        PreparedStatement insert = prepared("INSERT INTO gap (from_ns, to_ns, reason) VALUES (?, ?, ?)");
        insert.setLong(1, fromNs);
        insert.setLong(2, toNs);
        insert.setString(3, reason.name());
        insert.executeUpdate();
        return Gap.of(Nanos.toInstant(fromNs), Nanos.toInstant(toNs), reason);
    }

    /** See {@link BufferQueries#usedBytes}; the page size is read once at open. */
    private long usedBytes() throws SQLException {
        try (ResultSet rows = prepared(USED_PAGES).executeQuery()) {
            rows.next();
            return rows.getLong(1) * pageSize;
        }
    }

    private void update(String sql, Object... parameters) {
        inTransaction(() -> {
            PreparedStatement statement = prepared(sql);
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
            return null;
        });
    }

    private PreparedStatement prepared(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    private static void bind(PreparedStatement statement, int first, Span span) throws SQLException {
        Activity activity = span.activity();
        statement.setLong(first, Nanos.of(span.start()));
        statement.setLong(first + 1, Nanos.of(span.end()));
        statement.setString(first + 2, activity.state().name());
        statement.setString(first + 3, activity.application());
        statement.setString(first + 4, activity.executable());
        statement.setString(first + 5, activity.title().orElse(null));
        statement.setString(first + 6, activity.page().map(WebPage::domain).orElse(null));
        statement.setString(first + 7, activity.page().flatMap(WebPage::url).orElse(null));
    }

    private void setSynchronous(String mode) {
        withSql(() -> {
            try (Statement pragma = connection.createStatement()) {
                pragma.execute("PRAGMA synchronous = " + mode);
            }
            return null;
        });
    }

    private <T> T inTransaction(SqlWork<T> work) {
        return locked(() -> {
            connection.setAutoCommit(false);
            try {
                T result = work.run();
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        });
    }

    private <T> T locked(SqlWork<T> work) {
        lock.lock();
        try {
            ensureOpen();
            return withSql(work);
        } finally {
            lock.unlock();
        }
    }

    private <T> T withSql(SqlWork<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new SpanBufferException("span buffer " + file + ": " + e.getMessage(), e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new SpanBufferException("span buffer " + file + " is closed");
        }
    }

    private static void requirePositive(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive, got " + count);
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("closing the span buffer failed: {}", e.getMessage());
        }
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T run() throws SQLException;
    }
}
