package com.xentracker.collector.buffer;

import com.xentracker.collector.buffer.AgentStatus.AgentProcess;
import com.xentracker.collector.buffer.AgentStatus.Capture;
import com.xentracker.collector.buffer.AgentStatus.PolicySeen;
import com.xentracker.collector.buffer.AgentStatus.UploadError;
import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.Gap;
import com.xentracker.core.activity.GapReason;
import com.xentracker.core.activity.Span;
import com.xentracker.core.activity.WebPage;
import com.xentracker.transport.wire.CaptureState;
import com.xentracker.transport.wire.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Reads shared by the writer ({@link SpanBuffer}) and the read-only {@link BufferReader}. */
final class BufferQueries {

    static final String SPAN_COLUMNS = "start_ns, end_ns, state, application, executable, title, domain, url";

    /** Spans not acknowledged: not yet in a batch, or in a batch the server has not acknowledged. */
    static final String UNSENT_SPANS = "SELECT id, " + SPAN_COLUMNS + " FROM span WHERE batch_sequence IS NULL"
            + " UNION ALL SELECT s.id, " + prefixed("s.", SPAN_COLUMNS) + " FROM batch b JOIN span s"
            + " ON s.batch_sequence = b.sequence WHERE b.acknowledged_ns IS NULL";

    private static final String UNSENT_GAPS = "SELECT id, from_ns, to_ns, reason FROM gap WHERE batch_sequence IS NULL"
            + " UNION ALL SELECT g.id, g.from_ns, g.to_ns, g.reason FROM batch b JOIN gap g"
            + " ON g.batch_sequence = b.sequence WHERE b.acknowledged_ns IS NULL";

    private BufferQueries() {}

    static Backlog backlog(Connection connection) throws SQLException {
        // bytes: the columns as stored (text as UTF-8), plus 8 bytes for each of the two instants
        String sql = "SELECT (SELECT count(*) FROM (" + UNSENT_SPANS + ")),"
                + " (SELECT total(16 + length(CAST(state AS BLOB)) + length(CAST(application AS BLOB))"
                + "   + length(CAST(executable AS BLOB)) + coalesce(length(CAST(title AS BLOB)), 0)"
                + "   + coalesce(length(CAST(domain AS BLOB)), 0) + coalesce(length(CAST(url AS BLOB)), 0))"
                + "   FROM (" + UNSENT_SPANS + ")),"
                + " (SELECT min(start_ns) FROM (" + UNSENT_SPANS + ")),"
                + " (SELECT count(*) FROM (" + UNSENT_GAPS + ")),"
                + " (SELECT count(*) FROM batch WHERE acknowledged_ns IS NULL),"
                + " next_sequence, last_acknowledged_ns FROM progress";
        try (Statement query = connection.createStatement(); ResultSet rows = query.executeQuery(sql)) {
            rows.next();
            long spans = rows.getLong(1);
            long bytes = (long) rows.getDouble(2);
            Optional<Instant> oldest = optionalInstant(rows, 3);
            long gaps = rows.getLong(4);
            long batches = rows.getLong(5);
            long nextSequence = rows.getLong(6);
            Optional<Instant> lastAcknowledged = optionalInstant(rows, 7);
            return new Backlog(spans, gaps, bytes, oldest, batches, nextSequence, lastAcknowledged,
                    usedBytes(connection));
        }
    }

    static Unsent unsentBesides(Connection connection, long sequence) throws SQLException {
        // as UNSENT_SPANS, by the indexes on span.batch_sequence and batch.acknowledged_ns: the sent history the
        // file keeps for "show" is never scanned
        try (PreparedStatement query = connection.prepareStatement("SELECT count(*), min(start_ns) FROM ("
                + "SELECT start_ns FROM span WHERE batch_sequence IS NULL"
                + " UNION ALL SELECT s.start_ns FROM batch b JOIN span s ON s.batch_sequence = b.sequence"
                + " WHERE b.acknowledged_ns IS NULL AND b.sequence <> ?)")) {
            query.setLong(1, sequence);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                long spans = rows.getLong(1);
                return new Unsent(spans, spans == 0 ? Optional.empty() : optionalInstant(rows, 2));
            }
        }
    }

    /**
     * Bytes in use: {@code (page_count − freelist_count) × page_size}. Both counts come from the database header
     * (page 1, always cached), so this costs microseconds whatever the file's size, unlike summing row sizes. Pages
     * freed by deletes go to the freelist and are reused by later inserts, so the file stops growing once the
     * bound holds.
     */
    static long usedBytes(Connection connection) throws SQLException {
        try (Statement query = connection.createStatement();
                ResultSet rows = query.executeQuery("SELECT (SELECT page_count FROM pragma_page_count())"
                        + " - (SELECT freelist_count FROM pragma_freelist_count()),"
                        + " (SELECT page_size FROM pragma_page_size())")) {
            rows.next();
            return rows.getLong(1) * rows.getLong(2);
        }
    }

    static Optional<Span> openSpan(Connection connection) throws SQLException {
        try (Statement query = connection.createStatement();
                ResultSet rows = query.executeQuery("SELECT " + SPAN_COLUMNS + " FROM open_span")) {
            return rows.next() ? Optional.of(span(rows, 1)) : Optional.empty();
        }
    }

    static List<Span> unsentSpans(Connection connection, int limit) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT " + SPAN_COLUMNS + " FROM ("
                + UNSENT_SPANS + ") ORDER BY id LIMIT ?")) {
            query.setInt(1, limit);
            List<Span> spans = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    spans.add(span(rows, 1));
                }
            }
            return spans;
        }
    }

    static List<Gap> unsentGaps(Connection connection) throws SQLException {
        try (Statement query = connection.createStatement();
                ResultSet rows = query.executeQuery("SELECT from_ns, to_ns, reason FROM (" + UNSENT_GAPS
                        + ") ORDER BY id")) {
            List<Gap> gaps = new ArrayList<>();
            while (rows.next()) {
                gaps.add(gap(rows, 1));
            }
            return gaps;
        }
    }

    /** Spans (closed and open) and gaps overlapping {@code [from, to)}; a zero-length one counts at its instant. */
    static RecordedPeriod recorded(Connection connection, Instant from, Instant to) throws SQLException {
        long fromNs = Nanos.of(from);
        long toNs = Nanos.of(to);
        List<RecordedSpan> spans = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT " + prefixed("s.", SPAN_COLUMNS)
                + ", s.batch_sequence, b.acknowledged_ns FROM span s LEFT JOIN batch b ON b.sequence ="
                + " s.batch_sequence WHERE s.start_ns < ?2 AND (s.end_ns > ?1 OR s.start_ns >= ?1)"
                + " ORDER BY s.start_ns, s.id")) {
            query.setLong(1, fromNs);
            query.setLong(2, toNs);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    spans.add(new RecordedSpan(span(rows, 1), false, delivery(rows, 9)));
                }
            }
        }
        Optional<Span> open = openSpan(connection);
        if (open.isPresent() && open.get().start().isBefore(to)
                && (open.get().end().isAfter(from) || !open.get().start().isBefore(from))) {
            spans.add(new RecordedSpan(open.get(), true, Delivery.waiting()));
        }
        List<RecordedGap> gaps = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT g.from_ns, g.to_ns, g.reason,"
                + " g.batch_sequence, b.acknowledged_ns FROM gap g LEFT JOIN batch b ON b.sequence ="
                + " g.batch_sequence WHERE g.from_ns < ?2 AND (g.to_ns > ?1 OR g.from_ns >= ?1)"
                + " ORDER BY g.from_ns, g.id")) {
            query.setLong(1, fromNs);
            query.setLong(2, toNs);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    gaps.add(new RecordedGap(gap(rows, 1), delivery(rows, 4)));
                }
            }
        }
        return new RecordedPeriod(from, to, spans, gaps);
    }

    static AgentStatus agentStatus(Connection connection) throws SQLException {
        try (Statement query = connection.createStatement();
                ResultSet rows = query.executeQuery("SELECT a.pid, a.started_ns, a.stopped_ns, a.last_error_ns,"
                        + " a.last_error_kind, a.last_error_message, a.capture_state, a.capture_detail,"
                        + " a.capture_since_ns, a.policy_version, a.policy_seen_ns, p.last_acknowledged_ns,"
                        + " a.last_error_code"
                        + " FROM agent_state a, progress p")) {
            if (!rows.next()) {
                return new AgentStatus(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty());
            }
            Optional<AgentProcess> process = Optional.empty();
            long pid = rows.getLong(1);
            Optional<Instant> started = optionalInstant(rows, 2);
            if (started.isPresent()) {
                process = Optional.of(new AgentProcess(pid, started.get(), optionalInstant(rows, 3)));
            }
            Optional<Instant> errorAt = optionalInstant(rows, 4);
            Optional<UploadError> error = errorAt.isEmpty() ? Optional.empty()
                    : Optional.of(new UploadError(errorAt.get(), text(rows, 5),
                            ErrorCode.of(rows.getString(13)), text(rows, 6)));
            Optional<Instant> captureSince = optionalInstant(rows, 9);
            Optional<Capture> capture = captureSince.isEmpty() ? Optional.empty()
                    : Optional.of(new Capture(captureState(text(rows, 7)), text(rows, 8), captureSince.get()));
            long policyVersion = rows.getLong(10);
            Optional<Instant> policySeen = optionalInstant(rows, 11);
            Optional<PolicySeen> policy = policySeen.map(at -> new PolicySeen(policyVersion, at));
            Optional<Instant> lastUpload = optionalInstant(rows, 12);
            return new AgentStatus(process, lastUpload, error, capture, policy);
        }
    }

    static Optional<BrowserEndpointStatus> browserEndpointStatus(Connection connection) throws SQLException {
        try (Statement query = connection.createStatement();
                ResultSet rows = query.executeQuery("SELECT browser_listening, browser_detail, browser_since_ns,"
                        + " browser_last_report_ns FROM agent_state")) {
            if (!rows.next()) {
                return Optional.empty();
            }
            boolean listening = rows.getInt(1) == 1;
            String detail = text(rows, 2);
            Optional<Instant> since = optionalInstant(rows, 3);
            Optional<Instant> lastReport = optionalInstant(rows, 4);
            return since.map(at -> new BrowserEndpointStatus(listening, detail, at, lastReport));
        }
    }

    static Span span(ResultSet rows, int first) throws SQLException {
        String domain = rows.getString(first + 6);
        Optional<WebPage> page = domain == null ? Optional.empty()
                : Optional.of(new WebPage(domain, Optional.ofNullable(rows.getString(first + 7))));
        Activity activity = new Activity(ActivityState.valueOf(rows.getString(first + 2)), rows.getString(first + 3),
                rows.getString(first + 4), Optional.ofNullable(rows.getString(first + 5)), page);
        return Span.of(Nanos.toInstant(rows.getLong(first)), Nanos.toInstant(rows.getLong(first + 1)), activity);
    }

    static Gap gap(ResultSet rows, int first) throws SQLException {
        return Gap.of(Nanos.toInstant(rows.getLong(first)), Nanos.toInstant(rows.getLong(first + 1)),
                GapReason.valueOf(rows.getString(first + 2)));
    }

    static Optional<Instant> optionalInstant(ResultSet rows, int column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? Optional.empty() : Optional.of(Nanos.toInstant(value));
    }

    private static Delivery delivery(ResultSet rows, int first) throws SQLException {
        long sequence = rows.getLong(first);
        if (rows.wasNull()) {
            return Delivery.waiting();
        }
        return new Delivery(OptionalLong.of(sequence), optionalInstant(rows, first + 1));
    }

    /** A state written by a newer agent version reads as UNKNOWN rather than failing {@code status}. */
    private static CaptureState captureState(String name) {
        for (CaptureState state : CaptureState.values()) {
            if (state.name().equals(name)) {
                return state;
            }
        }
        return CaptureState.UNKNOWN;
    }

    private static String text(ResultSet rows, int column) throws SQLException {
        String value = rows.getString(column);
        return value == null ? "" : value;
    }

    private static String prefixed(String prefix, String columns) {
        return prefix + columns.replace(", ", ", " + prefix);
    }
}
