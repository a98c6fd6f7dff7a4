package com.xentracker.collector.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.collector.buffer.AgentStatus;
import com.xentracker.collector.buffer.BufferConfig;
import com.xentracker.collector.buffer.Delivery;
import com.xentracker.collector.buffer.RecordedSpan;
import com.xentracker.collector.buffer.SpanBuffer;
import com.xentracker.collector.upload.DrainResult.Outcome;
import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Gap;
import com.xentracker.core.activity.Span;
import com.xentracker.core.activity.WebPage;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.testing.clock.MutableClock;
import com.xentracker.transport.client.ServerClient;
import com.xentracker.transport.wire.AgentState;
import com.xentracker.transport.wire.CaptureState;
import com.xentracker.transport.wire.SpanBatch;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Successful and refused uploads with the real buffer, sealer and HTTPS client against a real HTTPS server that opens
 * the sealed batches ({@link ReceivingServerExtension}).
 */
class UploaderDeliveryTest {

    private static final Instant T0 = Instant.parse("2025-03-10T09:00:00Z");
    private static final AgentState STATE = AgentState.of("9.9.9-test", CaptureState.PERMISSION_MISSING,
            "window titles are not observed: grant Accessibility", 4);

    @RegisterExtension
    final ReceivingServerExtension server = new ReceivingServerExtension();

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at(T0.plus(Duration.ofDays(1)));
    private final UUID deviceId = UUID.randomUUID();
    private final List<CollectionPolicy> policiesLearnt = new ArrayList<>();
    private final AtomicReference<AgentState> state = new AtomicReference<>(STATE);
    private final List<java.security.cert.X509Certificate> certificatesLearnt = new ArrayList<>();
    private SpanBuffer buffer;
    private Uploader uploader;

    @BeforeEach
    void uploader() {
        buffer = SpanBuffer.open(dir.resolve("buffer.db"),
                new BufferConfig(128 * 1024, Duration.ofDays(90), Duration.ofDays(7)), clock);
        uploader = Uploader.create(new UploaderConfig(Duration.ofSeconds(10), 250, 100, Duration.ofMinutes(5)), buffer,
                server.organizationId(), deviceId, server.sealer(), ServerClient.create(server.baseUri(),
                        server.ca().certificate(), Duration.ofSeconds(10)), clock, state::get, policiesLearnt::add,
                certificatesLearnt::add, () -> 0.5);
    }

    @AfterEach
    void closeBuffer() {
        buffer.close();
    }

    @Test
    void withNothingToSendTheAgentsStateIsReportedAtOnceWhenItChangesAndEveryFifteenMinutes() {
        assertThat(uploader.drainOnce().outcome()).isEqualTo(Outcome.DRAINED);
        assertThat(server.received()).as("the first drain reports the state").hasSize(1);
        assertThat(server.received().get(0).spans()).isEmpty();
        assertThat(server.received().get(0).gaps()).isEmpty();
        assertThat(server.received().get(0).agentState()).isEqualTo(STATE.withBacklog(AgentState.Backlog.none()));

        uploader.drainOnce();
        clock.advance(Uploader.HEARTBEAT_INTERVAL.minusSeconds(1));
        uploader.drainOnce();
        assertThat(server.received()).as("nothing new to say").hasSize(1);

        AgentState wayland = AgentState.of("9.9.9-test", CaptureState.WAYLAND_UNSUPPORTED, "Wayland session", 4);
        state.set(wayland);
        uploader.drainOnce();
        assertThat(server.received()).as("a change goes out at once").hasSize(2);
        assertThat(server.received().get(1).agentState())
                .isEqualTo(wayland.withBacklog(AgentState.Backlog.none()));

        clock.advance(Uploader.HEARTBEAT_INTERVAL);
        uploader.drainOnce();
        assertThat(server.received()).as("and again after 15 minutes").hasSize(3);
        assertThat(server.received()).extracting(SpanBatch::sequence).containsExactly(1L, 2L, 3L);
        assertThat(policiesLearnt).as("each report brings the policy").hasSize(3);
    }

    @Test
    void aBatchWithSpansAlsoReportsTheStateSoNoSeparateReportFollows() {
        buffer.append(consecutiveSpans(3));

        uploader.drainOnce();
        uploader.drainOnce();

        assertThat(server.received()).hasSize(1);
        assertThat(server.received().get(0).spans()).hasSize(3);
    }

    @Test
    void theGapOfAFullBufferReachesTheServerAheadOfTheSpansThatFollowIt() {
        List<Span> spans = consecutiveSpans(6_000);
        for (int i = 0; i < spans.size(); i += 100) {
            buffer.append(spans.subList(i, i + 100));
        }
        List<Gap> gaps = buffer.unsentGaps();
        List<Span> kept = buffer.oldestUnsent(10_000);
        assertThat(gaps).hasSize(1);

        DrainResult drained = uploader.drainOnce();

        assertThat(drained.outcome()).isEqualTo(Outcome.DRAINED);
        List<SpanBatch> received = server.received();
        assertThat(received.get(0).gaps()).as("the loss comes first").isEqualTo(gaps);
        assertThat(received.subList(1, received.size())).allSatisfy(batch -> assertThat(batch.gaps()).isEmpty());
        assertThat(received.stream().flatMap(batch -> batch.spans().stream()).toList())
                .as("every kept span, once, in order").containsExactlyElementsOf(kept);
        assertThat(received).extracting(SpanBatch::sequence).containsExactly(
                received.stream().map(SpanBatch::sequence).sorted().toArray(Long[]::new));
        assertThat(received).allSatisfy(batch -> {
            assertThat(batch.deviceId()).isEqualTo(deviceId);
            assertThat(withoutBacklog(batch.agentState())).isEqualTo(STATE);
        });
        assertThat(buffer.backlog().unsentSpans()).isZero();
        assertThat(buffer.unsentGaps()).isEmpty();
    }

    @Test
    void theWebPageOfABrowserSpanTravelsWithIt() {
        Activity chromium = Activity.active("chromium", "/usr/lib/chromium/chromium", Optional.empty());
        List<Span> spans = List.of(
                Span.of(T0, T0.plusSeconds(5), chromium.withPage(WebPage.ofDomain("docs.example.com"))),
                Span.of(T0.plusSeconds(5), T0.plusSeconds(9),
                        chromium.withPage(WebPage.of("mail.example.com", "https://mail.example.com/inbox"))),
                Span.of(T0.plusSeconds(9), T0.plusSeconds(12), chromium));
        buffer.append(spans);

        assertThat(uploader.drainOnce().outcome()).isEqualTo(Outcome.DRAINED);

        assertThat(server.received()).flatExtracting(SpanBatch::spans).containsExactlyElementsOf(spans);
    }

    @Test
    void acknowledgedSpansAreMarkedSentWithTheTimeAndBatchAndThePolicyIsLearnt() {
        CollectionPolicy policy = new CollectionPolicy(5, true, List.of(), Set.of("keepass"), Optional.empty(), true,
                Duration.ofMinutes(5), false, false);
        server.policy(policy);
        List<Span> spans = consecutiveSpans(3);
        buffer.append(spans);

        assertThat(uploader.drainOnce()).isEqualTo(new DrainResult(Outcome.DRAINED, 1, 3, Duration.ofSeconds(10)));

        assertThat(buffer.recorded(T0, T0.plusSeconds(60)).spans()).extracting(RecordedSpan::delivery)
                .containsOnly(new Delivery(java.util.OptionalLong.of(1), Optional.of(clock.instant())));
        assertThat(policiesLearnt).containsExactly(policy);
        AgentStatus status = buffer.agentStatus();
        assertThat(status.policy()).contains(new AgentStatus.PolicySeen(5, clock.instant()));
        assertThat(status.lastUploadAt()).contains(clock.instant());
        assertThat(status.lastError()).isEmpty();
    }

    @Test
    void aRefusedUploadIsNotedAsTheLastErrorAndTheSameBatchGoesOutLater() {
        buffer.append(consecutiveSpans(3));
        server.failWith(503);

        DrainResult refused = uploader.drainOnce();

        assertThat(refused.outcome()).isEqualTo(Outcome.SERVER_REJECTED);
        AgentStatus.UploadError error = buffer.agentStatus().lastError().orElseThrow();
        assertThat(error.at()).isEqualTo(clock.instant());
        assertThat(error.kind()).isEqualTo("SERVER_REJECTED");
        assertThat(error.message()).contains("HTTP 503");
        assertThat(buffer.backlog().unsentSpans()).isEqualTo(3);

        server.failWith(0);
        clock.advance(Duration.ofSeconds(10));
        assertThat(uploader.drainOnce().outcome()).isEqualTo(Outcome.DRAINED);
        assertThat(server.received()).extracting(SpanBatch::sequence).containsExactly(1L);
        assertThat(buffer.agentStatus().lastUploadAt()).contains(clock.instant());
    }

    @Test
    void eachBatchReportsWhatStillWaitsBehindItAndTheLastOneNothing() {
        List<Span> spans = consecutiveSpans(600);
        buffer.append(spans);

        uploader.drainOnce();

        List<SpanBatch> received = server.received();
        assertThat(received).hasSizeGreaterThan(1);
        int sent = 0;
        for (SpanBatch batch : received) {
            sent += batch.spans().size();
            AgentState.Backlog expected = sent == spans.size() ? AgentState.Backlog.none()
                    : AgentState.Backlog.of(spans.size() - sent, Optional.of(spans.get(sent).start()));
            assertThat(batch.agentState().backlog()).as("batch %d", batch.sequence()).contains(expected);
        }
        assertThat(received.get(received.size() - 1).agentState().backlog()).contains(AgentState.Backlog.none());
    }

    @Test
    void aBacklogThatShrinksDoesNotMakeAStateReportDue() {
        buffer.append(consecutiveSpans(3));
        uploader.drainOnce();
        int before = server.received().size();

        clock.advance(Duration.ofMinutes(1));
        uploader.drainOnce();

        assertThat(server.received()).as("the state is the same; only the backlog was new").hasSize(before);
    }

    private static AgentState withoutBacklog(AgentState state) {
        return AgentState.of(state.agentVersion(), state.capture(), state.captureDetail(), state.policyVersion());
    }

    private static List<Span> consecutiveSpans(int n) {
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Activity activity = Activity.active(i % 2 == 0 ? "xterm" : "firefox-esr", "/usr/bin/app", Optional.empty());
            spans.add(Span.of(T0.plusSeconds(3L * i), T0.plusSeconds(3L * i + 3), activity));
        }
        return spans;
    }
}
