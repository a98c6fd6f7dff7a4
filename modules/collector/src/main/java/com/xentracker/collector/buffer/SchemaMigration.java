package com.xentracker.collector.buffer;

import com.xentracker.collector.SpanBufferException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the buffer file to the current schema in place. The version is SQLite's {@code PRAGMA user_version}
 * (0 for a new or empty file); step {@code n} takes version {@code n} to {@code n + 1}. All pending steps and the
 * version change run in one transaction, so a crash mid-migration leaves the previous version intact.
 * Append new steps; never edit a released one.
 */
final class SchemaMigration {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigration.class);

    private static final List<List<String>> STEPS = List.of(
            // 0 -> 1
            List.of("""
                    CREATE TABLE batch (
                        sequence INTEGER PRIMARY KEY
                    )""", """
                    CREATE TABLE span (
                        id             INTEGER PRIMARY KEY, -- insertion order = chronological order
                        start_ns       INTEGER NOT NULL,
                        end_ns         INTEGER NOT NULL,
                        state          TEXT    NOT NULL,
                        application    TEXT    NOT NULL,
                        executable     TEXT    NOT NULL,
                        title          TEXT,                -- NULL unless the title policy allowed it
                        batch_sequence INTEGER REFERENCES batch (sequence)
                    )""",
                    "CREATE INDEX span_by_batch ON span (batch_sequence, id)", """
                    CREATE TABLE open_span (
                        id          INTEGER PRIMARY KEY CHECK (id = 1), -- at most one span is open
                        start_ns    INTEGER NOT NULL,
                        end_ns      INTEGER NOT NULL,
                        state       TEXT    NOT NULL,
                        application TEXT    NOT NULL,
                        executable  TEXT    NOT NULL,
                        title       TEXT
                    )""", """
                    CREATE TABLE progress (
                        id                         INTEGER PRIMARY KEY CHECK (id = 1),
                        next_sequence              INTEGER NOT NULL,
                        last_acknowledged_sequence INTEGER,
                        last_acknowledged_ns       INTEGER
                    )""",
                    "INSERT INTO progress (id, next_sequence) VALUES (1, 1)"),
            // 1 -> 2: sent history, gap records for dropped spans, the agent's own state. Existing batches are all
            // unacknowledged (version 1 deleted a batch on acknowledgement), which NULL says.
            List.of("ALTER TABLE batch ADD COLUMN acknowledged_ns INTEGER", // NULL until the server acknowledged it
                    "CREATE INDEX batch_by_acknowledged ON batch (acknowledged_ns, sequence)",
                    "CREATE INDEX span_by_start ON span (start_ns)", // show --date
                    """
                    CREATE TABLE gap (
                        id             INTEGER PRIMARY KEY, -- insertion order
                        from_ns        INTEGER NOT NULL,
                        to_ns          INTEGER NOT NULL,
                        reason         TEXT    NOT NULL,    -- GapReason
                        batch_sequence INTEGER REFERENCES batch (sequence)
                    )""",
                    "CREATE INDEX gap_by_batch ON gap (batch_sequence, id)", """
                    CREATE TABLE agent_state (
                        id                 INTEGER PRIMARY KEY CHECK (id = 1),
                        pid                INTEGER,
                        started_ns         INTEGER,
                        stopped_ns         INTEGER,
                        last_error_ns      INTEGER,
                        last_error_kind    TEXT,
                        last_error_message TEXT,
                        capture_state      TEXT,
                        capture_detail     TEXT,
                        capture_since_ns   INTEGER,
                        policy_version     INTEGER,
                        policy_seen_ns     INTEGER
                    )""",
                    "INSERT INTO agent_state (id) VALUES (1)"),
            // 2 -> 3: the web page of a foreground browser's active tab. NULL for every other span and
            // for the spans of older versions; a URL only where the organization's policy collects URLs.
            List.of("ALTER TABLE span ADD COLUMN domain TEXT",
                    "ALTER TABLE span ADD COLUMN url TEXT",
                    "ALTER TABLE open_span ADD COLUMN domain TEXT",
                    "ALTER TABLE open_span ADD COLUMN url TEXT",
                    // the browser endpoint, for status: listening or why not, and the extension's last report
                    "ALTER TABLE agent_state ADD COLUMN browser_listening INTEGER",
                    "ALTER TABLE agent_state ADD COLUMN browser_detail TEXT",
                    "ALTER TABLE agent_state ADD COLUMN browser_since_ns INTEGER",
                    "ALTER TABLE agent_state ADD COLUMN browser_last_report_ns INTEGER"),
            // 3 -> 4 (outbox): the sealed bytes of a cut batch, so a retry sends identical bytes; a batch
            // the server refused for good is marked with its code instead of blocking the queue.
            List.of("ALTER TABLE batch ADD COLUMN sealed BLOB", // NULL until cut by an outbox-aware agent; cleared on ack
                    "ALTER TABLE batch ADD COLUMN rejected_ns INTEGER",
                    "ALTER TABLE batch ADD COLUMN rejected_code TEXT"),
            // 4 -> 5 (re-enrollment): sequence numbers belong to one device identity, so the buffer notes whose they
            // are. NULL until an agent of this version binds the file (the device enrolled then owns its batches).
            // And the server's error code with the last upload error, so `status` can tell a revoked device.
            List.of("ALTER TABLE progress ADD COLUMN device_id TEXT",
                    "ALTER TABLE agent_state ADD COLUMN last_error_code TEXT"));

    static final int CURRENT_VERSION = STEPS.size();

    private SchemaMigration() {}

    /** Requires a connection whose transactions begin IMMEDIATE (taking the write lock). */
    static void migrate(Connection connection, Path file) {
        try {
            if (checkedVersion(connection, file) == CURRENT_VERSION) {
                return; // the usual case, without taking the write lock
            }
            int from;
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                // read again under the write lock: two processes opening a new file (agent and status) must not
                // both run the same step
                from = checkedVersion(connection, file);
                for (int step = from; step < CURRENT_VERSION; step++) {
                    for (String sql : STEPS.get(step)) {
                        statement.executeUpdate(sql);
                    }
                    statement.executeUpdate("PRAGMA user_version = " + (step + 1));
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
            if (from < CURRENT_VERSION) {
                LOG.info("span buffer {} migrated from schema version {} to {}", file, from, CURRENT_VERSION);
            }
        } catch (SQLException e) {
            throw new SpanBufferException("cannot migrate the span buffer " + file + ": " + e.getMessage(), e);
        }
    }

    private static int checkedVersion(Connection connection, Path file) throws SQLException {
        int version = userVersion(connection);
        if (version > CURRENT_VERSION) {
            throw new SpanBufferException("span buffer " + file + " has schema version " + version
                    + ", newer than this agent's " + CURRENT_VERSION + ": was it written by a newer agent?");
        }
        return version;
    }

    static int userVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("PRAGMA user_version")) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }
}
