package com.xentracker.collector.buffer;

import com.xentracker.collector.SpanBufferException;
import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.Span;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The agent's durable queue of spans, in one SQLite file: the span being extended, closed spans not yet
 * acknowledged by the server, and the batches they were assigned to.
 *
 * <p>Upload protocol: {@link #nextBatch(int)} either returns the oldest batch that was assigned but not acknowledged,
 * unchanged, or assigns the oldest unassigned spans to a new batch with the next sequence number and commits that
 * <em>before</em> returning. An upload that is retried after a crash therefore carries the same sequence and the
 * same spans, and the server, which deduplicates by (device, sequence), counts them once.
 * {@link #acknowledge(long, Instant)} deletes the batch and its spans.
 *
 * <p>One connection is the only writer; public methods are thread-safe (serialised). Other processes (the
 * {@code status} command) may read concurrently thanks to WAL.
 */
public final class SpanBuffer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SpanBuffer.class);

    private final Path file;
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    private SpanBuffer(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /**
     * Opens (creating if needed) the buffer file and migrates its schema in place to the current version.
     *
     * @throws SpanBufferException when the file cannot be opened or was written by a newer agent
     */
    public static SpanBuffer open(Path file) {
        Objects.requireNonNull(file, "file");
        SQLiteConfig config = new SQLiteConfig();
        // WAL: a commit appends to the log instead of rewriting pages, and readers (status) never block the writer.
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // NORMAL in WAL mode: a commit is complete once it is in the log in the OS page cache, without fsync. That
        // survives the agent being killed (kill -9, crash, OOM): after one, at most the poll that was being written
        // is lost. Only a power cut or kernel crash can lose the last few commits, and WAL keeps the file consistent
        // even then. FULL would fsync once per poll, every second, all day, on every laptop: wear and battery for a
        // second or two of activity. The one commit that must survive power loss too (assigning a sequence number
        // before it goes to the server) switches to FULL for itself; see nextBatch.
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        // Every transaction here writes, so take the write lock at BEGIN: a deferred transaction that reads first
        // and then writes fails at once with SQLITE_BUSY when another connection wrote meanwhile, busy timeout or not.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        // another process (status, a second start) may briefly hold the lock; wait rather than fail
        config.setBusyTimeout(5_000);
        Connection connection;
        try {
            connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        } catch (SQLException e) {
            throw new SpanBufferException("cannot open the span buffer " + file + ": " + e.getMessage(), e);
        }
        try {
            SchemaMigration.migrate(connection, file);
            return new SpanBuffer(file, connection);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /** The file this buffer lives in. */
    public Path file() {
        return file;
    }

    /**
     * Records one poll atomically: appends the spans the poll closed and replaces the open span (or removes it when
     * {@code openSpan} is empty). Atomic, so a crash never leaves a span both closed and still open.
     */
    public void record(List<Span> closedSpans, Optional<Span> openSpan) {
        Objects.requireNonNull(closedSpans, "closedSpans");
        Objects.requireNonNull(openSpan, "openSpan");
        inTransaction(() -> {
            insertClosed(closedSpans);
            if (openSpan.isPresent()) {
                // the single row (id = 1) is replaced in place every poll
                try (PreparedStatement upsert = connection.prepareStatement("INSERT OR REPLACE INTO open_span"
                        + " (id, start_ns, end_ns, state, application, executable, title) VALUES (1, ?, ?, ?, ?, ?, ?)")) {
                    bind(upsert, 1, openSpan.get());
                    upsert.executeUpdate();
                }
            } else {
                try (Statement delete = connection.createStatement()) {
                    delete.executeUpdate("DELETE FROM open_span");
                }
            }
            return null;
        });
    }

    /** Appends closed spans, in order. */
    public void append(List<Span> closedSpans) {
        Objects.requireNonNull(closedSpans, "closedSpans");
        inTransaction(() -> {
            insertClosed(closedSpans);
            return null;
        });
    }

    /** The span being extended, as last recorded. */
    public Optional<Span> openSpan() {
        return locked(() -> {
            try (Statement query = connection.createStatement();
                    ResultSet rows = query.executeQuery(
                            "SELECT start_ns, end_ns, state, application, executable, title FROM open_span")) {
                return rows.next() ? Optional.of(span(rows)) : Optional.empty();
            }
        });
    }

    /**
     * Moves the open span, if any, to the closed spans, ending where it was last recorded. Used at shutdown and at
     * start-up, where it closes the span a killed agent left open.
     */
    public Optional<Span> closeOpenSpan() {
        return inTransaction(() -> {
            Optional<Span> open;
            try (Statement query = connection.createStatement();
                    ResultSet rows = query.executeQuery(
                            "SELECT start_ns, end_ns, state, application, executable, title FROM open_span")) {
                open = rows.next() ? Optional.of(span(rows)) : Optional.empty();
            }
            if (open.isPresent()) {
                insertClosed(List.of(open.get()));
                try (Statement delete = connection.createStatement()) {
                    delete.executeUpdate("DELETE FROM open_span");
                }
            }
            return open;
        });
    }

    /** Up to {@code limit} closed spans not yet acknowledged by the server, oldest first. */
    public List<Span> oldestUnsent(int limit) {
        requirePositive(limit);
        return locked(() -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT start_ns, end_ns, state, application, executable, title FROM span ORDER BY id LIMIT ?")) {
                query.setInt(1, limit);
                return spans(query);
            }
        });
    }

    /**
     * The next batch to upload: the oldest assigned but unacknowledged batch, exactly as it was assigned; otherwise
     * a new batch of up to {@code maxSpans} of the oldest unassigned spans under the next sequence number, stored
     * durably before this method returns. Empty when there is nothing to send.
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
                return inTransaction(() -> assignBatch(maxSpans));
            } finally {
                setSynchronous("NORMAL");
            }
        } finally {
            lock.unlock();
        }
    }

    /** The server has the batch: deletes it and its spans, and remembers when. Unknown sequences are ignored. */
    public void acknowledge(long sequence, Instant acknowledgedAt) {
        Objects.requireNonNull(acknowledgedAt, "acknowledgedAt");
        inTransaction(() -> {
            try (PreparedStatement spans = connection.prepareStatement("DELETE FROM span WHERE batch_sequence = ?");
                    PreparedStatement batch = connection.prepareStatement("DELETE FROM batch WHERE sequence = ?");
                    PreparedStatement progress = connection.prepareStatement(
                            "UPDATE progress SET last_acknowledged_sequence = ?, last_acknowledged_ns = ?")) {
                spans.setLong(1, sequence);
                spans.executeUpdate();
                batch.setLong(1, sequence);
                if (batch.executeUpdate() == 1) {
                    progress.setLong(1, sequence);
                    progress.setLong(2, Nanos.of(acknowledgedAt));
                    progress.executeUpdate();
                }
            }
            return null;
        });
    }

    /** How much is waiting for the server, and when it last acknowledged a batch. */
    public Backlog backlog() {
        return locked(() -> {
            try (Statement query = connection.createStatement();
                    ResultSet rows = query.executeQuery("SELECT (SELECT count(*) FROM span),"
                            + " (SELECT min(start_ns) FROM span), (SELECT count(*) FROM batch),"
                            + " next_sequence, last_acknowledged_ns FROM progress")) {
                rows.next();
                long spans = rows.getLong(1);
                Optional<Instant> oldest = optionalInstant(rows, 2);
                long batches = rows.getLong(3);
                long nextSequence = rows.getLong(4);
                Optional<Instant> lastAcknowledged = optionalInstant(rows, 5);
                return new Backlog(spans, oldest, batches, nextSequence, lastAcknowledged);
            }
        });
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
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

    private Optional<PendingBatch> pendingBatch() throws SQLException {
        long sequence;
        try (Statement query = connection.createStatement();
                ResultSet rows = query.executeQuery("SELECT min(sequence) FROM batch")) {
            rows.next();
            sequence = rows.getLong(1);
            if (rows.wasNull()) {
                return Optional.empty();
            }
        }
        try (PreparedStatement query = connection.prepareStatement("SELECT start_ns, end_ns, state, application,"
                + " executable, title FROM span WHERE batch_sequence = ? ORDER BY id")) {
            query.setLong(1, sequence);
            return Optional.of(new PendingBatch(sequence, spans(query)));
        }
    }

    private Optional<PendingBatch> assignBatch(int maxSpans) throws SQLException {
        long sequence;
        try (Statement query = connection.createStatement();
                ResultSet rows = query.executeQuery("SELECT next_sequence FROM progress")) {
            rows.next();
            sequence = rows.getLong(1);
        }
        try (PreparedStatement batch = connection.prepareStatement("INSERT INTO batch (sequence) VALUES (?)");
                PreparedStatement assign = connection.prepareStatement("UPDATE span SET batch_sequence = ? WHERE id IN"
                        + " (SELECT id FROM span WHERE batch_sequence IS NULL ORDER BY id LIMIT ?)");
                PreparedStatement advance = connection.prepareStatement(
                        "UPDATE progress SET next_sequence = next_sequence + 1")) {
            batch.setLong(1, sequence);
            batch.executeUpdate();
            assign.setLong(1, sequence);
            assign.setInt(2, maxSpans);
            if (assign.executeUpdate() == 0) {
                connection.rollback(); // nothing to send: no empty batch, no sequence number used
                return Optional.empty();
            }
            advance.executeUpdate();
        }
        Optional<PendingBatch> assigned = pendingBatch();
        LOG.debug("assigned {} spans to batch {}", assigned.map(b -> b.spans().size()).orElse(0), sequence);
        return assigned;
    }

    private void insertClosed(List<Span> spans) throws SQLException {
        if (spans.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO span"
                + " (start_ns, end_ns, state, application, executable, title) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Span span : spans) {
                bind(insert, 1, Objects.requireNonNull(span, "span"));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void bind(PreparedStatement statement, int first, Span span) throws SQLException {
        Activity activity = span.activity();
        statement.setLong(first, Nanos.of(span.start()));
        statement.setLong(first + 1, Nanos.of(span.end()));
        statement.setString(first + 2, activity.state().name());
        statement.setString(first + 3, activity.application());
        statement.setString(first + 4, activity.executable());
        statement.setString(first + 5, activity.title().orElse(null));
    }

    private static List<Span> spans(PreparedStatement query) throws SQLException {
        List<Span> spans = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                spans.add(span(rows));
            }
        }
        return spans;
    }

    private static Span span(ResultSet rows) throws SQLException {
        Activity activity = new Activity(ActivityState.valueOf(rows.getString(3)), rows.getString(4),
                rows.getString(5), Optional.ofNullable(rows.getString(6)));
        return Span.of(Nanos.toInstant(rows.getLong(1)), Nanos.toInstant(rows.getLong(2)), activity);
    }

    private static Optional<Instant> optionalInstant(ResultSet rows, int column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? Optional.empty() : Optional.of(Nanos.toInstant(value));
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
