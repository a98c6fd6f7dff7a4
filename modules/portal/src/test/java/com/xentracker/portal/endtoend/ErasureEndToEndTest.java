package com.xentracker.portal.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.collector.buffer.BufferConfig;
import com.xentracker.collector.buffer.RecordedSpan;
import com.xentracker.collector.buffer.SpanBuffer;
import com.xentracker.collector.enrollment.EnrolledDevice;
import com.xentracker.collector.enrollment.Enrollment;
import com.xentracker.collector.upload.DrainResult.Outcome;
import com.xentracker.collector.upload.Uploader;
import com.xentracker.collector.upload.UploaderConfig;
import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.server.ServerConfig;
import com.xentracker.server.XentrackerServer;
import com.xentracker.server.access.Actor;
import com.xentracker.server.audit.AuditEntry;
import com.xentracker.server.audit.AuditQuery;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.people.Person;
import com.xentracker.server.usage.DayRange;
import com.xentracker.server.usage.UsageFilter;
import com.xentracker.server.usage.UsageTotal;
import com.xentracker.testing.clock.MutableClock;
import com.xentracker.transport.client.ServerClient;
import com.xentracker.transport.envelope.BatchSealer;
import com.xentracker.transport.wire.AgentState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Erasure (GDPR Art. 17) reaching a real agent: an owner deletes a person; the agent's buffer still holds the
 * history of the batches it sent about them; the next upload's receipt asks the agent to drop it, the agent does and
 * confirms in its next batch, and the server records the confirmation in the audit trail.
 */
class ErasureEndToEndTest {

    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    @TempDir
    static Path dir;

    private static XentrackerServer server;

    @BeforeAll
    static void startServer() {
        server = XentrackerServer.start(ServerConfig.forDataDirectory(dir.resolve("server")).withHttpsPort(0),
                MutableClock.at(NOW));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static Span span(String application, Instant start) {
        return Span.of(start, start.plus(Duration.ofMinutes(1)), Activity.active(application, "/usr/bin/" + application,
                Optional.empty()));
    }

    @Test
    void deletingAPersonEmptiesTheAgentsSentHistoryOfThemAtItsNextContactAndTheAgentConfirms() {
        Organization organization = server.administration().createOrganization("Erasure", ZoneOffset.UTC);
        Actor operator = server.administration().operator(organization.id());
        String token = server.services().enrollmentTokens().issue(operator, "erasure", Duration.ofHours(1), 1)
                .token();
        Path agentDir = dir.resolve("agent");
        EnrolledDevice device = Enrollment.enroll(agentDir, server.baseUri(), server.certificateAuthority(), token);
        MutableClock clock = MutableClock.at(NOW.minus(Duration.ofHours(2)));
        Instant start = NOW.minus(Duration.ofHours(3));
        try (SpanBuffer buffer = SpanBuffer.open(agentDir.resolve("buffer.db"),
                new BufferConfig(64L * 1024 * 1024, Duration.ofDays(90), Duration.ofDays(7)), clock)) {
            Uploader uploader = Uploader.create(new UploaderConfig(Duration.ofSeconds(1), 100, 10,
                            Duration.ofMinutes(5)), buffer, device.organizationId(), device.deviceId(),
                    BatchSealer.create(device.deviceKey(), device.organizationCertificate()),
                    ServerClient.create(server.baseUri(), server.certificateAuthority(), Duration.ofSeconds(10)),
                    clock, AgentState::unknown, policy -> { }, certificate -> { }, Math::random);
            buffer.append(List.of(span("private-notes", start), span("private-mail", start.plusSeconds(60)),
                    span("private-chat", start.plusSeconds(120))));
            assertThat(uploader.drainOnce().outcome()).isEqualTo(Outcome.DRAINED);
            assertThat(applications(buffer)).containsExactly("private-notes", "private-mail", "private-chat");

            Person person = server.services().people().directory(operator).people().get(0);
            server.services().people().delete(operator, person.id());

            // the next contact: its receipt names the erasure, the agent drops the sent history
            buffer.append(List.of(span("after-erasure", start.plusSeconds(600))));
            assertThat(uploader.drainOnce().outcome()).isEqualTo(Outcome.DRAINED);
            assertThat(applications(buffer)).containsExactly("after-erasure");
            assertThat(confirmations(operator)).isEmpty();

            // the batch after that confirms it, and the server records it
            buffer.append(List.of(span("later", start.plusSeconds(900))));
            assertThat(uploader.drainOnce().outcome()).isEqualTo(Outcome.DRAINED);
            assertThat(confirmations(operator)).singleElement().satisfies(entry -> {
                assertThat(entry.subject().device()).contains(device.deviceId());
                assertThat(entry.subject().text()).contains("sent history through batch 1 dropped");
            });
            assertThat(applications(buffer)).containsExactly("after-erasure", "later");

            // nothing of the erased person is left on the server either, and a later contact asks nothing more
            buffer.append(List.of(span("even-later", start.plusSeconds(1200))));
            assertThat(uploader.drainOnce().outcome()).isEqualTo(Outcome.DRAINED);
            assertThat(confirmations(operator)).hasSize(1);
            java.time.ZoneId zone = java.time.ZoneOffset.UTC;
            assertThat(server.services().usage().applications(operator, UsageFilter.of(DayRange.of(
                    start.minus(Duration.ofDays(2)).atZone(zone).toLocalDate(),
                    NOW.plus(Duration.ofDays(2)).atZone(zone).toLocalDate()))).rows())
                    .extracting(UsageTotal::name)
                    .doesNotContain("private-notes", "private-mail", "private-chat");
        }
    }

    private static List<String> applications(SpanBuffer buffer) {
        return buffer.recorded(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1))).spans().stream()
                .map(RecordedSpan::span).map(span -> span.activity().application()).toList();
    }

    private static List<AuditEntry> confirmations(Actor operator) {
        return server.services().audit().search(operator, AuditQuery.newest(AuditQuery.MAX_LIMIT)
                .withAction("confirm-erasure")).entries();
    }
}
