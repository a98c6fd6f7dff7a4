package com.xentracker.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.collector.buffer.BufferReader;
import com.xentracker.collector.buffer.SpanBuffer;
import com.xentracker.collector.enrollment.TestEnrollments;
import com.xentracker.testing.clock.FarFromMidnight;
import com.xentracker.testing.https.Ports;
import com.xentracker.testing.x11.XServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability promise, tested the hard way: the real agent ({@code run}, in its own JVM) records a real X display
 * whose focus keeps switching between two windows, and is killed with SIGKILL at random moments, 20 times, restarted
 * after each kill. Afterwards the buffer must hold every run's activity up to at most one poll interval (plus the
 * poll in flight) before its kill, and nothing twice: no duplicate rows, no overlapping spans.
 *
 * <p>The moments come from a seed printed at the start; {@code -Dxt.crash.seed=N} replays a run. The benchmark
 * ({@code bench/run crash [kills]}) runs this same test with more kills ({@code -Dxt.crash.kills=N}, never fewer than
 * 20) and has it write its figures as JSON ({@code -Dxt.crash.report=FILE}).
 */
class AgentCrashTest {

    @RegisterExtension
    static final XServerExtension X = XServerExtension.withWindowManager();

    private static final int KILLS = Math.max(20, Integer.getInteger("xt.crash.kills", 20));
    private static final Duration POLL = Duration.ofMillis(200);
    /**
     * Time one poll may take between taking its sample and committing it (probe round trips, one SQLite commit; more
     * on a loaded build machine). A kill in that window loses the poll in flight, which is the promise.
     */
    private static final Duration IN_FLIGHT = Duration.ofMillis(300);
    /**
     * The agents are real processes on the real clock, so the runs are timed with the real clock too (Instant.now()).
     * Their zone is one where it is now about noon: the test's minute or two meets no midnight, where the agent would
     * split a span, and no daylight-saving change, on any day at any time.
     */
    private final ZoneOffset zone = FarFromMidnight.zone();

    @TempDir
    Path dir;

    @Test
    void sigkillAtRandomMomentsLosesAtMostThePollInFlightAndRecordsNothingTwice() throws Exception {
        long seed = Long.getLong("xt.crash.seed", System.nanoTime());
        System.out.println("AgentCrashTest seed " + seed + " (replay with -Dxt.crash.seed=" + seed + ")");
        Random random = new Random(seed);
        Path dataDir = dir.resolve("agent");
        TestEnrollments.store(dataDir, Ports.closedHttpsPort());
        Path bufferFile = dataDir.resolve("buffer.db");
        long first = X.xterm("xt-crash-" + UUID.randomUUID());
        long second = X.xterm("xt-crash-" + UUID.randomUUID(), "-class", "XtOther");
        AtomicBoolean switching = new AtomicBoolean(true);
        Random switchRandom = new Random(seed + 1);
        Thread switcher = new Thread(() -> {
            long[] windows = {first, second};
            for (int i = 0; switching.get(); i++) {
                X.activate(windows[i % 2]);
                sleep(150 + switchRandom.nextInt(450));
            }
        }, "window-switcher");
        switcher.setDaemon(true);
        switcher.start();

        List<Run> runs = new ArrayList<>();
        try {
            for (int kill = 0; kill < KILLS; kill++) {
                // one kill in four lands anywhere in start-up (JVM, migration, closing the last run's span, probe)
                boolean duringStartUp = random.nextInt(4) == 0;
                int delay = duringStartUp ? random.nextInt(1_500) : random.nextInt(1_200);
                Instant started = Instant.now();
                Process agent = start(dataDir, kill);
                boolean recorded = false;
                try {
                    if (!duringStartUp) {
                        recorded = waitForAPollOfThisRun(bufferFile, started, agent, dataDir, kill);
                    }
                    sleep(delay);
                } finally {
                    Instant killedAt = Instant.now();
                    agent.destroyForcibly(); // SIGKILL: no shutdown hook, no final write
                    assertThat(agent.waitFor(20, TimeUnit.SECONDS)).isTrue();
                    runs.add(new Run(kill, started, killedAt, recorded));
                }
            }
        } finally {
            switching.set(false);
            switcher.join(30_000);
        }
        try (SpanBuffer buffer = SpanBuffer.open(bufferFile)) {
            buffer.closeOpenSpan(); // as the next start would
        }

        List<Row> rows = rows(bufferFile);
        System.out.printf("%d spans after %d kills%n", rows.size(), KILLS);
        long duplicates = duplicates(bufferFile);
        assertThat(duplicates).as("duplicate rows").isZero();
        for (int i = 1; i < rows.size(); i++) {
            assertThat(rows.get(i).startNs()).as("span %s overlaps %s", rows.get(i), rows.get(i - 1))
                    .isGreaterThanOrEqualTo(rows.get(i - 1).endNs());
        }
        Duration worst = Duration.ZERO;
        List<Duration> losses = new ArrayList<>();
        for (Run run : runs) {
            List<Row> ofRun = rows.stream().filter(row -> row.startNs() >= nanos(run.started())
                    && row.endNs() <= nanos(run.killedAt())).toList();
            assertThat(rows.stream().filter(row -> row.startNs() < nanos(run.killedAt())
                    && row.endNs() > nanos(run.killedAt()))).as("a span across kill %d", run.number()).isEmpty();
            for (int i = 1; i < ofRun.size(); i++) {
                assertThat(ofRun.get(i).startNs()).as("run %d lost time between two of its spans", run.number())
                        .isEqualTo(ofRun.get(i - 1).endNs());
            }
            if (run.recorded()) {
                assertThat(ofRun).as("run %d recorded a poll before its kill", run.number()).isNotEmpty();
                Duration lost = Duration.ofNanos(nanos(run.killedAt()) - ofRun.get(ofRun.size() - 1).endNs());
                worst = lost.compareTo(worst) > 0 ? lost : worst;
                losses.add(lost);
                System.out.printf("run %2d: %d spans, killed %s after its last recorded poll%n", run.number(),
                        ofRun.size(), lost);
                assertThat(lost).as("activity lost by kill %d", run.number()).isLessThanOrEqualTo(POLL.plus(IN_FLIGHT));
            } else {
                System.out.printf("run %2d: killed during start-up; %d spans%n", run.number(), ofRun.size());
            }
        }
        System.out.println("worst loss at a kill: " + worst + " (poll interval " + POLL + ")");
        report(seed, runs, rows.size(), duplicates, losses);
        assertThat(runs.stream().filter(Run::recorded).count()).isGreaterThanOrEqualTo(KILLS / 2);
        assertThat(rows).extracting(Row::application).contains("xterm", "xtother");
    }

    /** With {@code -Dxt.crash.report=FILE}: the figures as JSON, for the benchmark. */
    private static void report(long seed, List<Run> runs, int spans, long duplicates, List<Duration> losses)
            throws Exception {
        String file = System.getProperty("xt.crash.report");
        if (file == null) {
            return;
        }
        List<Long> millis = losses.stream().map(Duration::toMillis).sorted().toList();
        String json = String.format(java.util.Locale.ROOT, "{\"benchmark\":\"agent-crash\",\"seed\":%d,\"kills\":%d,"
                + "\"killsAfterAPoll\":%d,\"killsDuringStartUp\":%d,\"spans\":%d,\"duplicates\":%d,"
                + "\"pollIntervalMs\":%d,\"lossMs\":{\"p50\":%d,\"p95\":%d,\"max\":%d},"
                + "\"promiseMs\":%d}%n", seed, runs.size(), millis.size(), runs.size() - millis.size(), spans,
                duplicates, POLL.toMillis(), percentile(millis, 50), percentile(millis, 95), percentile(millis, 100),
                POLL.plus(IN_FLIGHT).toMillis());
        Files.createDirectories(Path.of(file).toAbsolutePath().getParent());
        Files.writeString(Path.of(file), json);
        System.out.print(json);
    }

    private static long percentile(List<Long> sorted, int percent) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /** The real command line in its own JVM with the agent's JVM flags, on this test's module path. */
    private Process start(Path dataDir, int run) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(agentJvmFlags());
        command.add(FarFromMidnight.jvmOption(zone));
        command.addAll(List.of("--module-path", System.getProperty("jdk.module.path"),
                "-m", "com.xentracker.collector/com.xentracker.collector.cli.AgentMain",
                "run", "--data-dir", dataDir.toString(), "--poll-interval", POLL.toMillis() + "ms",
                "--upload-interval", "1s", "--browser-endpoint-port", "0")); // never the real agent's port
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent-" + run + ".log").toFile());
        builder.environment().put("DISPLAY", X.display());
        builder.environment().remove("WAYLAND_DISPLAY");
        return builder.start();
    }

    /** The flags launchers use ({@code modules/collector/agent-jvm-flags}), so that 20 starts also try them out. */
    private static List<String> agentJvmFlags() throws Exception {
        Path file = Path.of(System.getProperty("xt.project.root", "."), "modules", "collector", "agent-jvm-flags");
        if (!Files.exists(file)) {
            file = Path.of("agent-jvm-flags"); // run from the module directory
        }
        List<String> flags = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String flag = line.replaceFirst("#.*", "").strip();
            if (!flag.isEmpty()) {
                flags.add(flag);
            }
        }
        return flags;
    }

    /** Waits until a poll of this run is committed: the open span starts after the run did. */
    private boolean waitForAPollOfThisRun(Path bufferFile, Instant started, Process agent, Path dataDir, int run)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!agent.isAlive()) {
                throw new AssertionError("the agent of run " + run + " exited by itself; its log:\n"
                        + Files.readString(dir.resolve("agent-" + run + ".log")));
            }
            Optional<BufferReader> reader = BufferReader.open(bufferFile);
            if (reader.isPresent()) {
                try (BufferReader buffer = reader.get()) {
                    if (buffer.openSpan().filter(span -> !span.start().isBefore(started)).isPresent()) {
                        return true;
                    }
                }
            }
            sleep(20);
        }
        throw new AssertionError("run " + run + " recorded nothing within 30 s; its log:\n"
                + Files.readString(dir.resolve("agent-" + run + ".log")));
    }

    private static List<Row> rows(Path file) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(
                        "SELECT start_ns, end_ns, state, application FROM span ORDER BY start_ns, id")) {
            while (result.next()) {
                rows.add(new Row(result.getLong(1), result.getLong(2), result.getString(3), result.getString(4)));
            }
        }
        return rows;
    }

    private static long duplicates(Path file) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*) - (SELECT count(*) FROM"
                        + " (SELECT DISTINCT start_ns, end_ns, state, application FROM span)) FROM span")) {
            result.next();
            return result.getLong(1);
        }
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private record Run(int number, Instant started, Instant killedAt, boolean recorded) {}

    private record Row(long startNs, long endNs, String state, String application) {}
}
