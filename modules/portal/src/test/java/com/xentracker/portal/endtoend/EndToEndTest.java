package com.xentracker.portal.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.collector.Agent;
import com.xentracker.collector.AgentConfig;
import com.xentracker.collector.buffer.Backlog;
import com.xentracker.collector.buffer.SpanBuffer;
import com.xentracker.collector.enrollment.EnrolledDevice;
import com.xentracker.collector.enrollment.Enrollment;
import com.xentracker.collector.probe.ForegroundProbe;
import com.xentracker.collector.probe.ForegroundProbes;
import com.xentracker.collector.probe.Observation;
import com.xentracker.server.ServerConfig;
import com.xentracker.server.XentrackerServer;
import com.xentracker.server.Administration;
import com.xentracker.server.device.IssuedEnrollmentToken;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.usage.DayRange;
import com.xentracker.server.usage.UsageFilter;
import com.xentracker.server.usage.UsageTotal;
import com.xentracker.testing.clock.MutableClock;
import com.xentracker.testing.x11.XServerExtension;
import com.xentracker.transport.pki.PinnedTrust;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton, every stage real: a server on embedded PostgreSQL over HTTPS, an agent that enrolls over
 * HTTPS pinning the server's CA, samples a real xterm on a real X server (Xvfb + openbox) through the Linux probe,
 * buffers spans in SQLite, seals them (Ed25519 signature, CMS AES-256-GCM envelope) and uploads them; then a plain
 * HTTPS client signs in to the portal and reads the xterm's active time off the dashboard.
 */
class EndToEndTest {

    @RegisterExtension
    static final XServerExtension X = XServerExtension.withWindowManager();

    private static final String OWNER = "owner@acme.test";
    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    private static final Duration RECORDING = Duration.ofSeconds(4);

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void anAgentsRealForegroundWindowReachesThePortalDashboard() throws Exception {
        // Agent and server run on real threads and wait real seconds, so their shared clock runs at real speed, but
        // from an instant chosen here: noon UTC (the clock's zone, and the organization's), so that the few seconds
        // recorded never straddle a midnight, where the agent splits spans and the dashboard's "today" ends.
        MutableClock clock = MutableClock.runningFrom(Instant.parse("2026-11-04T12:00:00Z"));
        try (XentrackerServer server = XentrackerServer.start(
                ServerConfig.forDataDirectory(dir.resolve("server")).withHttpsPort(0), clock)) {
            // 2. organization, owner and an enrollment token through the server's own services
            Administration admin = server.administration();
            Organization org = admin.createOrganization("Acme", ZoneOffset.UTC);
            admin.createOwner(org.id(), OWNER, PASSWORD.clone());
            IssuedEnrollmentToken token = server.services().enrollmentTokens().issue(admin.operator(org.id()), "agent",
                    Duration.ofHours(1), 1);

            // 3. the agent enrolls over HTTPS, trusting only the server's CA
            Path agentDir = dir.resolve("agent");
            EnrolledDevice device = Enrollment.enroll(agentDir, server.baseUri(), server.certificateAuthority(),
                    token.token());
            assertThat(device.organizationId()).isEqualTo(org.id());

            // 4. a real window on a real X server, read through the Linux probe
            String title = "xt-e2e-" + UUID.randomUUID();
            X.activate(X.xterm(title));
            ForegroundProbe probe = ForegroundProbes.x11(X.display());
            Observation seen = probe.observe();
            assertThat(seen.foreground()).hasValueSatisfying(window -> {
                assertThat(window.application()).isEqualTo("xterm");
                assertThat(window.title()).contains(title);
                assertThat(window.executable()).hasValueSatisfying(exe -> assertThat(exe.toString()).endsWith("xterm"));
            });

            // 4-6. record for a few seconds, then stop: the agent closes its open span and uploads what is left
            AgentConfig agentConfig = AgentConfig.defaults()
                    .with(AgentConfig.DATA_DIR, agentDir.toString())
                    .with(AgentConfig.POLL_INTERVAL, "200ms")
                    .with(AgentConfig.UPLOAD_INTERVAL, "1s");
            Instant started = clock.instant();
            Agent agent = Agent.start(agentConfig, clock, probe);
            Thread.sleep(RECORDING.toMillis());
            agent.close();
            Duration recorded = Duration.between(started, clock.instant());

            // nothing is left in the buffer: every span was acknowledged by the server
            try (SpanBuffer buffer = SpanBuffer.open(agentConfig.bufferFile())) {
                Backlog backlog = buffer.backlog();
                assertThat(backlog.unsentSpans()).isZero();
                assertThat(backlog.pendingBatches()).isZero();
                assertThat(backlog.lastAcknowledgedAt()).isPresent();
            }

            // the server opened, verified and stored the spans
            Instant dayStart = clock.instant().truncatedTo(ChronoUnit.DAYS);
            List<UsageTotal> usage = server.services().usage().applications(admin.operator(org.id()),
                    UsageFilter.of(DayRange.of(LocalDate.ofInstant(dayStart.minus(Duration.ofDays(1)), org.timeZone()),
                            LocalDate.ofInstant(dayStart.plus(Duration.ofDays(1)), org.timeZone())))).rows();
            assertThat(usage).singleElement().satisfies(app -> {
                assertThat(app.name()).isEqualTo("xterm");
                assertThat(app.devices()).isEqualTo(1);
                // within one poll interval of what ran (the first sample starts the span; the last one ends it)
                assertThat(app.active()).isBetween(RECORDING.minusSeconds(1), recorded.plusSeconds(1));
            });

            // 7. a real HTTPS client signs in to the portal and finds the application and its active time
            PortalBrowser portal = new PortalBrowser(server.baseUri(), HttpClient.newBuilder()
                    .sslContext(PinnedTrust.trusting(server.certificateAuthority()))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build());
            String session = portal.signIn(OWNER, new String(PASSWORD));
            String dashboard = portal.dashboard(session);
            Matcher row = Pattern.compile(
                    "<td class=\"application\">xterm</td>\\s*<td class=\"num active\" data-seconds=\"(\\d+)\">")
                    .matcher(dashboard);
            assertThat(row.find()).as("an xterm row on the dashboard:%n%s", dashboard).isTrue();
            assertThat(Long.parseLong(row.group(1))).isEqualTo(usage.get(0).active().toSeconds()).isPositive();
            // titles are off by default: the window title was never collected, so it cannot be shown
            assertThat(dashboard).doesNotContain(title);
        }
    }
}
