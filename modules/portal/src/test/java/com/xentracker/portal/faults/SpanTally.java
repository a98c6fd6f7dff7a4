package com.xentracker.portal.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Spans counted end to end for one device: what the agent recorded (its buffer, in the order it recorded them) against
 * what the server stored (its {@code spans} rows). A span is its start and end; PostgreSQL keeps microseconds (it
 * rounds the agent's nanoseconds), so a match allows one microsecond either way.
 *
 * @param recorded   closed spans in the agent's buffer
 * @param logged     distinct spans in the agent's own log of recorded spans (a kill between a commit and its line
 *                   may leave a recorded span unlogged, never the reverse)
 * @param stored     the device's rows on the server
 * @param lost       recorded, not stored
 * @param duplicated stored more than once (the rows beyond the first)
 * @param unknown    stored, never recorded
 * @param outOfOrder recorded spans whose batch on the server precedes the batch of a span recorded before them
 * @param loggedNotRecorded logged ids the buffer does not hold (must be none)
 */
record SpanTally(long recorded, long logged, long stored, long lost, long duplicated, long unknown, long outOfOrder,
        long loggedNotRecorded) {

    private static final Pattern LEDGER = Pattern.compile("recorded span (\\d+) from ");

    SpanTally plus(SpanTally other) {
        return new SpanTally(recorded + other.recorded, logged + other.logged, stored + other.stored,
                lost + other.lost, duplicated + other.duplicated, unknown + other.unknown,
                outOfOrder + other.outOfOrder, loggedNotRecorded + other.loggedNotRecorded);
    }

    static SpanTally zero() {
        return new SpanTally(0, 0, 0, 0, 0, 0, 0, 0);
    }

    boolean exact() {
        return lost == 0 && duplicated == 0 && unknown == 0 && outOfOrder == 0 && loggedNotRecorded == 0
                && recorded == stored;
    }

    /**
     * Counts {@code device}'s spans.
     *
     * @param log the agent's log (its ledger lines), if it ran as a process
     */
    static SpanTally count(Path bufferFile, java.util.Optional<Path> log, UUID device, Connection server)
            throws Exception {
        List<long[]> recorded = new ArrayList<>(); // id, start µs, end µs
        try (Connection buffer = DriverManager.getConnection("jdbc:sqlite:" + bufferFile);
                Statement statement = buffer.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id, start_ns, end_ns FROM span ORDER BY id")) {
            while (rows.next()) {
                recorded.add(new long[] {rows.getLong(1), micros(rows.getLong(2)), micros(rows.getLong(3))});
            }
        }
        Map<List<Long>, Deque<Long>> stored = new HashMap<>(); // (start, end) -> batch sequences
        long storedRows = 0;
        try (PreparedStatement query = server.prepareStatement("SELECT batch_sequence,"
                + " (extract(epoch FROM start_at) * 1000000)::bigint, (extract(epoch FROM end_at) * 1000000)::bigint"
                + " FROM spans WHERE device_id = ? ORDER BY batch_sequence, start_at")) {
            query.setObject(1, device);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    stored.computeIfAbsent(List.of(rows.getLong(2), rows.getLong(3)), key -> new ArrayDeque<>())
                            .add(rows.getLong(1));
                    storedRows++;
                }
            }
        }
        long lost = 0;
        long outOfOrder = 0;
        long lastBatch = Long.MIN_VALUE;
        Set<List<Long>> matched = new HashSet<>();
        for (long[] span : recorded) {
            List<Long> key = match(stored, span[1], span[2]);
            if (key == null) {
                lost++;
                continue;
            }
            matched.add(key);
            long batch = stored.get(key).removeFirst();
            if (batch < lastBatch) {
                outOfOrder++;
            }
            lastBatch = Math.max(lastBatch, batch);
        }
        long duplicated = 0;
        long unknown = 0;
        for (Map.Entry<List<Long>, Deque<Long>> left : stored.entrySet()) {
            if (matched.contains(left.getKey())) {
                duplicated += left.getValue().size();
            } else {
                unknown += left.getValue().size();
            }
        }
        Set<Long> ids = new HashSet<>();
        recorded.forEach(span -> ids.add(span[0]));
        Set<Long> logged = new HashSet<>();
        if (log.isPresent() && Files.exists(log.get())) {
            Matcher matcher = LEDGER.matcher(Files.readString(log.get()));
            while (matcher.find()) {
                logged.add(Long.parseLong(matcher.group(1)));
            }
        }
        long loggedNotRecorded = logged.stream().filter(id -> !ids.contains(id)).count();
        return new SpanTally(recorded.size(), logged.size(), storedRows, lost, duplicated, unknown, outOfOrder,
                loggedNotRecorded);
    }

    /** The stored key within a microsecond of (start, end) that still has a row to give, or null. */
    private static List<Long> match(Map<List<Long>, Deque<Long>> stored, long start, long end) {
        for (long ds : new long[] {0, -1, 1}) {
            for (long de : new long[] {0, -1, 1}) {
                List<Long> key = List.of(start + ds, end + de);
                Deque<Long> rows = stored.get(key);
                if (rows != null && !rows.isEmpty()) {
                    return key;
                }
            }
        }
        return null;
    }

    private static long micros(long nanos) {
        return Math.floorDiv(nanos + 500, 1000);
    }

    /** Closed spans of the buffer that the server has not acknowledged yet, up to span id {@code upTo}. */
    static long unacknowledged(Path bufferFile, long upTo) throws SQLException {
        if (!hasSpans(bufferFile)) {
            return 0; // the agent has not made its buffer yet: nothing recorded
        }
        try (Connection buffer = DriverManager.getConnection("jdbc:sqlite:" + bufferFile);
                PreparedStatement query = buffer.prepareStatement("SELECT count(*) FROM span s LEFT JOIN batch b"
                        + " ON b.sequence = s.batch_sequence WHERE s.id <= ? AND b.acknowledged_ns IS NULL")) {
            query.setLong(1, upTo);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** The newest closed span's id (0 when there is none). */
    static long newestSpan(Path bufferFile) throws SQLException {
        if (!hasSpans(bufferFile)) {
            return 0;
        }
        try (Connection buffer = DriverManager.getConnection("jdbc:sqlite:" + bufferFile);
                Statement statement = buffer.createStatement();
                ResultSet rows = statement.executeQuery("SELECT coalesce(max(id), 0) FROM span")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Whether the agent has made its buffer (file and schema); never creates the file itself. */
    private static boolean hasSpans(Path bufferFile) throws SQLException {
        if (!Files.exists(bufferFile)) {
            return false;
        }
        try (Connection buffer = DriverManager.getConnection("jdbc:sqlite:" + bufferFile);
                Statement statement = buffer.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('span', 'batch')")) {
            rows.next();
            return rows.getLong(1) == 2;
        }
    }
}
