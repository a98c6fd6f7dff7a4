package com.xentracker.portal.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.collector.buffer.BufferConfig;
import com.xentracker.collector.buffer.RecordedSpan;
import com.xentracker.collector.buffer.SpanBuffer;
import com.xentracker.collector.enrollment.EnrolledDevice;
import com.xentracker.collector.enrollment.Enrollment;
import com.xentracker.collector.upload.DrainResult;
import com.xentracker.collector.upload.DrainResult.Outcome;
import com.xentracker.collector.upload.Uploader;
import com.xentracker.collector.upload.UploaderConfig;
import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.testing.network.FaultProxy;
import com.xentracker.testing.network.FaultProxy.Fault;
import com.xentracker.server.ServerConfig;
import com.xentracker.server.XentrackerServer;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.usage.DayRange;
import com.xentracker.server.usage.Ranking;
import com.xentracker.server.usage.UsageFilter;
import com.xentracker.server.usage.UsageTotal;
import com.xentracker.testing.clock.MutableClock;
import com.xentracker.transport.client.ServerClient;
import com.xentracker.transport.envelope.BatchSealer;
import com.xentracker.transport.wire.AgentState;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once, in-order delivery between the real agent uploader (SQLite outbox, sealing, pinned HTTPS client) and
 * the real server (HTTPS, embedded PostgreSQL), through a TCP proxy that cuts requests, drops answers after the
 * server committed, delays, or plays dead for a simulated week. Also rotation and revocation end to end.
 *
 * <p>What arrived is read back through the server's usage queries: every span has its own application name and
 * lasts a known time, so "exactly once" is "each application once, with exactly its time" (a span stored twice would
 * count twice). The order is the agent's: its buffer says which batch carried each span and when the server
 * acknowledged it.
 */
class DeliveryEndToEndTest {

    private static final Duration SPAN = Duration.ofSeconds(10);
    /** The server's clock, which stands still: the agents' clocks (moved by the tests) start around it. */
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

    /** One enrolled agent: its buffer, its uploader (through the proxy) and its clock. */
    private record TestAgent(Organization organization, EnrolledDevice device, SpanBuffer buffer, Uploader uploader,
            MutableClock clock, FaultProxy proxy, List<X509Certificate> certificatesLearnt) implements AutoCloseable {
        @Override
        public void close() {
            buffer.close();
            proxy.close();
        }
    }

    private TestAgent agent(String name, Instant start, int spansPerBatch, int batchesPerDrain) throws Exception {
        Organization organization = server.administration().createOrganization(name, ZoneOffset.UTC);
        String token = server.services().enrollmentTokens().issue(server.administration().operator(
                organization.id()), name, Duration.ofHours(1), 1).token();
        Path agentDir = dir.resolve(name);
        EnrolledDevice device = Enrollment.enroll(agentDir, server.baseUri(), server.certificateAuthority(), token);
        FaultProxy proxy = FaultProxy.to(server.port());
        URI proxied = URI.create("https://" + server.baseUri().getHost() + ":" + proxy.port());
        MutableClock clock = MutableClock.at(start);
        SpanBuffer buffer = SpanBuffer.open(agentDir.resolve("buffer.db"),
                new BufferConfig(512L * 1024 * 1024, Duration.ofDays(90), Duration.ofDays(7)), clock);
        List<X509Certificate> learnt = new CopyOnWriteArrayList<>();
        Uploader uploader = uploader(device, buffer, proxied, clock, spansPerBatch, batchesPerDrain, learnt);
        return new TestAgent(organization, device, buffer, uploader, clock, proxy, learnt);
    }

    private static Uploader uploader(EnrolledDevice device, SpanBuffer buffer, URI server, Clock clock,
            int spansPerBatch, int batchesPerDrain, List<X509Certificate> learnt) {
        return Uploader.create(new UploaderConfig(Duration.ofSeconds(1), spansPerBatch, batchesPerDrain,
                Duration.ofMinutes(5)), buffer, device.organizationId(), device.deviceId(),
                BatchSealer.create(device.deviceKey(), device.organizationCertificate()),
                ServerClient.create(server, DeliveryEndToEndTest.server.certificateAuthority(), Duration.ofSeconds(10)),
                clock, AgentState::unknown, policy -> { }, learnt::add, Math::random);
    }

    /** {@code count} consecutive active spans named {@code prefix-NNNN}, hard to compress (big requests). */
    private static List<Span> spans(String prefix, int first, int count, Instant start) {
        List<Span> spans = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            Instant from = start.plus(SPAN.multipliedBy(i));
            spans.add(Span.of(from, from.plus(SPAN), Activity.active(String.format("%s-%04d", prefix, i),
                    "/opt/xt/" + UUID.randomUUID(), Optional.of(UUID.randomUUID() + " " + UUID.randomUUID()))));
        }
        return spans;
    }

    private static void assertArrivedExactlyOnce(Organization organization, List<Span> sent) {
        Instant from = sent.get(0).start().minus(Duration.ofHours(1));
        Instant to = sent.get(sent.size() - 1).end().plus(Duration.ofHours(1));
        ZoneId zone = organization.timeZone();
        Ranking ranking = server.services().usage().applications(
                server.administration().operator(organization.id()), UsageFilter.of(DayRange.of(
                        LocalDate.ofInstant(from, zone), LocalDate.ofInstant(to, zone))));
        // Every span has an application of its own and lasts SPAN: one lost makes the count short, one stored twice
        // makes the total long (a ranking shows the first RANKING_LIMIT names and counts the rest).
        assertThat(ranking.rows().size() + ranking.more()).as("each span's application once").isEqualTo(sent.size());
        assertThat(ranking.total()).as("every span stored once").isEqualTo(SPAN.multipliedBy(sent.size()));
        assertThat(sent.stream().map(span -> span.activity().application()).toList())
                .containsAll(ranking.rows().stream().map(UsageTotal::name).toList());
        assertThat(ranking.rows()).allSatisfy(app -> {
            assertThat(app.active()).as("%s stored once", app.name()).isEqualTo(SPAN);
            assertThat(app.devices()).isOne();
        });
    }

    /** The agent sent the spans in order: batch sequences and acknowledgement times never go back. */
    private static void assertSentInOrder(TestAgent agent, List<Span> sent) {
        List<RecordedSpan> recorded = agent.buffer().recorded(sent.get(0).start(),
                sent.get(sent.size() - 1).end()).spans();
        assertThat(recorded).extracting(RecordedSpan::span).containsExactlyElementsOf(sent);
        long previousSequence = 0;
        Instant previousAck = Instant.MIN;
        for (RecordedSpan span : recorded) {
            long sequence = span.delivery().batchSequence().orElseThrow();
            Instant acknowledged = span.delivery().acknowledgedAt().orElseThrow();
            assertThat(sequence).isGreaterThanOrEqualTo(previousSequence);
            assertThat(acknowledged).isAfterOrEqualTo(previousAck);
            previousSequence = sequence;
            previousAck = acknowledged;
        }
    }

    @Test
    @Timeout(240)
    void cutRequestsDroppedAnswersAndDelaysStillDeliverEverySpanExactlyOnceInOrder() throws Exception {
        Instant start = NOW.minus(Duration.ofDays(2));
        try (TestAgent agent = agent("faults", start.plus(Duration.ofDays(1)), 120, 1)) {
            List<Span> sent = spans("faults", 0, 960, start); // eight batches of 120
            agent.buffer().append(sent);
            List<Fault> script = List.of(Fault.CUT_REQUEST, Fault.DROP_RESPONSE, Fault.DELAY, Fault.NONE,
                    Fault.DROP_RESPONSE, Fault.CUT_REQUEST, Fault.DELAY, Fault.DROP_RESPONSE);
            int committedButNotAcknowledged = 0;
            for (int round = 0; round < 60 && agent.buffer().backlog().unsentSpans() > 0; round++) {
                Fault fault = script.get(round % script.size());
                agent.proxy().arm(fault);
                DrainResult result = agent.uploader().drainOnce();
                if (fault == Fault.DROP_RESPONSE && result.outcome() == Outcome.SERVER_UNREACHABLE) {
                    // the server stored the batch, the agent still holds it: the retry must not store it again
                    String pending = agent.buffer().oldestUnsent(1).get(0).activity().application();
                    Instant at = agent.buffer().oldestUnsent(1).get(0).start();
                    if (server.services().usage().applications(
                            server.administration().operator(agent.organization().id()), UsageFilter.of(
                                    DayRange.day(LocalDate.ofInstant(at, agent.organization().timeZone()))))
                            .rows().stream().anyMatch(app -> app.name().equals(pending))) {
                        committedButNotAcknowledged++;
                    }
                }
                agent.clock().advance(Duration.ofSeconds(1));
            }

            assertThat(agent.buffer().backlog().unsentSpans()).isZero();
            assertThat(agent.buffer().backlog().pendingBatches()).isZero();
            assertThat(agent.proxy().fired()).as("faults that fired").isGreaterThanOrEqualTo(5);
            assertThat(committedButNotAcknowledged).as("answers lost after the server's commit").isPositive();
            assertArrivedExactlyOnce(agent.organization(), sent);
            assertSentInOrder(agent, sent);
        }
    }

    @Test
    @Timeout(240)
    void aWeekWithoutTheServerThenEverySpanIsReplayedInOrder() throws Exception {
        Instant start = NOW.minus(Duration.ofDays(8));
        try (TestAgent agent = agent("week", start, 200, 50)) {
            agent.proxy().down(true);
            List<Span> sent = new ArrayList<>();
            Instant nextAttempt = start;
            for (int hour = 0; hour < 7 * 24; hour++) {
                List<Span> recorded = spans("week", hour * 6, 6, start); // six spans an hour, hour after hour
                agent.buffer().append(recorded);
                sent.addAll(recorded);
                agent.clock().advance(Duration.ofHours(1));
                if (!agent.clock().instant().isBefore(nextAttempt)) {
                    DrainResult failed = agent.uploader().drainOnce();
                    assertThat(failed.outcome()).isEqualTo(Outcome.SERVER_UNREACHABLE);
                    assertThat(failed.nextAttemptIn()).isLessThanOrEqualTo(Duration.ofMinutes(5));
                    nextAttempt = agent.clock().instant().plus(failed.nextAttemptIn());
                }
            }
            assertThat(agent.buffer().backlog().unsentSpans()).as("nothing given up").isEqualTo(sent.size());

            agent.proxy().down(false);
            DrainResult replay = agent.uploader().drainOnce();

            assertThat(replay.outcome()).isEqualTo(Outcome.DRAINED);
            assertThat(replay.acknowledgedSpans()).isEqualTo(sent.size());
            assertArrivedExactlyOnce(agent.organization(), sent);
            assertSentInOrder(agent, sent);
        }
    }

    @Test
    @Timeout(120)
    void aDeviceRotatesItsKeyWithABatchAlreadySealedAndAfterAnInterruptedAttempt() throws Exception {
        Instant start = NOW.minus(Duration.ofDays(1));
        try (TestAgent agent = agent("device-key", start, 40, 10)) {
            List<Span> sent = spans("device-key", 0, 40, start);
            agent.buffer().append(sent);
            agent.proxy().down(true);
            assertThat(agent.uploader().drainOnce().outcome()).isEqualTo(Outcome.SERVER_UNREACHABLE); // sealed, kept
            Path agentDir = dir.resolve("device-key");
            // the rotation is interrupted: the server cannot be reached (the key waits beside the old one)
            URI proxied = URI.create("https://" + server.baseUri().getHost() + ":" + agent.proxy().port());
            ServerClient viaProxy = ServerClient.create(proxied, server.certificateAuthority(), Duration.ofSeconds(10));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> agent.device().rotateKey(agentDir, viaProxy))
                    .isInstanceOf(com.xentracker.transport.ServerUnreachableException.class);
            assertThat(EnrolledDevice.keyRotationUnfinished(agentDir)).isTrue();
            assertThat(EnrolledDevice.load(agentDir).orElseThrow().deviceKey()).as("still the old key on disk")
                    .isEqualTo(agent.device().deviceKey());
            agent.proxy().down(false);

            // finishing it, as `rotate-key` (and Agent.start) does: under the data-directory lock, forget what the old
            // key sealed, repeat the call with the same new key, take the new key
            EnrolledDevice rotated = com.xentracker.collector.Agent.rotateDeviceKey(
                    com.xentracker.collector.AgentConfig.defaults().with(com.xentracker.collector.AgentConfig.DATA_DIR,
                            agentDir.toString()), agent.clock());

            assertThat(EnrolledDevice.keyRotationUnfinished(agentDir)).isFalse();
            assertThat(EnrolledDevice.load(agentDir).orElseThrow().deviceKey()).isEqualTo(rotated.deviceKey())
                    .isNotEqualTo(agent.device().deviceKey());
            Uploader withNewKey = uploader(rotated, agent.buffer(), server.baseUri(), agent.clock(), 40, 10,
                    new ArrayList<>());
            assertThat(withNewKey.drainOnce().outcome()).isEqualTo(Outcome.DRAINED);
            assertArrivedExactlyOnce(agent.organization(), sent);
        }
    }

    @Test
    @Timeout(120)
    void aRotatedOrganizationKeyIsAdoptedAndARevokedDeviceStopsWithItsBufferKept() throws Exception {
        Instant start = NOW.minus(Duration.ofDays(1));
        try (TestAgent agent = agent("rotation", start, 50, 10)) {
            List<Span> before = spans("rotation", 0, 50, start);
            agent.buffer().append(before);
            server.services().organizations().rotateKey(server.administration().operator(agent.organization().id()));
            // sealed to the old key (the agent does not know yet), opened with the retired key
            assertThat(agent.uploader().drainOnce().outcome()).isEqualTo(Outcome.DRAINED);
            assertThat(agent.certificatesLearnt()).hasSize(1);
            assertThat(agent.certificatesLearnt().get(0)).isNotEqualTo(agent.device().organizationCertificate());

            List<Span> after = spans("rotation", 50, 50, start);
            agent.buffer().append(after);
            assertThat(agent.uploader().drainOnce().outcome()).isEqualTo(Outcome.DRAINED);
            List<Span> all = new ArrayList<>(before);
            all.addAll(after);
            assertArrivedExactlyOnce(agent.organization(), all);

            server.services().devices().revoke(server.administration().operator(agent.organization().id()),
                    agent.device().deviceId());
            List<Span> afterRevocation = spans("rotation", 100, 10, start);
            agent.buffer().append(afterRevocation);
            DrainResult stopped = agent.uploader().drainOnce();

            assertThat(stopped.outcome()).isEqualTo(Outcome.STOPPED);
            assertThat(agent.uploader().stoppedBy()).contains(com.xentracker.transport.wire.ErrorCode.DEVICE_REVOKED);
            assertThat(agent.buffer().backlog().unsentSpans()).as("the buffer is kept").isEqualTo(10);
            assertThat(agent.buffer().agentStatus().lastError().orElseThrow().message()).contains("revoked");
            assertArrivedExactlyOnce(agent.organization(), all);
        }
    }
}
