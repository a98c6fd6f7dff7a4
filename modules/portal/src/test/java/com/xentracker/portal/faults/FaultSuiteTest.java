package com.xentracker.portal.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.collector.Agent;
import com.xentracker.collector.AgentConfig;
import com.xentracker.collector.enrollment.EnrolledDevice;
import com.xentracker.collector.enrollment.Enrollment;
import com.xentracker.collector.probe.ForegroundProbe;
import com.xentracker.collector.probe.ForegroundWindow;
import com.xentracker.collector.probe.Observation;
import com.xentracker.server.ServerConfig;
import com.xentracker.server.XentrackerServer;
import com.xentracker.server.organization.Organization;
import com.xentracker.testing.clock.FarFromMidnight;
import com.xentracker.testing.database.ExternalPostgres;
import com.xentracker.testing.database.TestDatabase;
import com.xentracker.testing.network.FaultProxy;
import com.xentracker.testing.network.FaultProxy.Mode;
import com.xentracker.testing.prerequisite.Prerequisites;
import com.xentracker.testing.x11.XServerExtension;
import com.xentracker.transport.pki.Pem;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fault-injection suite: real agents (their own JVMs, recording a real X display whose focus keeps switching)
 * upload through a {@link FaultProxy} on loopback to a real server node (its own JVM) on the external PostgreSQL,
 * while the test breaks the network, kills the node or an agent with SIGKILL, restarts PostgreSQL, fills the agent's
 * disk or moves its clock. After every scenario the spans are counted end to end ({@link SpanTally}): what each agent
 * recorded (its buffer, and its own log of recorded spans) against what the server stored: 0 lost, 0 duplicated, and
 * every device's spans stored in the order the agent recorded them.
 *
 * <p>Counts are small here (CI); {@code bench/run faults} runs the same scenarios with the full counts
 * ({@code -Dxt.faults.partitions}, {@code .server-kills}, {@code .postgres-restarts}, {@code .agent-kills},
 * {@code .disk-fulls}, {@code .clock-jumps}) and writes the figures ({@code -Dxt.faults.report-dir}). The moments
 * come from a seed printed at the start ({@code -Dxt.faults.seed=N} replays the choices, not the machine's timing).
 *
 * <p>Needs Xvfb, openbox, xdotool, xterm and the external PostgreSQL of CI; restarting PostgreSQL needs root and
 * Debian's {@code pg_ctlcluster}, the full disk root and {@code mount}: skipped without them unless
 * {@code XT_REQUIRE_ALL=1}. Everything runs on the real clock in a zone where it is about noon now
 * ({@link FarFromMidnight}): nothing depends on the date or the time of day (the clock jumps stay within ±2.5 h).
 */
class FaultSuiteTest {

    @RegisterExtension
    static final XServerExtension X = XServerExtension.withWindowManager();

    private static final int PARTITIONS = Integer.getInteger("xt.faults.partitions", 4);
    private static final int SERVER_KILLS = Integer.getInteger("xt.faults.server-kills", 1);
    private static final int POSTGRES_RESTARTS = Integer.getInteger("xt.faults.postgres-restarts", 2);
    private static final int AGENT_KILLS = Integer.getInteger("xt.faults.agent-kills", 3);
    private static final int DISK_FULLS = Integer.getInteger("xt.faults.disk-fulls", 1);
    private static final int CLOCK_JUMPS = Integer.getInteger("xt.faults.clock-jumps", 2);
    private static final long SEED = Long.getLong("xt.faults.seed", System.nanoTime());
    /** How long a fault may take to heal before the test gives up on it (the agent backs off while it fails). */
    private static final Duration RECOVERY_PATIENCE = Duration.ofSeconds(120);

    private static final ZoneOffset ZONE = FarFromMidnight.zone();
    private static ExternalPostgres postgres;
    private static TestDatabase database;
    private static Path root;
    private static ServerNode node;
    private static FaultProxy proxy;
    private static X509Certificate ca;
    private static String token;

    private final AtomicBoolean switching = new AtomicBoolean();
    private Thread switcher;
    private final Random random = new Random(SEED);

    /** An enrolled agent run as a process. */
    private record Enrolled(UUID device, AgentProcess process) {}

    @BeforeAll
    static void rig() throws Exception {
        System.out.println("FaultSuiteTest seed " + SEED + " (replay with -Dxt.faults.seed=" + SEED + ")");
        postgres = ExternalPostgres.required();
        database = postgres.createDatabase();
        root = Files.createTempDirectory("xt-faults-");
        Path serverDirectory = Files.createDirectories(root.resolve("server"));
        ServerConfig.ExternalDatabase db = new ServerConfig.ExternalDatabase(database.url(), database.user(),
                database.password());
        // first start in-process on the real clock (the node's): schema, keys, TLS CA, an organization and a token
        try (XentrackerServer setup = XentrackerServer.start(ServerConfig.forDataDirectory(serverDirectory)
                .withHttpsPort(0).withDatabase(db), Clock.systemUTC())) {
            Organization organization = setup.administration().createOrganization("Faults", ZoneOffset.UTC);
            token = setup.services().enrollmentTokens().issue(setup.administration().operator(organization.id()),
                    "fault suite", Duration.ofHours(12), 10_000).token();
        }
        ca = Pem.certificate(Files.readString(serverDirectory.resolve("tls/ca.pem")));
        node = new ServerNode(serverDirectory, db, ca);
        node.start();
        proxy = FaultProxy.to(node.port());
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (node != null) {
            node.close();
        }
        if (database != null) {
            postgres.drop(database);
        }
        if (root != null && !Files.exists(root.resolve("keep"))) {
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    @BeforeEach
    void startSwitching() {
        proxy.mode(Mode.PASS);
        switching.set(true);
        Random switchRandom = new Random(SEED + 1);
        switcher = new Thread(() -> {
            long[] windows = {};
            long openedAt = 0;
            for (int i = 0; switching.get(); i++) {
                try {
                    // the test's xterms live 120 s: a long (benchmark) run opens new ones now and then
                    if (windows.length == 0 || System.nanoTime() - openedAt > TimeUnit.SECONDS.toNanos(100)) {
                        windows = new long[] {X.xterm("xt-faults-" + UUID.randomUUID()),
                                X.xterm("xt-faults-" + UUID.randomUUID(), "-class", "XtOther")};
                        openedAt = System.nanoTime();
                    }
                    X.activate(windows[i % 2]);
                } catch (RuntimeException e) {
                    windows = new long[] {}; // a window went away: open new ones
                }
                sleep(150 + switchRandom.nextInt(450));
            }
        }, "window-switcher");
        switcher.setDaemon(true);
        switcher.start();
    }

    @AfterEach
    void stopSwitching() throws InterruptedException {
        switching.set(false);
        switcher.join(30_000);
        proxy.mode(Mode.PASS);
    }

    @Test
    void aNetworkPartitionMidUploadThatDropsStallsResetsAndTruncatesLosesAndDuplicatesNothing() throws Exception {
        long started = System.nanoTime();
        List<Enrolled> agents = List.of(enroll("partition", root));
        startAll(agents);
        sleep(2_000);
        Mode[] modes = {Mode.DROP, Mode.STALL, Mode.RESET, Mode.TRUNCATE};
        List<Long> recoveries = new ArrayList<>();
        for (int run = 0; run < PARTITIONS; run++) {
            proxy.mode(modes[run % modes.length]);
            sleep(1_500 + random.nextInt(1_500));
            proxy.mode(Mode.PASS);
            recoveries.add(recovery(agents));
        }
        assertThat(proxy.faulted()).as("connections that met a fault").isPositive();
        finish("network-partition", PARTITIONS, agents, recoveries, started,
                proxy.faulted() + " connections dropped, stalled, reset or truncated");
    }

    @Test
    void aServerNodeKilledMidIngestWithSeveralAgentsUploadingLosesAndDuplicatesNothing() throws Exception {
        long started = System.nanoTime();
        List<Enrolled> agents = List.of(enroll("node-a", root), enroll("node-b", root), enroll("node-c", root));
        startAll(agents);
        sleep(2_000);
        List<Long> recoveries = new ArrayList<>();
        List<Long> restarts = new ArrayList<>();
        for (int run = 0; run < SERVER_KILLS; run++) {
            sleep(300 + random.nextInt(1_500));
            node.kill();
            restarts.add(node.start());
            recoveries.add(recovery(agents));
        }
        finish("server-node-kill", SERVER_KILLS, agents, recoveries, started,
                "node restart to healthy p50 " + median(restarts) + " ms");
    }

    @Test
    void postgresqlRestartedUnderLoadLosesAndDuplicatesNothing() throws Exception {
        Prerequisites.require("root".equals(System.getProperty("user.name")), "root (to restart Debian's"
                + " PostgreSQL cluster with pg_ctlcluster)");
        Prerequisites.requireTools(List.of("pg_ctlcluster", "pg_lsclusters"), "Debian: apt-get install -y postgresql");
        String[] cluster = clusterOf(database.url());
        long started = System.nanoTime();
        List<Enrolled> agents = List.of(enroll("postgres-a", root), enroll("postgres-b", root));
        startAll(agents);
        sleep(2_000);
        List<Long> recoveries = new ArrayList<>();
        for (int run = 0; run < POSTGRES_RESTARTS; run++) {
            sleep(300 + random.nextInt(1_500));
            // fast: sessions are ended and the server shuts down cleanly; immediate: as if it crashed (WAL replay)
            String mode = run % 2 == 0 ? "fast" : "immediate";
            run("pg_ctlcluster", "--skip-systemctl-redirect", "--mode", mode, cluster[0], cluster[1], "restart");
            recoveries.add(recovery(agents));
        }
        finish("postgresql-restart", POSTGRES_RESTARTS, agents, recoveries, started,
                "Debian cluster " + cluster[0] + "/" + cluster[1] + ", restarts alternately fast and immediate");
    }

    @Test
    void theAgentKilledWhileItRecordsAndUploadsLosesAndDuplicatesNothingOnceItRunsAgain() throws Exception {
        long started = System.nanoTime();
        Enrolled agent = enroll("agent-kill", root);
        for (int run = 0; run < AGENT_KILLS; run++) {
            agent.process().start();
            // one kill in four lands anywhere in start-up; the others while it records and uploads
            if (random.nextInt(4) != 0) {
                awaitLog(agent.process(), "recording as device");
            }
            sleep(300 + random.nextInt(2_200));
            agent.process().kill();
        }
        agent.process().start();
        List<Long> recoveries = List.of(recovery(List.of(agent)));
        finish("agent-kill", AGENT_KILLS, List.of(agent), recoveries, started,
                "recovery: the run after the last kill delivering everything recorded before it");
    }

    @Test
    void aFullDiskLeavesTheAgentRunningWithAnIntactBufferAndItCatchesUpWhenSpaceReturns() throws Exception {
        Prerequisites.require("root".equals(System.getProperty("user.name")), "root (to mount a small tmpfs for"
                + " the agent's data directory)");
        Prerequisites.requireTools(List.of("mount", "umount"), "Debian: util-linux");
        Path mountPoint = Files.createDirectories(root.resolve("tmpfs"));
        run("mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", mountPoint.toString());
        try {
            long started = System.nanoTime();
            Enrolled agent = enroll("disk", mountPoint);
            agent.process().start();
            // running and recording before the disk fills (an agent that starts on a full disk cannot open its
            // buffer and exits: the service manager's restart is what brings it back then)
            awaitLog(agent.process(), "recording as device");
            sleep(1_000);
            List<Long> recoveries = new ArrayList<>();
            long heldInMemory = 0;
            for (int run = 0; run < DISK_FULLS; run++) {
                Path filler = mountPoint.resolve("filler");
                fill(filler);
                long newestBefore = SpanTally.newestSpan(agent.process().bufferFile());
                sleep(3_000);
                assertThat(agent.process().alive()).as(agent.process().logText()).isTrue();
                heldInMemory += Math.max(0, SpanTally.newestSpan(agent.process().bufferFile()) - newestBefore);
                Files.delete(filler);
                recoveries.add(recovery(List.of(agent)));
            }
            // what the agent logs meanwhile is SQLite's "cannot commit - no transaction is active" (SQLite rolled
            // back the statement that found the disk full): see the report; only that it noticed is asserted
            assertThat(agent.process().logText()).as("the agent noticed").contains("sampling failed");
            String integrity;
            long gaps;
            try (Connection buffer = DriverManager.getConnection("jdbc:sqlite:" + agent.process().bufferFile());
                    Statement statement = buffer.createStatement()) {
                try (ResultSet rows = statement.executeQuery("PRAGMA integrity_check")) {
                    rows.next();
                    integrity = rows.getString(1);
                }
                try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM gap")) {
                    rows.next();
                    gaps = rows.getLong(1);
                }
            }
            assertThat(integrity).isEqualTo("ok");
            finish("agent-disk-full", DISK_FULLS, List.of(agent), recoveries, started,
                    "tmpfs of 8 MiB filled for 3 s per run; buffer integrity ok; gaps recorded: " + gaps
                            + "; spans committed while full: " + heldInMemory);
        } finally {
            run("umount", "-l", mountPoint.toString());
        }
    }

    @Test
    void clockJumpsForwardsAndBackwardsOnTheAgentLoseAndDuplicateNothing() throws Exception {
        long started = System.nanoTime();
        Path directory = root.resolve("clock");
        EnrolledDevice device = Enrollment.enroll(directory, proxy.httpsUri(), ca, token);
        JumpingClock clock = new JumpingClock(FarFromMidnight.clock());
        AgentConfig config = AgentConfig.defaults().with(AgentConfig.DATA_DIR, directory.toString())
                .with(AgentConfig.POLL_INTERVAL, AgentProcess.POLL).with(AgentConfig.UPLOAD_INTERVAL, "1s")
                .with(AgentConfig.BROWSER_ENDPOINT_ENABLED, "false");
        List<Long> recoveries = new ArrayList<>();
        try (Agent agent = Agent.start(config, clock, new ScriptedProbe())) {
            sleep(1_500);
            for (int run = 0; run < CLOCK_JUMPS; run++) {
                // forwards 90 min, then back 150 min (before everything recorded so far), and so on
                clock.jump(run % 2 == 0 ? Duration.ofMinutes(90) : Duration.ofMinutes(-150));
                sleep(1_500);
                recoveries.add(recovery(directory.resolve("buffer.db")));
            }
        }
        List<Instant> starts = new ArrayList<>();
        try (Connection buffer = DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("buffer.db"));
                Statement statement = buffer.createStatement();
                ResultSet rows = statement.executeQuery("SELECT start_ns FROM span ORDER BY id")) {
            while (rows.next()) {
                starts.add(Instant.ofEpochSecond(0, rows.getLong(1)));
            }
        }
        assertThat(Duration.between(starts.stream().min(Comparator.naturalOrder()).orElseThrow(),
                starts.stream().max(Comparator.naturalOrder()).orElseThrow())).as("the jump forwards was recorded")
                .isGreaterThanOrEqualTo(Duration.ofMinutes(85));
        if (CLOCK_JUMPS > 1) {
            boolean backwards = false;
            for (int i = 1; i < starts.size(); i++) {
                backwards |= starts.get(i).isBefore(starts.get(i - 1));
            }
            assertThat(backwards).as("a span recorded after the jump back starts before the one before it").isTrue();
        }
        SpanTally tally = tally(List.of(new Counted(device.deviceId(), directory.resolve("buffer.db"),
                Optional.empty())));
        report("agent-clock-jumps", CLOCK_JUMPS, 1, tally, recoveries, started,
                "in-process agent on an injected clock: +90 min, -150 min alternately");
        assertExact(tally, "clock jumps");
    }

    // --- the steps every scenario shares ---

    private Enrolled enroll(String name, Path under) {
        Path directory = under.resolve(name);
        EnrolledDevice device = Enrollment.enroll(directory, proxy.httpsUri(), ca, token);
        return new Enrolled(device.deviceId(), new AgentProcess(directory, root.resolve(name + ".log"), X.display(),
                ZONE));
    }

    private static void startAll(List<Enrolled> agents) throws Exception {
        for (Enrolled agent : agents) {
            agent.process().start();
        }
        for (Enrolled agent : agents) {
            awaitLog(agent.process(), "recording as device");
        }
    }

    private static void awaitLog(AgentProcess agent, String text) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!agent.logText().contains(text)) {
            if (!agent.alive() || System.nanoTime() > deadline) {
                throw new AssertionError("the agent did not log '" + text + "'; its log:\n" + tail(agent.logText()));
            }
            sleep(100);
        }
    }

    /**
     * Right after a fault healed: how long until every span the agents had recorded by then is acknowledged by the
     * server (their buffers say so).
     */
    private static long recovery(List<Enrolled> agents) throws Exception {
        long healed = System.nanoTime();
        for (Enrolled agent : agents) {
            long newest = SpanTally.newestSpan(agent.process().bufferFile());
            awaitAcknowledged(agent.process().bufferFile(), newest, healed, agent.process());
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - healed);
    }

    private static long recovery(Path bufferFile) throws Exception {
        long healed = System.nanoTime();
        awaitAcknowledged(bufferFile, SpanTally.newestSpan(bufferFile), healed, null);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - healed);
    }

    private static void awaitAcknowledged(Path bufferFile, long upTo, long since, AgentProcess agent)
            throws Exception {
        while (SpanTally.unacknowledged(bufferFile, upTo) > 0) {
            if (System.nanoTime() - since > RECOVERY_PATIENCE.toNanos()) {
                throw new AssertionError("spans up to " + upTo + " still not acknowledged after "
                        + RECOVERY_PATIENCE + (agent == null ? "" : "; the agent's log:\n" + tail(agent.logText()))
                        + "\nthe node's log:\n" + tail(node.log()));
            }
            if (agent != null && !agent.alive()) {
                throw new AssertionError("the agent exited; its log:\n" + tail(agent.logText()));
            }
            sleep(100);
        }
    }

    /**
     * Ends a scenario: stops switching windows, lets each agent deliver what it has, stops it with SIGTERM (it closes
     * its open span and uploads it), then counts and reports.
     */
    private void finish(String scenario, int runs, List<Enrolled> agents, List<Long> recoveries, long started,
            String notes) throws Exception {
        switching.set(false);
        switcher.join(30_000);
        List<Counted> counted = new ArrayList<>();
        for (Enrolled agent : agents) {
            AgentProcess process = agent.process();
            for (int attempt = 0; ; attempt++) {
                if (!process.alive()) {
                    process.start();
                    awaitLog(process, "recording as device");
                }
                awaitAcknowledged(process.bufferFile(), Long.MAX_VALUE, System.nanoTime(), process);
                process.stop();
                if (SpanTally.unacknowledged(process.bufferFile(), Long.MAX_VALUE) == 0) {
                    break;
                }
                assertThat(attempt).as("the last span of %s still unsent after %d stops", scenario, attempt + 1)
                        .isLessThan(3);
            }
            counted.add(new Counted(agent.device(), process.bufferFile(), Optional.of(process.log())));
        }
        SpanTally tally = tally(counted);
        report(scenario, runs, agents.size(), tally, recoveries, started, notes);
        assertExact(tally, scenario);
        assertThat(tally.logged()).as("the agents' own logs of recorded spans").isPositive();
        // a kill may fall between a commit and its log line: at most one poll's spans per start go unlogged
        long starts = agents.stream().mapToLong(agent -> agent.process().starts()).sum();
        assertThat(tally.recorded() - tally.logged()).as("recorded spans missing from the agents' logs")
                .isBetween(0L, 3 * starts);
    }

    private record Counted(UUID device, Path bufferFile, Optional<Path> log) {}

    private static SpanTally tally(List<Counted> agents) throws Exception {
        SpanTally total = SpanTally.zero();
        try (Connection server = DriverManager.getConnection(database.url(), database.user(), database.password())) {
            for (Counted agent : agents) {
                SpanTally one = SpanTally.count(agent.bufferFile(), agent.log(), agent.device(), server);
                System.out.println(agent.device() + ": " + one);
                total = total.plus(one);
            }
        }
        return total;
    }

    private static void report(String scenario, int runs, int agents, SpanTally tally, List<Long> recoveries,
            long started, String notes) throws Exception {
        new FaultFigures(scenario, runs, agents, tally, recoveries,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), SEED, notes).write();
    }

    private static void assertExact(SpanTally tally, String scenario) {
        assertThat(tally.recorded()).as("%s: spans recorded", scenario).isPositive();
        assertThat(tally.lost()).as("%s: spans lost", scenario).isZero();
        assertThat(tally.duplicated()).as("%s: spans stored twice", scenario).isZero();
        assertThat(tally.unknown()).as("%s: spans stored that no agent recorded", scenario).isZero();
        assertThat(tally.outOfOrder()).as("%s: spans stored out of the agent's order", scenario).isZero();
        assertThat(tally.loggedNotRecorded()).as("%s: logged spans missing from the buffer", scenario).isZero();
        assertThat(tally.stored()).as("%s: spans stored", scenario).isEqualTo(tally.recorded());
    }

    /** Debian's cluster (version, name) listening on the port of {@code jdbcUrl}. */
    private static String[] clusterOf(String jdbcUrl) throws Exception {
        Matcher port = Pattern.compile("//[^/:]+(?::(\\d+))?/").matcher(jdbcUrl);
        String wanted = port.find() && port.group(1) != null ? port.group(1) : "5432";
        for (String line : run("pg_lsclusters", "-h").split("\n")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length >= 3 && columns[2].equals(wanted)) {
                return new String[] {columns[0], columns[1]};
            }
        }
        Prerequisites.require(false, "a Debian PostgreSQL cluster on port " + wanted + " (pg_lsclusters)");
        throw new IllegalStateException("unreachable");
    }

    /** Writes {@code filler} until the file system says it is full. */
    private static void fill(Path filler) {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException full) {
            // No space left on device: what the scenario wants
        }
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }

    private static long median(List<Long> values) {
        return values.isEmpty() ? -1 : values.stream().sorted().toList().get(values.size() / 2);
    }

    private static String tail(String text) {
        return text.length() <= 6_000 ? text : "…" + text.substring(text.length() - 6_000);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The real clock (in the test's zone) plus an offset the test moves: the agent's wall clock jumps. */
    private static final class JumpingClock extends Clock {
        private final Clock base;
        private final AtomicLong offsetNanos = new AtomicLong();

        JumpingClock(Clock base) {
            this.base = base;
        }

        void jump(Duration by) {
            offsetNanos.addAndGet(by.toNanos());
        }

        @Override
        public ZoneId getZone() {
            return base.getZone();
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return base.instant().plusNanos(offsetNanos.get());
        }
    }

    /** A desktop where the foreground application changes every few polls. */
    private static final class ScriptedProbe implements ForegroundProbe {
        private int polls;

        @Override
        public synchronized Observation observe() {
            String application = "scripted-" + (polls++ / 3) % 4;
            return Observation.of(Optional.of(new ForegroundWindow(application, Optional.empty(), OptionalLong.empty(),
                    Optional.empty())), Duration.ZERO);
        }

        @Override
        public void close() {}
    }
}
