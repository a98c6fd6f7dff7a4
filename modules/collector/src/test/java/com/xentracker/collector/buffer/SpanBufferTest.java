package com.xentracker.collector.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.collector.SpanBufferException;
import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.Span;
import com.xentracker.core.activity.WebPage;
import com.xentracker.testing.clock.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The buffer on real SQLite files. */
class SpanBufferTest {

    private static final Instant T0 = Instant.parse("2025-03-10T09:00:00.123456789Z");

    @TempDir
    Path dir;

    @Test
    void spansSurviveClosingAndReopeningTheFile() {
        Path file = dir.resolve("buffer.db");
        List<Span> spans = spans(3);
        try (SpanBuffer buffer = SpanBuffer.open(file)) {
            buffer.append(spans);
        }

        try (SpanBuffer reopened = SpanBuffer.open(file)) {
            assertThat(reopened.oldestUnsent(10)).containsExactlyElementsOf(spans);
        }
    }

    @Test
    void theOpenSpanIsReplacedOnEveryPollNotDuplicated() {
        Path file = dir.resolve("buffer.db");
        Activity editor = Activity.active("gedit", "/usr/bin/gedit", Optional.of("notes.txt"));
        try (SpanBuffer buffer = SpanBuffer.open(file)) {
            for (int second = 0; second <= 5; second++) {
                buffer.record(List.of(), Optional.of(Span.of(T0, T0.plusSeconds(second), editor)));
            }
        }

        try (SpanBuffer reopened = SpanBuffer.open(file)) {
            assertThat(reopened.openSpan()).contains(Span.of(T0, T0.plusSeconds(5), editor));
            assertThat(reopened.oldestUnsent(10)).isEmpty();
        }
        assertThat(count(file, "open_span")).isEqualTo(1);
    }

    @Test
    void aWebPageIsKeptWithItsSpanOpenClosedSentAndShown() {
        Path file = dir.resolve("buffer.db");
        Activity browser = Activity.active("chromium", "/usr/lib/chromium/chromium", Optional.empty());
        Span docs = Span.of(T0, T0.plusSeconds(4), browser.withPage(WebPage.ofDomain("docs.example.com")));
        Span mail = Span.of(T0.plusSeconds(4), T0.plusSeconds(9),
                browser.withPage(WebPage.of("mail.example.com", "https://mail.example.com/inbox")));
        try (SpanBuffer buffer = SpanBuffer.open(file)) {
            buffer.record(List.of(docs), Optional.of(mail));
        }

        try (SpanBuffer reopened = SpanBuffer.open(file)) {
            assertThat(reopened.openSpan()).contains(mail);
            assertThat(reopened.oldestUnsent(10)).containsExactly(docs);
            reopened.record(List.of(mail), Optional.empty());
            assertThat(reopened.nextBatch(10)).contains(new PendingBatch(1, List.of(docs, mail)));
            assertThat(reopened.recorded(T0, T0.plusSeconds(60)).spans()).extracting(RecordedSpan::span)
                    .containsExactly(docs, mail);
            // the bytes waiting count the page too: 16 + ACTIVE + chromium + executable + domain (+ URL)
            assertThat(reopened.backlog().unsentBytes()).isEqualTo(2 * (16 + 6 + 8 + 26) + 16 + 16 + 30);
        }
        assertThat(count(file, "span WHERE domain IS NOT NULL")).isEqualTo(2);
    }

    @Test
    void recordingAPollAppendsClosedSpansAndMovesTheOpenOne() {
        try (SpanBuffer buffer = SpanBuffer.open(dir.resolve("buffer.db"))) {
            Span first = Span.of(T0, T0.plusSeconds(4), Activity.active("xterm", "/usr/bin/xterm", Optional.empty()));
            Span second = Span.of(T0.plusSeconds(4), T0.plusSeconds(4), Activity.of(ActivityState.IDLE));
            buffer.record(List.of(), Optional.of(first));

            buffer.record(List.of(first), Optional.of(second));

            assertThat(buffer.oldestUnsent(10)).containsExactly(first);
            assertThat(buffer.openSpan()).contains(second);
        }
    }

    @Test
    void aSpanLeftOpenByAKilledAgentIsClosedAtItsLastRecordedEnd() {
        Path file = dir.resolve("buffer.db");
        Span open = Span.of(T0, T0.plusSeconds(7), Activity.active("xterm", "/usr/bin/xterm", Optional.empty()));
        SpanBuffer crashed = SpanBuffer.open(file);
        crashed.record(List.of(), Optional.of(open));
        // no close(): the process "dies" here; the connection is simply abandoned

        try (SpanBuffer restarted = SpanBuffer.open(file)) {
            assertThat(restarted.closeOpenSpan()).contains(open);
            assertThat(restarted.openSpan()).isEmpty();
            assertThat(restarted.oldestUnsent(10)).containsExactly(open);
            assertThat(restarted.closeOpenSpan()).isEmpty();
        }
        crashed.close();
    }

    @Test
    void unsentSpansAreReadOldestFirstAndBounded() {
        List<Span> spans = spans(5);
        try (SpanBuffer buffer = SpanBuffer.open(dir.resolve("buffer.db"))) {
            buffer.append(spans.subList(0, 2));
            buffer.append(spans.subList(2, 5));

            assertThat(buffer.oldestUnsent(3)).containsExactlyElementsOf(spans.subList(0, 3));
            assertThat(buffer.oldestUnsent(100)).containsExactlyElementsOf(spans);
        }
    }

    @Test
    void aBatchIsResentWithTheSameSequenceAndContentAfterARestart() {
        Path file = dir.resolve("buffer.db");
        List<Span> spans = spans(5);
        PendingBatch first;
        try (SpanBuffer buffer = SpanBuffer.open(file)) {
            buffer.append(spans);
            first = buffer.nextBatch(3).orElseThrow();
            // the upload "fails" (or the agent dies) before the acknowledgement
        }

        try (SpanBuffer restarted = SpanBuffer.open(file)) {
            // recorded after the restart: must not slip into the old batch
            restarted.append(List.of(Span.of(T0.plusSeconds(100), T0.plusSeconds(101), Activity.of(ActivityState.LOCKED))));
            PendingBatch again = restarted.nextBatch(3).orElseThrow();

            assertThat(first.sequence()).isEqualTo(1);
            assertThat(first.spans()).containsExactlyElementsOf(spans.subList(0, 3));
            assertThat(again).isEqualTo(first);
        }
    }

    @Test
    void acknowledgingABatchTakesItsSpansOutOfTheBacklogAndTheNextBatchGetsTheNextSequence() {
        Path file = dir.resolve("buffer.db");
        List<Span> spans = spans(5);
        Instant acknowledgedAt = T0.plusSeconds(60);
        try (SpanBuffer buffer = SpanBuffer.open(file)) {
            buffer.append(spans);
            PendingBatch first = buffer.nextBatch(3).orElseThrow();

            buffer.acknowledge(first.sequence(), acknowledgedAt);

            assertThat(buffer.oldestUnsent(10)).containsExactlyElementsOf(spans.subList(3, 5));
        }
        try (SpanBuffer restarted = SpanBuffer.open(file)) {
            PendingBatch second = restarted.nextBatch(3).orElseThrow();
            assertThat(second.sequence()).isEqualTo(2);
            assertThat(second.spans()).containsExactlyElementsOf(spans.subList(3, 5));
            restarted.acknowledge(second.sequence(), acknowledgedAt.plusSeconds(10));

            assertThat(restarted.nextBatch(3)).isEmpty();
            Backlog backlog = restarted.backlog();
            assertThat(backlog.unsentSpans()).isZero();
            assertThat(backlog.pendingBatches()).isZero();
            assertThat(backlog.nextSequence()).isEqualTo(3);
            assertThat(backlog.lastAcknowledgedAt()).contains(acknowledgedAt.plusSeconds(10));
        }
    }

    @Test
    void acknowledgedSpansStayReadableAsSentUntilTheSentHistoryEnds() {
        List<Span> spans = spans(4);
        Instant firstAck = T0.plusSeconds(10);
        BufferConfig config = new BufferConfig(BufferConfig.DEFAULT_MAX_SIZE_BYTES, Duration.ofDays(90),
                Duration.ofDays(1));
        try (SpanBuffer buffer = SpanBuffer.open(dir.resolve("buffer.db"), config, MutableClock.at(T0))) {
            buffer.append(spans);
            buffer.acknowledge(buffer.nextBatch(2).orElseThrow().sequence(), firstAck);

            assertThat(buffer.oldestUnsent(10)).containsExactlyElementsOf(spans.subList(2, 4));
            RecordedPeriod period = buffer.recorded(T0, T0.plusSeconds(60));
            assertThat(period.spans()).extracting(RecordedSpan::span).containsExactlyElementsOf(spans);
            assertThat(period.spans()).extracting(RecordedSpan::delivery).containsExactly(
                    new Delivery(OptionalLong.of(1), Optional.of(firstAck)),
                    new Delivery(OptionalLong.of(1), Optional.of(firstAck)),
                    Delivery.waiting(), Delivery.waiting());

            buffer.acknowledge(1, firstAck.plusSeconds(5)); // a repeated acknowledgement changes nothing
            Instant secondAck = firstAck.plus(Duration.ofDays(1)).plusSeconds(1);
            buffer.acknowledge(buffer.nextBatch(2).orElseThrow().sequence(), secondAck);

            // batch 1 was acknowledged more than a day before batch 2: purged; batch 2 is the history now
            assertThat(buffer.recorded(T0, T0.plusSeconds(60)).spans())
                    .containsExactly(new RecordedSpan(spans.get(2), false, new Delivery(OptionalLong.of(2),
                            Optional.of(secondAck))), new RecordedSpan(spans.get(3), false,
                            new Delivery(OptionalLong.of(2), Optional.of(secondAck))));
            assertThat(buffer.backlog().unsentSpans()).isZero();
            assertThat(buffer.backlog().lastAcknowledgedAt()).contains(secondAck);
        }
        assertThat(count(dir.resolve("buffer.db"), "span")).isEqualTo(2);
        assertThat(count(dir.resolve("buffer.db"), "batch")).isEqualTo(1);
    }

    @Test
    void aZeroSentHistoryDeletesWhatTheServerAcknowledged() {
        BufferConfig config = new BufferConfig(BufferConfig.DEFAULT_MAX_SIZE_BYTES, Duration.ofDays(90), Duration.ZERO);
        try (SpanBuffer buffer = SpanBuffer.open(dir.resolve("buffer.db"), config, MutableClock.at(T0))) {
            buffer.append(spans(3));
            buffer.acknowledge(buffer.nextBatch(3).orElseThrow().sequence(), T0.plusSeconds(10));

            assertThat(buffer.recorded(T0, T0.plusSeconds(60)).spans()).isEmpty();
        }
        assertThat(count(dir.resolve("buffer.db"), "span")).isZero();
    }

    @Test
    void aVersion1FileWithDataIsMigratedInPlaceAndItsPendingBatchIsResentUnchanged() throws Exception {
        Path file = dir.resolve("buffer.db");
        List<Span> spans = spans(5);
        Span open = Span.of(T0.plusSeconds(5), T0.plusSeconds(9), Activity.active("xterm", "/usr/bin/xterm",
                Optional.empty()));
        writeVersion1File(file, spans, 3, open);
        assertThat(userVersion(file)).isEqualTo(1);

        try (SpanBuffer buffer = SpanBuffer.open(file)) {
            assertThat(buffer.openSpan()).contains(open);
            assertThat(buffer.oldestUnsent(10)).containsExactlyElementsOf(spans);
            assertThat(buffer.nextBatch(10)).contains(new PendingBatch(1, spans.subList(0, 3)));
            Backlog backlog = buffer.backlog();
            assertThat(backlog.pendingBatches()).isEqualTo(1);
            assertThat(backlog.nextSequence()).isEqualTo(2);

            buffer.acknowledge(1, T0.plusSeconds(30));
            assertThat(buffer.nextBatch(10)).contains(new PendingBatch(2, spans.subList(3, 5)));
            assertThat(buffer.recorded(T0, T0.plusSeconds(60)).spans()).filteredOn(s -> s.delivery().sent())
                    .extracting(RecordedSpan::span).containsExactlyElementsOf(spans.subList(0, 3));
        }
        assertThat(userVersion(file)).isEqualTo(SchemaMigration.CURRENT_VERSION);
        assertThat(count(file, "agent_state")).isEqualTo(1);
    }

    /** A buffer file exactly as agent schema version 1 wrote it: spans, a batch of the first ones, an open span. */
    static void writeVersion1File(Path file, List<Span> spans, int assigned, Span open) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("PRAGMA journal_mode = WAL");
            statement.executeUpdate("CREATE TABLE batch (sequence INTEGER PRIMARY KEY)");
            statement.executeUpdate("CREATE TABLE span (id INTEGER PRIMARY KEY, start_ns INTEGER NOT NULL,"
                    + " end_ns INTEGER NOT NULL, state TEXT NOT NULL, application TEXT NOT NULL,"
                    + " executable TEXT NOT NULL, title TEXT, batch_sequence INTEGER REFERENCES batch (sequence))");
            statement.executeUpdate("CREATE INDEX span_by_batch ON span (batch_sequence, id)");
            statement.executeUpdate("CREATE TABLE open_span (id INTEGER PRIMARY KEY CHECK (id = 1),"
                    + " start_ns INTEGER NOT NULL, end_ns INTEGER NOT NULL, state TEXT NOT NULL,"
                    + " application TEXT NOT NULL, executable TEXT NOT NULL, title TEXT)");
            statement.executeUpdate("CREATE TABLE progress (id INTEGER PRIMARY KEY CHECK (id = 1),"
                    + " next_sequence INTEGER NOT NULL, last_acknowledged_sequence INTEGER,"
                    + " last_acknowledged_ns INTEGER)");
            statement.executeUpdate("INSERT INTO progress (id, next_sequence) VALUES (1, 2)");
            statement.executeUpdate("INSERT INTO batch (sequence) VALUES (1)");
            for (int i = 0; i < spans.size(); i++) {
                statement.executeUpdate("INSERT INTO span (start_ns, end_ns, state, application, executable, title,"
                        + " batch_sequence) VALUES (" + values(spans.get(i)) + ", " + (i < assigned ? "1" : "NULL")
                        + ")");
            }
            statement.executeUpdate("INSERT INTO open_span (id, start_ns, end_ns, state, application, executable,"
                    + " title) VALUES (1, " + values(open) + ")");
            statement.executeUpdate("PRAGMA user_version = 1");
        }
    }

    private static String values(Span span) {
        return Nanos.of(span.start()) + ", " + Nanos.of(span.end()) + ", '" + span.activity().state().name() + "', '"
                + span.activity().application() + "', '" + span.activity().executable() + "', NULL";
    }

    @Test
    void nothingToSendUsesNoSequenceNumber() {
        try (SpanBuffer buffer = SpanBuffer.open(dir.resolve("buffer.db"))) {
            assertThat(buffer.nextBatch(10)).isEmpty();
            buffer.append(spans(1));

            assertThat(buffer.nextBatch(10).orElseThrow().sequence()).isEqualTo(1);
        }
    }

    @Test
    void backlogCountsUnsentSpansAndTheOldestStart() {
        List<Span> spans = spans(4);
        try (SpanBuffer buffer = SpanBuffer.open(dir.resolve("buffer.db"))) {
            Backlog empty = buffer.backlog();
            assertThat(empty).isEqualTo(new Backlog(0, 0, 0, Optional.empty(), 0, 1, Optional.empty(),
                    empty.usedBytes()));
            buffer.append(spans);
            buffer.nextBatch(2);

            Backlog backlog = buffer.backlog();
            // two xterm spans (16 bytes of instants + ACTIVE, xterm, /usr/bin/xterm) and two idle ones (16 + IDLE)
            assertThat(backlog).isEqualTo(new Backlog(4, 0, 2 * (16 + 6 + 5 + 14) + 2 * (16 + 4), Optional.of(spans.get(0).start()), 1, 2,
                    Optional.empty(), backlog.usedBytes()));
            assertThat(backlog.usedBytes()).isPositive().isGreaterThanOrEqualTo(empty.usedBytes());
        }
    }

    @Test
    void anEmptyFileIsMigratedInPlaceToTheCurrentSchema() throws Exception {
        Path file = dir.resolve("buffer.db");
        Files.createFile(file);
        assertThat(userVersion(file)).isZero();

        try (SpanBuffer buffer = SpanBuffer.open(file)) {
            buffer.append(spans(1));
        }

        assertThat(userVersion(file)).isEqualTo(SchemaMigration.CURRENT_VERSION).isEqualTo(5);
        assertThat(count(file, "span")).isEqualTo(1);
        assertThat(query(file, "PRAGMA journal_mode")).isEqualTo("wal");
    }

    @Test
    void processesOpeningANewFileAtOnceMigrateItOnce() throws Exception {
        // the race is in the first open's switch to WAL; a few rounds make it show up reliably
        for (int round = 0; round < 15; round++) {
            openAtOnce(dir.resolve("buffer-" + round + ".db"));
        }
    }

    private void openAtOnce(Path file) throws Exception {
        int openers = 4;
        CyclicBarrier start = new CyclicBarrier(openers);
        ExecutorService pool = Executors.newFixedThreadPool(openers);
        try {
            List<Future<Long>> opened = new ArrayList<>();
            for (int i = 0; i < openers; i++) {
                opened.add(pool.submit(() -> {
                    start.await();
                    try (SpanBuffer buffer = SpanBuffer.open(file)) { // one connection each, as separate processes
                        return buffer.backlog().nextSequence();
                    }
                }));
            }
            for (Future<Long> result : opened) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(userVersion(file)).isEqualTo(SchemaMigration.CURRENT_VERSION);
        assertThat(count(file, "progress")).isEqualTo(1);
        assertThat(count(file, "agent_state")).isEqualTo(1);
    }

    @Test
    void aFileFromANewerAgentIsRefusedAndLeftAlone() throws Exception {
        Path file = dir.resolve("buffer.db");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("PRAGMA user_version = 99");
        }

        assertThatThrownBy(() -> SpanBuffer.open(file)).isInstanceOf(SpanBufferException.class)
                .hasMessageContaining("newer");
        assertThat(userVersion(file)).isEqualTo(99);
    }

    @Test
    void titlesAndEmptyTitlesRoundTrip() {
        Span withTitle = Span.of(T0, T0.plusSeconds(1), Activity.active("firefox", "/usr/lib/firefox/firefox",
                Optional.of("Ünïcödé — title")));
        Span withoutTitle = Span.of(T0.plusSeconds(1), T0.plusSeconds(2), Activity.active("", "", Optional.empty()));
        try (SpanBuffer buffer = SpanBuffer.open(dir.resolve("buffer.db"))) {
            buffer.append(List.of(withTitle, withoutTitle));

            assertThat(buffer.oldestUnsent(10)).containsExactly(withTitle, withoutTitle);
        }
    }

    @Test
    void aClosedBufferRefusesWork() {
        SpanBuffer buffer = SpanBuffer.open(dir.resolve("buffer.db"));
        buffer.close();
        buffer.close();

        assertThatThrownBy(() -> buffer.append(spans(1))).isInstanceOf(SpanBufferException.class)
                .hasMessageContaining("closed");
    }

    /** {@code n} consecutive spans of alternating activities, one second each, with nanosecond-precise bounds. */
    static List<Span> spans(int n) {
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Activity activity = i % 2 == 0
                    ? Activity.active("xterm", "/usr/bin/xterm", Optional.empty())
                    : Activity.of(ActivityState.IDLE);
            spans.add(Span.of(T0.plusSeconds(i), T0.plusSeconds(i + 1), activity));
        }
        return spans;
    }

    static int userVersion(Path file) throws SQLException {
        return Integer.parseInt(query(file, "PRAGMA user_version"));
    }

    static long count(Path file, String table) {
        try {
            return Long.parseLong(query(file, "SELECT count(*) FROM " + table));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String query(Path file, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
