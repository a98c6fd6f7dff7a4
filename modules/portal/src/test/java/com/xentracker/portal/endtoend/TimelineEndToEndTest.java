package com.xentracker.portal.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.xentracker.collector.Agent;
import com.xentracker.collector.AgentConfig;
import com.xentracker.collector.enrollment.EnrolledDevice;
import com.xentracker.collector.enrollment.Enrollment;
import com.xentracker.collector.probe.ForegroundProbe;
import com.xentracker.collector.probe.ForegroundProbes;
import com.xentracker.server.Administration;
import com.xentracker.server.ServerConfig;
import com.xentracker.server.XentrackerServer;
import com.xentracker.server.device.IssuedEnrollmentToken;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.people.DeviceAccount;
import com.xentracker.testing.clock.MutableClock;
import com.xentracker.testing.x11.XServerExtension;
import com.xentracker.transport.pki.PinnedTrust;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent's spans on a person's timeline, every stage real: the agent samples a real xterm on a real X server
 * (Xvfb + openbox), buffers, seals and uploads to a server on embedded PostgreSQL over HTTPS; a plain HTTPS client
 * signs in to the portal and reads the person's day. The organization and the device are in Pacific/Auckland (UTC+13
 * that day), and the day is the one daylight-saving time begins there (02:00 NZST → 03:00 NZDT, 23 hours): the
 * recorded minutes must be drawn at their local time, an hour of elapsed time earlier than the clock face says.
 */
class TimelineEndToEndTest {

    @RegisterExtension
    static final XServerExtension X = XServerExtension.withWindowManager();

    private static final ZoneId AUCKLAND = ZoneId.of("Pacific/Auckland");
    private static final LocalDate SPRING = LocalDate.parse("2026-09-27");
    private static final String OWNER = "owner@harbour.test";
    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    private static final Pattern SEGMENT = Pattern.compile(
            "data-start=\"(\\d\\d:\\d\\d:\\d\\d) ([+-]\\d\\d:\\d\\d)\" x=\"([0-9.]+)\"[^>]*><title>([^<]*)</title>");

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void aRealAgentsWindowIsOnThePersonsTimelineAtItsLocalTimeOnTheDayTheClocksGoForward() throws Exception {
        // real seconds from 03:30 NZDT (14:30 UTC the day before), well clear of either midnight; the agent's clock
        // is the device's, in Auckland, as a laptop there would be
        MutableClock clock = MutableClock.runningFrom(Instant.parse("2026-09-26T14:30:00Z"));
        try (XentrackerServer server = XentrackerServer.start(
                ServerConfig.forDataDirectory(dir.resolve("server")).withHttpsPort(0), clock)) {
            Administration admin = server.administration();
            Organization org = admin.createOrganization("Harbour", AUCKLAND);
            admin.createOwner(org.id(), OWNER, PASSWORD.clone());
            IssuedEnrollmentToken token = server.services().enrollmentTokens().issue(admin.operator(org.id()),
                    "agent", Duration.ofHours(1), 1);
            Path agentDir = dir.resolve("agent");
            EnrolledDevice device = Enrollment.enroll(agentDir, server.baseUri(), server.certificateAuthority(),
                    token.token());

            X.activate(X.xterm("xt-timeline-" + UUID.randomUUID()));
            ForegroundProbe probe = ForegroundProbes.x11(X.display());
            AgentConfig agentConfig = AgentConfig.defaults()
                    .with(AgentConfig.DATA_DIR, agentDir.toString())
                    .with(AgentConfig.POLL_INTERVAL, "200ms")
                    .with(AgentConfig.UPLOAD_INTERVAL, "1s");
            Instant started = clock.instant();
            Agent agent = Agent.start(agentConfig, clock.withZone(AUCKLAND), probe);
            Thread.sleep(4_000);
            agent.close();
            Instant stopped = clock.instant();

            UUID person = server.services().people().directory(admin.operator(org.id())).accounts().stream()
                    .filter(account -> account.deviceId().equals(device.deviceId())).findFirst()
                    .flatMap(DeviceAccount::person).orElseThrow();
            PortalBrowser portal = new PortalBrowser(server.baseUri(), HttpClient.newBuilder()
                    .sslContext(PinnedTrust.trusting(server.certificateAuthority()))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build());
            String session = portal.signIn(OWNER, new String(PASSWORD));
            String page = portal.page("/people/person?id=" + person + "&day=" + SPRING, session);

            assertThat(page).contains("23-hour day: daylight saving time begins");
            Matcher segment = SEGMENT.matcher(page);
            assertThat(segment.find()).as("a segment on the timeline:%n%s", page).isTrue();
            assertThat(segment.group(4)).contains("xterm");
            assertThat(segment.group(2)).as("NZDT").isEqualTo("+13:00");
            Instant drawnAt = OffsetDateTime.of(SPRING, LocalTime.parse(segment.group(1)),
                    java.time.ZoneOffset.of(segment.group(2))).toInstant();
            assertThat(drawnAt).as("the span starts while the agent ran")
                    .isBetween(started.minusSeconds(1), stopped);
            // x is elapsed time since local midnight (12:00 UTC) on a 23-hour axis, 816 units from x = 132
            Instant midnight = SPRING.atStartOfDay(AUCKLAND).toInstant();
            double expected = 132 + 816.0 * Duration.between(midnight, drawnAt).toMillis()
                    / Duration.ofHours(23).toMillis();
            assertThat(Double.parseDouble(segment.group(3))).isCloseTo(expected,
                    within(0.01));
            assertThat(segment.group(1)).startsWith("03:3");
            // the clock-face labels of the hours: 01, then 03 (02:00–03:00 never happened)
            assertThat(page).contains(">01</text>").contains(">03</text>").doesNotContain(">02</text>");
            assertThat(DateTimeFormatter.ISO_LOCAL_DATE.format(drawnAt.atZone(AUCKLAND))).isEqualTo(SPRING.toString());
        }
    }
}
