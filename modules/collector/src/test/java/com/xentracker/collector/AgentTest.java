package com.xentracker.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.collector.browser.BrowserEndpointConfig;
import com.xentracker.collector.browser.RawHttp;
import com.xentracker.collector.buffer.AgentStatus;
import com.xentracker.collector.buffer.Backlog;
import com.xentracker.collector.buffer.BrowserEndpointStatus;
import com.xentracker.collector.buffer.BufferReader;
import com.xentracker.collector.buffer.SpanBuffer;
import com.xentracker.collector.enrollment.EnrolledDevice;
import com.xentracker.collector.enrollment.TestEnrollments;
import com.xentracker.collector.policy.PolicyCache;
import com.xentracker.collector.probe.ForegroundProbe;
import com.xentracker.collector.probe.ForegroundProbes;
import com.xentracker.core.activity.Span;
import com.xentracker.core.activity.WebPage;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.core.policy.WorkingHours;
import com.xentracker.testing.clock.FarFromMidnight;
import com.xentracker.testing.clock.MutableClock;
import com.xentracker.testing.https.Ports;
import com.xentracker.testing.x11.XServerExtension;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.CaptureState;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole agent on real threads and real time, with a real display, while its server is unreachable. Its clock
 * runs at real speed but from an instant chosen here, a Wednesday noon (UTC, the clock's zone): spans are split at
 * the clock's midnights, and no test lasts twelve hours.
 */
class AgentTest {

    @RegisterExtension
    static final XServerExtension X = XServerExtension.withWindowManager();

    private static final Instant WEDNESDAY_NOON = Instant.parse("2026-11-04T12:00:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.runningFrom(WEDNESDAY_NOON);

    @Test
    void anUnenrolledDeviceDoesNotStartAndTheProbeIsReleased() {
        ForegroundProbe probe = ForegroundProbes.x11(X.display());

        assertThatThrownBy(() -> Agent.start(config(), clock, probe))
                .isInstanceOf(NotEnrolledException.class)
                .hasMessageContaining("enroll");
        assertThatThrownBy(probe::observe).isInstanceOf(ProbeFailedException.class);
    }

    @Test
    void theAgentRecordsSwitchesAndKeepsEverySpanWhileTheServerIsUnreachable() {
        AgentConfig config = config();
        TestEnrollments.store(config.dataDir(), Ports.closedHttpsPort());
        long first = X.xterm("xt-agent-" + UUID.randomUUID());
        long second = X.xterm("xt-agent-" + UUID.randomUUID(), "-class", "XtOther");
        X.activate(first);

        try (Agent agent = Agent.start(config, clock, ForegroundProbes.x11(X.display()))) {
            waitForOpenSpan(config, "xterm");
            X.activate(second);
            XServerExtension.waitUntil(() -> agent.backlog().unsentSpans() >= 1, "the switch to close a span");
        }

        try (SpanBuffer buffer = SpanBuffer.open(config.bufferFile())) {
            List<Span> kept = buffer.oldestUnsent(100);
            assertThat(kept).extracting(span -> span.activity().application()).startsWith("xterm").contains("xtother");
            assertThat(buffer.openSpan()).as("close() closes the open span").isEmpty();
            Backlog backlog = buffer.backlog();
            assertThat(backlog.lastAcknowledgedAt()).isEmpty();
            assertThat(backlog.unsentSpans()).isEqualTo(kept.size());
        }
    }

    @Test
    void anAgentThatCannotObserveTheSessionKeepsRunningSaysWhyAndRecordsOnceItCan() {
        AgentConfig config = config();
        TestEnrollments.store(config.dataDir(), Ports.closedHttpsPort());
        X.activate(X.xterm("xt-agent-" + UUID.randomUUID()));
        AtomicBoolean wayland = new AtomicBoolean(true);
        AtomicInteger attempts = new AtomicInteger();
        Supplier<ForegroundProbe> probes = () -> {
            attempts.incrementAndGet();
            if (wayland.get()) {
                throw new ProbeUnavailableException(ProbeUnavailableException.Reason.WAYLAND_SESSION,
                        "this is a Wayland session");
            }
            return ForegroundProbes.x11(X.display());
        };

        try (Agent agent = Agent.start(config, clock, probes)) {
            assertThat(capture(config)).isEqualTo(CaptureState.WAYLAND_UNSUPPORTED);
            sleep(Duration.ofMillis(1500)); // three polls: none may ask again before the retry interval
            assertThat(attempts.get()).as("probe attempts within the first minute").isEqualTo(1);
            assertThat(agent.backlog().unsentSpans()).isZero();

            wayland.set(false);
            clock.advance(Duration.ofMinutes(1).plusSeconds(1));
            waitForOpenSpan(config, "xterm");
            assertThat(capture(config)).isEqualTo(CaptureState.RECORDING);
            assertThat(attempts.get()).isEqualTo(2);
        }
    }

    @Test
    void anInterruptedKeyRotationThatCannotFinishOfflineDoesNotStopRecording() throws Exception {
        AgentConfig config = config();
        TestEnrollments.store(config.dataDir(), Ports.closedHttpsPort());
        // the state a rotation leaves when the server could not be reached: the new key beside the old one
        Files.writeString(config.dataDir().resolve("device/device-key.next.pem"),
                Pem.encodePrivateKey(DeviceKeys.generate().getPrivate()));
        X.activate(X.xterm("xt-agent-" + UUID.randomUUID()));

        try (Agent agent = Agent.start(config, clock, ForegroundProbes.x11(X.display()))) {
            waitForOpenSpan(config, "xterm");
        }
        assertThat(EnrolledDevice.keyRotationUnfinished(config.dataDir())).as("still to finish, next time").isTrue();
    }

    @Test
    void outsideWorkingHoursNothingIsRecordedAndTheStateSaysSo() {
        AgentConfig config = config();
        TestEnrollments.store(config.dataDir(), Ports.closedHttpsPort());
        X.activate(X.xterm("xt-agent-" + UUID.randomUUID()));
        ZoneId zone = ZoneId.of("UTC");
        DayOfWeek tomorrow = LocalDate.now(clock.withZone(zone)).plusDays(1).getDayOfWeek(); // never today
        WorkingHours hours = WorkingHours.of(zone, Map.of(tomorrow,
                List.of(WorkingHours.Interval.of(LocalTime.of(9, 0), LocalTime.of(17, 0)))));
        PolicyCache.open(config.dataDir()).offer(new CollectionPolicy(1, false, List.of(), Set.of(),
                Optional.of(hours), false, CollectionPolicy.DEFAULT_IDLE_THRESHOLD, false, false));

        try (Agent agent = Agent.start(config, clock, ForegroundProbes.x11(X.display()))) {
            XServerExtension.waitUntil(() -> capture(config) == CaptureState.OUTSIDE_WORKING_HOURS,
                    "the capture state to say outside working hours");
            assertThat(agent.backlog().unsentSpans()).isZero();
            try (SpanBuffer buffer = SpanBuffer.open(config.bufferFile())) {
                assertThat(buffer.openSpan()).isEmpty();
            }
        }
    }

    @Test
    void aSecondAgentOnTheSameDataDirectoryIsRefused() {
        AgentConfig config = config();
        TestEnrollments.store(config.dataDir(), Ports.closedHttpsPort());

        try (Agent running = Agent.start(config, clock, ForegroundProbes.x11(X.display()))) {
            ForegroundProbe secondProbe = ForegroundProbes.x11(X.display());
            assertThatThrownBy(() -> Agent.start(config, clock, secondProbe))
                    .isInstanceOf(AgentAlreadyRunningException.class);
            assertThatThrownBy(secondProbe::observe).isInstanceOf(ProbeFailedException.class);
        }
        // and once it is stopped, the directory is free again
        Agent.start(config, clock, ForegroundProbes.x11(X.display())).close();
    }

    @Test
    void anAgentKilledWithSigkillKeepsEveryCommittedPollAndTheNextStartClosesItsSpan() throws Exception {
        AgentConfig config = config();
        TestEnrollments.store(config.dataDir(), Ports.closedHttpsPort());
        X.activate(X.xterm("xt-killed-" + UUID.randomUUID()));
        // The real command line in its own JVM, on the module path this test runs on (main classes and libraries).
        // A real process runs on the real clock; in a zone where it is now about noon it meets no midnight (where the
        // agent would split its span) and no daylight-saving change, whenever the test runs.
        ZoneOffset zone = FarFromMidnight.zone();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                FarFromMidnight.jvmOption(zone),
                "--module-path", System.getProperty("jdk.module.path"),
                "-m", "com.xentracker.collector/com.xentracker.collector.cli.AgentMain",
                "run", "--data-dir", config.dataDir().toString(), "--poll-interval", "200ms",
                "--browser-endpoint-port", "0")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile());
        builder.environment().put("DISPLAY", X.display());
        builder.environment().remove("WAYLAND_DISPLAY");
        Process agent = builder.start();
        Span seen;
        try {
            try {
                XServerExtension.waitUntil(() -> openSpanLongerThan(config, Duration.ofSeconds(1)).isPresent(),
                        "the agent to record a second of xterm");
            } catch (IllegalStateException e) {
                throw new AssertionError("agent log:\n" + Files.readString(dir.resolve("agent.log")), e);
            }
            seen = openSpanLongerThan(config, Duration.ZERO).orElseThrow();
        } finally {
            agent.destroyForcibly(); // SIGKILL: no shutdown hook, no final write
            agent.waitFor();
        }

        try (SpanBuffer buffer = SpanBuffer.open(config.bufferFile())) {
            Span left = buffer.openSpan().orElseThrow();
            assertThat(left.start()).isEqualTo(seen.start());
            assertThat(left.end()).isAfterOrEqualTo(seen.end());
            assertThat(left.activity().application()).isEqualTo("xterm");
        }
        // the restart continues the killed agent's buffer, so it runs on the same clock, in the same zone
        try (Agent restarted = Agent.start(config, Clock.system(zone), ForegroundProbes.x11(X.display()))) {
            assertThat(restarted.backlog().unsentSpans()).isEqualTo(1); // the killed run's span, closed
        }
    }

    @Test
    void theForegroundBrowsersReportedTabBecomesThePageOfItsSpanAndStatusNotesTheReport() {
        AgentConfig config = config();
        TestEnrollments.store(config.dataDir(), Ports.closedHttpsPort());
        // an X window of class Chromium is what the probe sees of a real Chromium (the e2e test runs one)
        X.activate(X.xterm("xt-browser-" + UUID.randomUUID(), "-class", "Chromium"));

        try (Agent agent = Agent.start(config, clock, ForegroundProbes.x11(X.display()))) {
            BrowserEndpointStatus listening = browserStatus(config);
            assertThat(listening.listening()).isTrue();
            assertThat(listening.lastReport()).isEmpty();
            int port = Integer.parseInt(listening.detail().replaceAll(".*127\\.0\\.0\\.1:", ""));
            RawHttp.Response response = RawHttp.request(port, "POST", "/v1/browser/events")
                    .header("Origin", "chrome-extension://" + BrowserEndpointConfig.REPOSITORY_EXTENSION_ID)
                    .header("Content-Type", "application/json")
                    .body("""
                            {"browser":{"name":"Chromium","version":"156.0"},"events":[{"at":"%s","state":"active",\
                            "reason":"tab-activated","tab":{"domain":"docs.example.com",\
                            "url":"https://docs.example.com/a","audible":false}}]}""".formatted(clock.instant()))
                    .send();
            assertThat(response.status()).isEqualTo(204);

            XServerExtension.waitUntil(() -> openSpanPage(config).isPresent(), "a span with the reported page");
            // domain only: the default policy does not collect URLs
            assertThat(openSpanPage(config)).contains(WebPage.ofDomain("docs.example.com"));
            XServerExtension.waitUntil(() -> browserStatus(config).lastReport().isPresent(), "the report noted");
        }
    }

    @Test
    void aBrowserPortInUseDoesNotStopTheAgentWhichSaysSoAndRecordsApplications() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            AgentConfig config = config().with("browser-endpoint-port", Integer.toString(taken.getLocalPort()));
            TestEnrollments.store(config.dataDir(), Ports.closedHttpsPort());
            X.activate(X.xterm("xt-port-" + UUID.randomUUID()));

            try (Agent agent = Agent.start(config, clock, ForegroundProbes.x11(X.display()))) {
                waitForOpenSpan(config, "xterm");
                BrowserEndpointStatus status = browserStatus(config);
                assertThat(status.listening()).isFalse();
                assertThat(status.detail()).contains("127.0.0.1:" + taken.getLocalPort());
            }
        }
    }

    private static BrowserEndpointStatus browserStatus(AgentConfig config) {
        try (SpanBuffer reader = SpanBuffer.open(config.bufferFile())) {
            return reader.browserEndpointStatus().orElseThrow();
        }
    }

    private static Optional<WebPage> openSpanPage(AgentConfig config) {
        try (SpanBuffer reader = SpanBuffer.open(config.bufferFile())) {
            return reader.openSpan().flatMap(span -> span.activity().page());
        }
    }

    private static Optional<Span> openSpanLongerThan(AgentConfig config, Duration length) {
        if (!Files.exists(config.bufferFile())) {
            return Optional.empty();
        }
        try (SpanBuffer reader = SpanBuffer.open(config.bufferFile())) {
            return reader.openSpan().filter(span -> span.duration().compareTo(length) > 0);
        }
    }

    private AgentConfig config() {
        return AgentConfig.defaults()
                .with(AgentConfig.DATA_DIR, dir.resolve("agent").toString())
                .with(AgentConfig.POLL_INTERVAL, "200ms")
                .with(AgentConfig.UPLOAD_INTERVAL, "1s")
                .with("browser-endpoint-port", "0"); // any free port: tests may run beside a real agent
    }

    private static CaptureState capture(AgentConfig config) {
        try (BufferReader reader = BufferReader.open(config.bufferFile()).orElseThrow()) {
            return reader.agentStatus().capture().map(AgentStatus.Capture::state).orElse(CaptureState.UNKNOWN);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Reads the buffer through a second connection, as the status command does. */
    private static void waitForOpenSpan(AgentConfig config, String application) {
        XServerExtension.waitUntil(() -> {
            try (SpanBuffer reader = SpanBuffer.open(config.bufferFile())) {
                return reader.openSpan().map(span -> span.activity().application().equals(application)).orElse(false);
            }
        }, "an open " + application + " span");
    }
}
