package com.xentracker.collector.browser;

import com.xentracker.collector.SpanBufferException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sqlite.SQLiteConfig;

/**
 * The {@code web_spans} table in its own SQLite file. The open span of each browser is a row with
 * {@code open = 1} whose end moves with every heartbeat, so a killed agent loses at most one heartbeat of browsing.
 * Times are epoch milliseconds: the browser's clock has no finer resolution. Not thread-safe: the tracker
 * serialises access.
 */
final class WebSpanStore implements AutoCloseable {

    private static final int SCHEMA_VERSION = 1;
    private static final String COLUMNS =
            "id, start_ms, end_ms, state, browser, browser_version, domain, url, title, audible, open";

    private final Connection connection;

    private WebSpanStore(Connection connection) {
        this.connection = connection;
    }

    static WebSpanStore open(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        // the same durability trade-off as the main span buffer (see SpanBuffer.open): WAL + NORMAL survives a
        // killed agent; only a power cut can lose the last heartbeat or two
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.setBusyTimeout(5_000);
        Connection connection;
        try {
            connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        } catch (SQLException e) {
            throw new SpanBufferException("cannot open the web span file " + file + ": " + e.getMessage(), e);
        }
        try {
            migrate(connection, file);
            return new WebSpanStore(connection);
        } catch (RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static void migrate(Connection connection, Path file) {
        try (Statement statement = connection.createStatement()) {
            int version;
            try (ResultSet rows = statement.executeQuery("PRAGMA user_version")) {
                version = rows.next() ? rows.getInt(1) : 0;
            }
            if (version > SCHEMA_VERSION) {
                throw new SpanBufferException("the web span file " + file + " has schema version " + version
                        + ", newer than this agent's " + SCHEMA_VERSION);
            }
            if (version == 0) {
                connection.setAutoCommit(false);
                statement.executeUpdate("""
                        CREATE TABLE web_spans (
                            id              INTEGER PRIMARY KEY, -- insertion order = chronological per browser
                            start_ms        INTEGER NOT NULL,
                            end_ms          INTEGER NOT NULL,
                            state           TEXT    NOT NULL CHECK (state IN ('ACTIVE', 'AUDIBLE', 'EXCLUDED')),
                            browser         TEXT    NOT NULL,
                            browser_version TEXT    NOT NULL,
                            domain          TEXT    NOT NULL, -- '' when EXCLUDED
                            url             TEXT,             -- NULL unless the policy collects full URLs
                            title           TEXT,             -- NULL unless the policy collects titles
                            audible         INTEGER NOT NULL,
                            open            INTEGER NOT NULL  -- 1 while heartbeats still extend it
                        )""");
                statement.executeUpdate("PRAGMA user_version = " + SCHEMA_VERSION);
                connection.commit();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new SpanBufferException("cannot prepare the web span file " + file + ": " + e.getMessage(), e);
        }
    }

    long insertOpen(WebSpan span) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO web_spans (start_ms, end_ms, state,"
                + " browser, browser_version, domain, url, title, audible, open) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                Statement.RETURN_GENERATED_KEYS)) {
            insert.setLong(1, span.start().toEpochMilli());
            insert.setLong(2, span.end().toEpochMilli());
            insert.setString(3, span.state().name());
            insert.setString(4, span.browserName());
            insert.setString(5, span.browserVersion());
            insert.setString(6, span.domain());
            setOptional(insert, 7, span.url());
            setOptional(insert, 8, span.title());
            insert.setInt(9, span.audible() ? 1 : 0);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    void update(long id, Instant end, boolean open) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE web_spans SET end_ms = ?, open = ? WHERE id = ?")) {
            update.setLong(1, end.toEpochMilli());
            update.setInt(2, open ? 1 : 0);
            update.setLong(3, id);
            update.executeUpdate();
        }
    }

    /** Marks every open row closed where it last ended (at start-up: the spans a killed agent left open). */
    int closeAllOpen() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            return statement.executeUpdate("UPDATE web_spans SET open = 0 WHERE open = 1");
        }
    }

    List<WebSpan> all() throws SQLException {
        List<WebSpan> spans = new ArrayList<>();
        try (Statement query = connection.createStatement();
                ResultSet rows = query.executeQuery("SELECT " + COLUMNS + " FROM web_spans ORDER BY id")) {
            while (rows.next()) {
                spans.add(new WebSpan(Instant.ofEpochMilli(rows.getLong("start_ms")),
                        Instant.ofEpochMilli(rows.getLong("end_ms")), WebSpanState.valueOf(rows.getString("state")),
                        rows.getString("browser"), rows.getString("browser_version"), rows.getString("domain"),
                        Optional.ofNullable(rows.getString("url")), Optional.ofNullable(rows.getString("title")),
                        rows.getInt("audible") == 1, rows.getInt("open") == 1));
            }
        }
        return spans;
    }

    /** Runs {@code work} in one transaction. */
    void inTransaction(SqlWork work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            work.run();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    private static void setOptional(PreparedStatement statement, int index, Optional<String> value)
            throws SQLException {
        if (value.isPresent()) {
            statement.setString(index, value.get());
        } else {
            statement.setNull(index, Types.VARCHAR);
        }
    }

    @FunctionalInterface
    interface SqlWork {
        void run() throws SQLException;
    }
}
