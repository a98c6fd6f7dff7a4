package com.xentracker.collector.recording;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.collector.buffer.SpanBuffer;
import com.xentracker.collector.policy.LocalLimits;
import com.xentracker.collector.policy.PolicyEnforcer;
import com.xentracker.collector.policy.PrivateTime;
import com.xentracker.collector.probe.ForegroundProbe;
import com.xentracker.collector.probe.ForegroundProbes;
import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.Sample;
import com.xentracker.core.activity.Span;
import com.xentracker.core.activity.SpanMerger;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.core.policy.RedactionRule;
import com.xentracker.core.policy.WorkingHours;
import com.xentracker.testing.clock.MutableClock;
import com.xentracker.testing.x11.XServerExtension;
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
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorder with the real X11 probe on Xvfb, the real policy enforcer and a real SQLite buffer; wall time comes
 * from a test clock and monotonic time from a counter the test advances with it. Privacy is checked on the bytes of
 * the database file and its WAL, not only through SQL.
 */
class RecorderTest {

    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Instant START = Instant.parse("2025-03-10T09:00:00Z"); // a Monday
    private static final CollectionPolicy DEFAULTS = CollectionPolicy.defaults();

    @RegisterExtension
    static final XServerExtension X = XServerExtension.withWindowManager();

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at(START);
    private long monotonic = 42_000_000_000L;
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
    void windowTitlesAreNotStoredWhenThePolicyDoesNotCollectThemWhateverTheDeviceSays() throws Exception {
        String title = "xt-secret-" + UUID.randomUUID();
        X.activate(X.xterm(title));

        try (SpanBuffer buffer = SpanBuffer.open(file);
                Recorder recorder = recorder(buffer, DEFAULTS, LocalLimits.none())) { // the device would allow them
            Sample sample = sampleEverySecond(recorder, 3).get(0);
            assertThat(sample.activity().application()).isEqualTo("xterm"); // it did see the window
            assertThat(sample.activity().title()).isEmpty();
            assertThat(rawBytesOfDatabase()).doesNotContain(title); // not in the file nor in its WAL
            recorder.close();
        }

        assertThat(columnValues("SELECT application, title FROM span UNION ALL SELECT application, title FROM open_span"))
                .containsExactly(List.of("xterm", "<null>"));
        assertThat(rawBytesOfDatabase()).doesNotContain(title);
    }

    @Test
    void windowTitlesAreStoredWhenThePolicyCollectsThem() throws Exception {
        String title = "xt-allowed-" + UUID.randomUUID();
        X.activate(X.xterm(title));

        try (SpanBuffer buffer = SpanBuffer.open(file);
                Recorder recorder = recorder(buffer, titlesOn(List.of()), LocalLimits.none())) {
            sampleEverySecond(recorder, 3);
            recorder.close();
        }

        assertThat(columnValues("SELECT application, title FROM span")).containsExactly(List.of("xterm", title));
    }

    @Test
    void aDeviceCanRefuseTitlesThePolicyCollects() throws Exception {
        String title = "xt-refused-" + UUID.randomUUID();
        X.activate(X.xterm(title));

        try (SpanBuffer buffer = SpanBuffer.open(file);
                Recorder recorder = recorder(buffer, titlesOn(List.of()), new LocalLimits(false))) {
            sampleEverySecond(recorder, 3);
            assertThat(rawBytesOfDatabase()).doesNotContain(title);
            recorder.close();
        }

        assertThat(columnValues("SELECT application, title FROM span")).containsExactly(List.of("xterm", "<null>"));
        assertThat(rawBytesOfDatabase()).doesNotContain(title);
    }

    @Test
    void titlesAreRedactedInOrderBeforeAnythingIsWritten() throws Exception {
        String person = "alice" + letters(8);
        String id = UUID.randomUUID().toString();
        X.activate(X.xterm("xt-mail-from-" + person + "-" + id));
        CollectionPolicy policy = titlesOn(List.of(
                RedactionRule.of("alice[a-z]+", "PERSON"),
                RedactionRule.of("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", "ID"),
                RedactionRule.of("PERSON-ID", "REDACTED"))); // sees what the rules before it wrote

        try (SpanBuffer buffer = SpanBuffer.open(file); Recorder recorder = recorder(buffer, policy, LocalLimits.none())) {
            assertThat(sampleEverySecond(recorder, 3).get(0).activity().title()).contains("xt-mail-from-REDACTED");
            assertThat(rawBytesOfDatabase()).doesNotContain(person).doesNotContain(id);
            recorder.close();
        }

        assertThat(columnValues("SELECT title FROM span")).containsExactly(List.of("xt-mail-from-REDACTED"));
        assertThat(rawBytesOfDatabase()).doesNotContain(person).doesNotContain(id);
    }

    @Test
    void anExcludedApplicationIsRecordedOnlyAsExcludedTime() throws Exception {
        String application = "XtVault" + letters(10);
        String title = "xt-vault-" + UUID.randomUUID();
        X.activate(X.xterm(title, "-class", application));
        CollectionPolicy policy = new CollectionPolicy(3, true, List.of(),
                Set.of(application.toUpperCase(java.util.Locale.ROOT)), Optional.empty(), false,
                CollectionPolicy.DEFAULT_IDLE_THRESHOLD, false, false);

        try (SpanBuffer buffer = SpanBuffer.open(file); Recorder recorder = recorder(buffer, policy, LocalLimits.none())) {
            assertThat(sampleEverySecond(recorder, 3).get(0).activity()).isEqualTo(Activity.of(ActivityState.EXCLUDED));
            assertThat(rawBytesOfDatabase()).doesNotContainIgnoringCase(application).doesNotContain(title)
                    .doesNotContain("/usr/bin/xterm");
            recorder.close();
        }

        assertThat(columnValues("SELECT state, application, executable, title, end_ns - start_ns FROM span"))
                .containsExactly(List.of("EXCLUDED", "", "", "<null>", "2000000000"));
        assertThat(rawBytesOfDatabase()).doesNotContainIgnoringCase(application).doesNotContain(title)
                .doesNotContain("/usr/bin/xterm");
    }

    @Test
    void nothingIsRecordedOutsideWorkingHoursAndTheDesktopIsNotEvenLookedAt() throws Exception {
        String application = "XtAfterHours" + letters(10);
        X.activate(X.xterm("xt-late-" + UUID.randomUUID(), "-class", application));
        // Mondays 09:00 to 09:00:03 UTC; the test starts at 08:59:58, two seconds before
        CollectionPolicy policy = new CollectionPolicy(4, false, List.of(), Set.of(),
                Optional.of(WorkingHours.of(ZoneOffset.UTC, Map.of(DayOfWeek.MONDAY,
                        List.of(WorkingHours.Interval.of(LocalTime.of(9, 0), LocalTime.of(9, 0, 3)))))),
                false, CollectionPolicy.DEFAULT_IDLE_THRESHOLD, false, false);
        clock.advance(Duration.ofSeconds(-2));

        try (SpanBuffer buffer = SpanBuffer.open(file); Recorder recorder = recorder(buffer, policy, LocalLimits.none())) {
            assertThat(recorder.sampleOnce()).isEmpty(); // 08:59:58
            tick();
            assertThat(recorder.sampleOnce()).isEmpty(); // 08:59:59
            tick();
            assertThat(columnValues("SELECT COUNT(*) FROM span")).containsExactly(List.of("0"));
            assertThat(buffer.openSpan()).isEmpty();

            for (int i = 0; i < 3; i++) { // 09:00:00, :01, :02 are within the working hours
                assertThat(recorder.sampleOnce()).isPresent();
                tick();
            }
            probe.close(); // from here on, looking at the desktop would fail the sample
            assertThat(recorder.sampleOnce()).isEmpty(); // 09:00:03: the working hours are over
            tick();
            assertThat(recorder.sampleOnce()).isEmpty();
            clock.advance(Duration.ofDays(1)); // Tuesday: no working hours at all
            assertThat(recorder.sampleOnce()).isEmpty();

            assertThat(buffer.openSpan()).isEmpty();
            assertThat(buffer.oldestUnsent(10)).singleElement().satisfies(span -> {
                assertThat(span.start()).isEqualTo(START);
                assertThat(span.end()).isEqualTo(START.plusSeconds(2)); // its last sample, not the end of the hours
                assertThat(span.activity().application()).isEqualTo(application.toLowerCase(java.util.Locale.ROOT));
            });
        }
    }

    @Test
    void privateTimeIsRecordedAsPausedTimeWithoutTheApplication() throws Exception {
        String application = "XtPrivate" + letters(10);
        X.activate(X.xterm("xt-private-" + UUID.randomUUID(), "-class", application));
        CollectionPolicy policy = new CollectionPolicy(5, false, List.of(), Set.of(), Optional.empty(), true,
                CollectionPolicy.DEFAULT_IDLE_THRESHOLD, false, false);
        PrivateTime privateTime = PrivateTime.in(dir, () -> policy, clock);
        privateTime.pause(Optional.of(Duration.ofSeconds(3)));

        try (SpanBuffer buffer = SpanBuffer.open(file);
                Recorder recorder = Recorder.create(RecorderConfig.defaults(), probe, buffer,
                        PolicyEnforcer.create(() -> policy, privateTime::pausedUntil, LocalLimits.none()), clock,
                        () -> monotonic)) {
            List<Sample> paused = sampleEverySecond(recorder, 3);
            assertThat(paused).extracting(Sample::activity).containsOnly(Activity.of(ActivityState.PAUSED));
            assertThat(rawBytesOfDatabase()).doesNotContainIgnoringCase(application);

            List<Sample> after = sampleEverySecond(recorder, 2); // the three seconds are over
            assertThat(after).extracting(sample -> sample.activity().state()).containsOnly(ActivityState.ACTIVE);
            recorder.close();
        }

        assertThat(columnValues("SELECT state, application, executable, start_ns, end_ns FROM span ORDER BY id"))
                .extracting(row -> row.subList(0, 3))
                .containsExactly(List.of("PAUSED", "", ""),
                        List.of("ACTIVE", application.toLowerCase(java.util.Locale.ROOT), "/usr/bin/xterm"));
    }

    @Test
    void privateTimeCountsOnlyWhereThePolicyAllowsIt() {
        X.activate(X.xterm("xt-not-private-" + UUID.randomUUID()));
        CollectionPolicy allowing = new CollectionPolicy(5, false, List.of(), Set.of(), Optional.empty(), true,
                CollectionPolicy.DEFAULT_IDLE_THRESHOLD, false, false);
        PrivateTime privateTime = PrivateTime.in(dir, () -> allowing, clock);
        privateTime.pause(Optional.empty()); // started under an earlier policy that allowed it

        try (SpanBuffer buffer = SpanBuffer.open(file);
                Recorder recorder = Recorder.create(RecorderConfig.defaults(), probe, buffer,
                        PolicyEnforcer.create(() -> DEFAULTS, privateTime::pausedUntil, LocalLimits.none()), clock,
                        () -> monotonic)) {
            assertThat(recorder.sampleOnce().orElseThrow().activity().application()).isEqualTo("xterm");
        }
    }

    @Test
    void samplesOfOneWindowExtendOneSpanAndASwitchClosesIt() {
        long first = X.xterm("xt-first-" + UUID.randomUUID());
        long second = X.xterm("xt-second-" + UUID.randomUUID(), "-class", "XtOther");
        X.activate(first);

        try (SpanBuffer buffer = SpanBuffer.open(file); Recorder recorder = recorder(buffer, DEFAULTS, LocalLimits.none())) {
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
    void aLongStretchInOneWindowIsClosedEveryFiveMinutesSoItIsUploadedWhileItLasts() {
        X.activate(X.xterm("xt-long-" + UUID.randomUUID()));

        try (SpanBuffer buffer = SpanBuffer.open(file); Recorder recorder = recorder(buffer, DEFAULTS, LocalLimits.none())) {
            sampleEverySecond(recorder, (int) (SpanMerger.CHECKPOINT.toSeconds() / POLL.toSeconds()) + 2);

            assertThat(buffer.oldestUnsent(10)).singleElement().satisfies(span -> {
                assertThat(span.start()).isEqualTo(START);
                assertThat(span.end()).isEqualTo(START.plus(SpanMerger.CHECKPOINT));
                assertThat(span.activity().application()).isEqualTo("xterm");
            });
            assertThat(buffer.openSpan().orElseThrow().start()).as("contiguous")
                    .isEqualTo(START.plus(SpanMerger.CHECKPOINT));
        }
    }

    @Test
    void aClockSetForwardClosesTheSpanAtItsLastSampleInsteadOfStretchingIt() {
        X.activate(X.xterm("xt-jump-" + UUID.randomUUID()));

        try (SpanBuffer buffer = SpanBuffer.open(file); Recorder recorder = recorder(buffer, DEFAULTS, LocalLimits.none())) {
            sampleEverySecond(recorder, 2); // t = 0, 1
            clock.advance(Duration.ofHours(1)); // someone sets the clock an hour forward; one second really passes
            recorder.sampleOnce();

            assertThat(buffer.oldestUnsent(10)).singleElement().satisfies(span -> {
                assertThat(span.start()).isEqualTo(START);
                assertThat(span.end()).isEqualTo(START.plusSeconds(1));
            });
            assertThat(buffer.openSpan().orElseThrow().start()).isEqualTo(START.plus(Duration.ofHours(1)).plusSeconds(2));
        }
    }

    @Test
    void noInputForThePolicysIdleThresholdIsRecordedAsIdle() {
        X.activate(X.xterm("xt-idle-" + UUID.randomUUID()));
        X.run("xdotool", "mousemove", "5", "5");
        Duration threshold = Duration.ofSeconds(1);
        CollectionPolicy policy = new CollectionPolicy(6, false, List.of(), Set.of(), Optional.empty(), false,
                threshold, false, false);

        try (SpanBuffer buffer = SpanBuffer.open(file); Recorder recorder = recorder(buffer, policy, LocalLimits.none())) {
            assertThat(recorder.sampleOnce().orElseThrow().activity().state()).isEqualTo(ActivityState.ACTIVE);
            XServerExtension.waitUntil(() -> probe.observe().idle().compareTo(threshold) >= 0, "1 s without input");
            tick();

            assertThat(recorder.sampleOnce().orElseThrow().activity()).isEqualTo(Activity.of(ActivityState.IDLE));

            X.run("xdotool", "mousemove", "50", "50");
            tick();
            assertThat(recorder.sampleOnce().orElseThrow().activity().state()).isEqualTo(ActivityState.ACTIVE);
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

    private Recorder recorder(SpanBuffer buffer, CollectionPolicy policy, LocalLimits limits) {
        return Recorder.create(new RecorderConfig(POLL, policy.idleThreshold(), limits.windowTitles()), probe, buffer,
                PolicyEnforcer.create(() -> policy, Optional::empty, limits), clock, () -> monotonic);
    }

    private static CollectionPolicy titlesOn(List<RedactionRule> redactions) {
        return new CollectionPolicy(2, true, redactions, Set.of(), Optional.empty(), false,
                CollectionPolicy.DEFAULT_IDLE_THRESHOLD, false, false);
    }

    /** One poll interval passes, on the wall clock and the monotonic clock alike. */
    private void tick() {
        clock.advance(POLL);
        monotonic += POLL.toNanos();
    }

    private List<Sample> sampleEverySecond(Recorder recorder, int samples) {
        List<Sample> taken = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            taken.add(recorder.sampleOnce().orElseThrow());
            tick();
        }
        return taken;
    }

    private static String letters(int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
        }
        return text.toString();
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
