package com.xentracker.collector.buffer;

import com.xentracker.collector.SpanBufferException;
import com.xentracker.core.activity.Span;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.sqlite.SQLiteConfig;

/**
 * A read-only view of the buffer file for the employee-facing commands ({@code status}, {@code show}), safe while
 * the agent runs: its own read-only connection, and WAL lets a reader see the last committed state without blocking
 * the agent's writes (each method reads in one statement or one snapshot).
 *
 * <p>Not thread-safe; open one per command.
 */
public final class BufferReader implements AutoCloseable {

    private final Path file;
    private final Connection connection;

    private BufferReader(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /**
     * Opens the buffer file for reading; empty when there is none (nothing recorded yet). A file of an older schema
     * is first migrated as the agent would (the agent of this version does the same at its next start).
     *
     * @throws SpanBufferException when the file cannot be read or was written by a newer agent
     */
    public static Optional<BufferReader> open(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Connection connection = connect(file);
        try {
            if (SchemaMigration.userVersion(connection) != SchemaMigration.CURRENT_VERSION) {
                connection.close();
                SpanBuffer.open(file).close(); // migrates, or refuses a newer file with a clear message
                connection = connect(file);
            }
            return Optional.of(new BufferReader(file, connection));
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new SpanBufferException("cannot read the span buffer " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /** How much is waiting for the server. */
    public Backlog backlog() {
        return read(() -> BufferQueries.backlog(connection));
    }

    /** What the agent noted about itself: process, last upload, last error, capture, server facts. */
    public AgentStatus agentStatus() {
        return read(() -> BufferQueries.agentStatus(connection));
    }

    /** The browser endpoint as the agent last noted it; empty when it never did. */
    public Optional<BrowserEndpointStatus> browserEndpointStatus() {
        return read(() -> BufferQueries.browserEndpointStatus(connection));
    }

    /** The span being extended, as of the agent's last poll. */
    public Optional<Span> openSpan() {
        return read(() -> BufferQueries.openSpan(connection));
    }

    /**
     * Everything the buffer holds that overlaps {@code [from, to)}, ordered by start: sent spans (while the sent
     * history keeps them), unsent ones, the open span, and gap records. Spans are not clipped to the period.
     */
    public RecordedPeriod recorded(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("period ends (" + to + ") before it starts (" + from + ")");
        }
        // one snapshot: the open span and the closed spans must not come from two different polls
        return read(() -> {
            connection.setAutoCommit(false);
            try {
                return BufferQueries.recorded(connection, from, to);
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        });
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }

    @Override
    public String toString() {
        return "BufferReader[" + file + "]";
    }

    private <T> T read(SpanBuffer.SqlWork<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new SpanBufferException("cannot read the span buffer " + file + ": " + e.getMessage(), e);
        }
    }

    private static Connection connect(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        // read-only: a view for the employee can never change what the agent uploads
        config.setReadOnly(true);
        // a reader waits only for the rare exclusive moments of a WAL checkpoint reset
        config.setBusyTimeout(5_000);
        try {
            return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        } catch (SQLException e) {
            throw new SpanBufferException("cannot open the span buffer " + file + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // read-only: nothing can be lost
        }
    }
}
