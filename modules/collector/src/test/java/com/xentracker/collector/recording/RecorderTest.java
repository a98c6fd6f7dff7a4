package com.xentracker.collector.recording;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.collector.buffer.SpanBuffer;
import com.xentracker.collector.probe.ForegroundProbe;
import com.xentracker.collector.probe.ForegroundProbes;
import com.xentracker.collector.testing.TestClock;
import com.xentracker.collector.testing.XServerExtension;
import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.Sample;
import com.xentracker.core.activity.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The recorder with the real X11 probe on Xvfb and a real SQLite buffer; time comes from a test clock. */
class RecorderTest {

    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Instant START = Instant.parse("2025-03-10T09:00:00Z");

    @RegisterExtension
    static final XServerExtension X = XServerExtension.withWindowManager();

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(START);
    private ForegroundProbe probe;
    private Path file;

    @BeforeEach
    void openProbe() {
        probe = ForegroundProbes.x11(X.display());
        file = dir.resolve("buffer.db");
    }

    @AfterEach
    void closeProbe() {
        probe.close();
    }

    @Test
    void windowTitlesAreNotStoredWhenCollectionIsOff() throws Exception {
        String title = "xt-secret-" + UUID.randomUUID();
        X.activate(X.xterm(title));

        try (SpanBuffer buffer = SpanBuffer.open(file);
                Recorder recorder = Recorder.create(new RecorderConfig(POLL, Duration.ofMinutes(3), false), probe,
                        buffer, clock)) {
            Sample sample = sampleEverySecond(recorder, 3).get(0);
            assertThat(sample.activity().application()).isEqualTo("xterm"); // it did see the window
            assertThat(sample.activity().title()).isEmpty();
            recorder.close();
        }

        assertThat(columnValues("SELECT application, title FROM span UNION ALL SELECT application, title FROM open_span"))
                .containsExactly(List.of("xterm", "<null>"));
        assertThat(rawBytesOfDatabase()).doesNotContain(title); // not in the file nor its WAL, not anywhere
    }

    @Test
    void windowTitlesAreStoredWhenCollectionIsOn() throws Exception {
        String title = "xt-allowed-" + UUID.randomUUID();
        X.activate(X.xterm(title));

        try (SpanBuffer buffer = SpanBuffer.open(file);
                Recorder recorder = Recorder.create(new RecorderConfig(POLL, Duration.ofMinutes(3), true), probe,
                        buffer, clock)) {
            sampleEverySecond(recorder, 3);
            recorder.close();
        }

        assertThat(columnValues("SELECT application, title FROM span")).containsExactly(List.of("xterm", title));
    }

    @Test
    void samplesOfOneWindowExtendOneSpanAndASwitchClosesIt() {
        long first = X.xterm("xt-first-" + UUID.randomUUID());
        long second = X.xterm("xt-second-" + UUID.randomUUID(), "-class", "XtOther");
        X.activate(first);

        try (SpanBuffer buffer = SpanBuffer.open(file);
                Recorder recorder = Recorder.create(new RecorderConfig(POLL, Duration.ofMinutes(3), false), probe,
                        buffer, clock)) {
            sampleEverySecond(recorder, 3); // t = 0, 1, 2; the clock then shows 3
            assertThat(buffer.oldestUnsent(10)).isEmpty();
            assertThat(buffer.openSpan()).hasValueSatisfying(open -> {
                assertThat(open.duration()).isEqualTo(Duration.ofSeconds(2));
                assertThat(open.activity().application()).isEqualTo("xterm");
            });

            X.activate(second);
            sampleEverySecond(recorder, 2); // t = 3, 4

            List<Span> closed = buffer.oldestUnsent(10);
            assertThat(closed).hasSize(1);
            assertThat(closed.get(0).activity().application()).isEqualTo("xterm");
            assertThat(closed.get(0).start()).isEqualTo(START);
            assertThat(closed.get(0).end()).isEqualTo(START.plusSeconds(3));
            assertThat(buffer.openSpan()).hasValueSatisfying(
                    open -> assertThat(open.activity().application()).isEqualTo("xtother"));

            recorder.close();
            assertThat(buffer.openSpan()).isEmpty();
            assertThat(buffer.oldestUnsent(10)).hasSize(2);
        }
    }

    @Test
    void noInputForTheIdleThresholdIsRecordedAsIdle() {
        X.activate(X.xterm("xt-idle-" + UUID.randomUUID()));
        X.run("xdotool", "mousemove", "5", "5");
        Duration threshold = Duration.ofSeconds(1);

        try (SpanBuffer buffer = SpanBuffer.open(file);
                Recorder recorder = Recorder.create(new RecorderConfig(POLL, threshold, false), probe, buffer,
                        clock)) {
            assertThat(recorder.sampleOnce().activity().state()).isEqualTo(ActivityState.ACTIVE);
            XServerExtension.waitUntil(() -> probe.observe().idle().compareTo(threshold) >= 0, "1 s without input");
            clock.advance(POLL);

            assertThat(recorder.sampleOnce().activity()).isEqualTo(Activity.of(ActivityState.IDLE));

            X.run("xdotool", "mousemove", "50", "50");
            clock.advance(POLL);
            assertThat(recorder.sampleOnce().activity().state()).isEqualTo(ActivityState.ACTIVE);
        }
    }

    @Test
    void aSpanLeftOpenByAKilledAgentIsClosedWhenRecordingStarts() {
        Span leftOpen = Span.of(START.minusSeconds(60), START.minusSeconds(30), Activity.of(ActivityState.IDLE));
        try (SpanBuffer buffer = SpanBuffer.open(file)) {
            buffer.record(List.of(), Optional.of(leftOpen));

            try (Recorder recorder = Recorder.create(RecorderConfig.defaults(), probe, buffer, clock)) {
                assertThat(buffer.openSpan()).isEmpty();
                assertThat(buffer.oldestUnsent(10)).containsExactly(leftOpen);
            }
        }
    }

    private List<Sample> sampleEverySecond(Recorder recorder, int samples) {
        List<Sample> taken = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            taken.add(recorder.sampleOnce());
            clock.advance(POLL);
        }
        return taken;
    }

    /** Rows of the query, each as a list of strings ({@code <null>} for NULL), read with a separate connection. */
    private List<List<String>> columnValues(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            List<List<String>> result = new ArrayList<>();
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                List<String> row = new ArrayList<>();
                for (int c = 1; c <= columns; c++) {
                    String value = rows.getString(c);
                    row.add(value == null ? "<null>" : value);
                }
                result.add(row);
            }
            return result;
        }
    }

    /** Every byte of the database file and its -wal/-shm companions, as Latin-1 text. */
    private String rawBytesOfDatabase() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var files = Files.list(dir)) {
            for (Path path : files.filter(p -> p.getFileName().toString().startsWith("buffer.db")).toList()) {
                bytes.write(Files.readAllBytes(path));
            }
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
