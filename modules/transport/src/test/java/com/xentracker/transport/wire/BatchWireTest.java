package com.xentracker.transport.wire;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.Gap;
import com.xentracker.core.activity.GapReason;
import com.xentracker.core.activity.Span;
import com.xentracker.core.activity.WebPage;
import com.xentracker.transport.MalformedMessageException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Gaps and the agent's state in a span batch, and how batches from older and newer agents read. */
class BatchWireTest {

    private static final Instant T0 = Instant.parse("2026-11-29T09:00:00Z");
    private static final UUID DEVICE = UUID.fromString("0b6f4c3e-52a1-4c4e-9d51-6a3c1f0e2d7b");
    private static final Span EXCLUDED = Span.of(T0, T0.plusSeconds(60), Activity.of(ActivityState.EXCLUDED));
    private static final Span PAUSED = Span.of(T0.plusSeconds(60), T0.plusSeconds(90), Activity.of(ActivityState.PAUSED));
    private static final Gap FULL = Gap.of(T0.minusSeconds(3600), T0.minusSeconds(1800), GapReason.BUFFER_FULL);
    private static final Gap EXPIRED = Gap.of(T0.minusSeconds(7200), T0.minusSeconds(3600), GapReason.BUFFER_EXPIRED);
    private static final AgentState WAYLAND = AgentState.of("0.2.0", CaptureState.WAYLAND_UNSUPPORTED,
            "Wayland session: foreground tracking unavailable", 3);

    private final WireCodec codec = WireCodec.create();

    private static String batchJson(String extraFields) {
        return "{\"deviceId\":\"" + DEVICE + "\",\"sequence\":5,\"spans\":[]" + extraFields + "}";
    }

    private SpanBatch decode(String json) {
        return codec.decode(json.getBytes(UTF_8), SpanBatch.class);
    }

    @Test
    void gapsAgentStateAndTheNewStatesRoundTrip() {
        SpanBatch batch = new SpanBatch(DEVICE, 5, List.of(EXCLUDED, PAUSED), List.of(EXPIRED, FULL), WAYLAND);

        SpanBatch decoded = codec.decode(codec.encode(batch), SpanBatch.class);

        assertThat(decoded).isEqualTo(batch);
    }

    @Test
    void webPagesRoundTripWithAndWithoutTheirUrl() {
        Activity browser = Activity.active("chromium", "/usr/lib/chromium/chromium", Optional.empty());
        Span domainOnly = Span.of(T0, T0.plusSeconds(5), browser.withPage(WebPage.ofDomain("docs.example.com")));
        Span withUrl = Span.of(T0.plusSeconds(5), T0.plusSeconds(9),
                browser.withPage(WebPage.of("example.com", "https://example.com/a?b=c")));
        SpanBatch batch = new SpanBatch(DEVICE, 5, List.of(domainOnly, withUrl));

        String json = new String(codec.encode(batch), UTF_8);
        SpanBatch decoded = codec.decode(codec.encode(batch), SpanBatch.class);

        assertThat(decoded).isEqualTo(batch);
        assertThat(json).contains("\"domain\":\"docs.example.com\"").contains("\"url\":\"https://example.com/a?b=c\"")
                .containsOnlyOnce("\"url\"");
    }

    @Test
    void aUrlWithoutItsDomainIsMalformed() {
        String span = "{\"start\":\"2026-11-29T09:00:00Z\",\"end\":\"2026-11-29T09:00:01Z\",\"activity\":{"
                + "\"state\":\"ACTIVE\",\"application\":\"chromium\",\"executable\":\"\",\"url\":\"https://x.test/\"}}";
        String json = "{\"deviceId\":\"" + DEVICE + "\",\"sequence\":5,\"spans\":[" + span + "]}";

        assertThatThrownBy(() -> decode(json)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void everyCaptureStateRoundTrips() {
        for (CaptureState state : CaptureState.values()) {
            AgentState agent = AgentState.of("1.0", state, "detail", 7);
            SpanBatch batch = new SpanBatch(DEVICE, 1, List.of(), List.of(), agent);

            assertThat(codec.decode(codec.encode(batch), SpanBatch.class).agentState()).isEqualTo(agent);
        }
    }

    @Test
    void gapsAndAgentStateHaveAPlainJsonShape() {
        String json = new String(codec.encode(new SpanBatch(DEVICE, 5, List.of(), List.of(FULL), WAYLAND)), UTF_8);

        assertThat(json).isEqualTo(batchJson(",\"gaps\":[{\"from\":\"2026-11-29T08:00:00Z\","
                + "\"to\":\"2026-11-29T08:30:00Z\",\"reason\":\"BUFFER_FULL\"}],\"agentState\":{"
                + "\"agentVersion\":\"0.2.0\",\"capture\":\"WAYLAND_UNSUPPORTED\","
                + "\"captureDetail\":\"Wayland session: foreground tracking unavailable\",\"policyVersion\":3}"));
    }

    @Test
    void theThreeArgumentConstructorMeansNoGapsAndAnUnknownAgent() {
        SpanBatch batch = new SpanBatch(DEVICE, 1, List.of(EXCLUDED));

        assertThat(batch.gaps()).isEmpty();
        assertThat(batch.agentState()).isEqualTo(AgentState.unknown());
        assertThat(batch.agentState().capture()).isEqualTo(CaptureState.UNKNOWN);
    }

    @Test
    void aBatchFromAnAgentThatPredatesGapsAndAgentStateIsStillRead() {
        SpanBatch batch = decode(batchJson(""));

        assertThat(batch).isEqualTo(new SpanBatch(DEVICE, 5, List.of()));
    }

    @Test
    void explicitNullsForTheNewFieldsAreRejected() {
        assertThatThrownBy(() -> decode(batchJson(",\"gaps\":null")))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("gaps");
        assertThatThrownBy(() -> decode(batchJson(",\"agentState\":null")))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("agentState");
    }

    @Test
    void aCaptureStateFromANewerAgentReadsAsUnknownAndKeepsTheRest() {
        SpanBatch batch = decode(batchJson(",\"agentState\":{\"agentVersion\":\"9.0\",\"capture\":\"QUANTUM_DISPLAY\","
                + "\"captureDetail\":\"new\",\"policyVersion\":12}"));

        assertThat(batch.agentState()).isEqualTo(AgentState.of("9.0", CaptureState.UNKNOWN, "new", 12));
    }

    @Test
    void anActivityStateFromANewerAgentReadsAsUnknownWithoutTheApplication() {
        SpanBatch batch = decode("{\"deviceId\":\"" + DEVICE + "\",\"sequence\":5,\"spans\":[{"
                + "\"start\":\"2026-11-29T09:00:00Z\",\"end\":\"2026-11-29T09:01:00Z\",\"activity\":{"
                + "\"state\":\"MEETING\",\"application\":\"zoom\",\"executable\":\"/opt/zoom/zoom\",\"title\":\"1:1\"}}]}");

        assertThat(batch.spans()).containsExactly(Span.of(T0, T0.plusSeconds(60), Activity.of(ActivityState.UNKNOWN)));
    }

    @Test
    void aGapWithAReasonFromANewerAgentBecomesAnUnknownSpanSoTheLossStaysVisible() {
        SpanBatch batch = decode(batchJson(",\"gaps\":[{\"from\":\"2026-11-29T08:00:00Z\","
                + "\"to\":\"2026-11-29T08:30:00Z\",\"reason\":\"DISK_FAILED\"},{\"from\":\"2026-11-29T07:00:00Z\","
                + "\"to\":\"2026-11-29T07:30:00Z\",\"reason\":\"BUFFER_EXPIRED\"}]"));

        assertThat(batch.gaps()).containsExactly(
                Gap.of(T0.minusSeconds(7200), T0.minusSeconds(5400), GapReason.BUFFER_EXPIRED));
        assertThat(batch.spans()).containsExactly(
                Span.of(T0.minusSeconds(3600), T0.minusSeconds(1800), Activity.of(ActivityState.UNKNOWN)));
    }

    @Test
    void enumValuesThatCannotBeNamesAreRejectedWithoutQuotingThem() {
        String gap = batchJson(",\"gaps\":[{\"from\":\"2026-11-29T08:00:00Z\",\"to\":\"2026-11-29T08:30:00Z\","
                + "\"reason\":\"Salary talk with Bob\"}]");
        String capture = batchJson(",\"agentState\":{\"agentVersion\":\"1\",\"capture\":\"recording\","
                + "\"captureDetail\":\"\",\"policyVersion\":0}");

        assertThatThrownBy(() -> decode(gap)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("reason").hasMessageNotContaining("Salary");
        assertThatThrownBy(() -> decode(capture)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("capture").hasMessageNotContaining("recording");
    }

    @Test
    void aGapEndingBeforeItStartsIsRejected() {
        String json = batchJson(",\"gaps\":[{\"from\":\"2026-11-29T08:30:00Z\",\"to\":\"2026-11-29T08:00:00Z\","
                + "\"reason\":\"BUFFER_FULL\"}]");

        assertThatThrownBy(() -> decode(json)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("gap ends before it starts");
    }

    @Test
    void incompleteGapsAndAgentStatesAreRejectedNamingTheField() {
        String noReason = batchJson(",\"gaps\":[{\"from\":\"2026-11-29T08:00:00Z\",\"to\":\"2026-11-29T08:30:00Z\"}]");
        String noPolicyVersion = batchJson(",\"agentState\":{\"agentVersion\":\"1\",\"capture\":\"RECORDING\","
                + "\"captureDetail\":\"\"}");
        String negativePolicyVersion = batchJson(",\"agentState\":{\"agentVersion\":\"1\",\"capture\":\"RECORDING\","
                + "\"captureDetail\":\"\",\"policyVersion\":-1}");
        String nullGap = batchJson(",\"gaps\":[null]");

        assertThatThrownBy(() -> decode(noReason)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("reason");
        assertThatThrownBy(() -> decode(noPolicyVersion)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("policyVersion");
        assertThatThrownBy(() -> decode(negativePolicyVersion)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("policyVersion");
        assertThatThrownBy(() -> decode(nullGap)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("gaps");
    }

    @Test
    void anAgentStateDecodesOnItsOwn() {
        assertThat(codec.decode(codec.encode(WAYLAND), AgentState.class)).isEqualTo(WAYLAND);
    }

    @Test
    void aTitleOnAnExcludedSpanIsStillTransportedSoTheServerCanRejectIt() {
        // the wire does not judge content: the server refuses such a batch as a whole (privacy)
        Span leaky = Span.of(T0, T0.plusSeconds(1),
                new Activity(ActivityState.EXCLUDED, "keepassxc", "/usr/bin/keepassxc", Optional.of("vault")));
        SpanBatch batch = new SpanBatch(DEVICE, 1, List.of(leaky));

        assertThat(codec.decode(codec.encode(batch), SpanBatch.class)).isEqualTo(batch);
    }

    @Test
    void aBadInstantIsRejectedWithoutQuotingIt() {
        String span = "{\"deviceId\":\"" + DEVICE + "\",\"sequence\":5,\"spans\":[{\"start\":\"Salary talk\","
                + "\"end\":\"2026-11-29T09:01:00Z\",\"activity\":{\"state\":\"IDLE\",\"application\":\"\","
                + "\"executable\":\"\"}}]}";
        String gap = batchJson(",\"gaps\":[{\"from\":\"Salary talk\",\"to\":\"2026-11-29T08:30:00Z\","
                + "\"reason\":\"BUFFER_FULL\"}]");

        for (String json : List.of(span, gap)) {
            assertThatThrownBy(() -> decode(json)).isInstanceOf(MalformedMessageException.class)
                    .hasMessageNotContaining("Salary");
        }
    }

    @Test
    void theBacklogRoundTripsAsTwoPlainFields() {
        AgentState behind = WAYLAND.withBacklog(AgentState.Backlog.of(2400, Optional.of(T0.minusSeconds(86_400))));
        SpanBatch batch = new SpanBatch(DEVICE, 5, List.of(), List.of(), behind);

        String json = new String(codec.encode(batch), UTF_8);

        assertThat(json).contains("\"policyVersion\":3,\"unsentSpans\":2400,"
                + "\"oldestUnsentAt\":\"2026-11-28T09:00:00Z\"}");
        assertThat(codec.decode(codec.encode(batch), SpanBatch.class).agentState()).isEqualTo(behind);
        assertThat(codec.decode(codec.encode(behind), AgentState.class)).isEqualTo(behind);
    }

    @Test
    void nothingWaitingIsWrittenAsZeroWithoutAnOldestSpan() {
        AgentState caughtUp = WAYLAND.withBacklog(AgentState.Backlog.none());

        String json = new String(codec.encode(caughtUp), UTF_8);

        assertThat(json).contains("\"unsentSpans\":0").doesNotContain("oldestUnsentAt");
        assertThat(codec.decode(json.getBytes(UTF_8), AgentState.class)).isEqualTo(caughtUp);
    }

    @Test
    void aStateFromAnAgentThatPredatesTheBacklogReadsAsNotReported() {
        String old = "{\"agentVersion\":\"0.2.0\",\"capture\":\"RECORDING\",\"captureDetail\":\"\","
                + "\"policyVersion\":3}";

        AgentState state = codec.decode(old.getBytes(UTF_8), AgentState.class);
        SpanBatch batch = decode(batchJson(",\"agentState\":" + old));

        assertThat(state.backlog()).isEmpty();
        assertThat(batch.agentState()).isEqualTo(AgentState.of("0.2.0", CaptureState.RECORDING, "", 3));
    }

    @Test
    void aBacklogThatMakesNoSenseIsDroppedWithoutFailingTheBatch() {
        String negative = batchJson(",\"agentState\":{\"agentVersion\":\"1\",\"capture\":\"RECORDING\","
                + "\"captureDetail\":\"\",\"policyVersion\":1,\"unsentSpans\":-5}");
        String oldestOnly = batchJson(",\"agentState\":{\"agentVersion\":\"1\",\"capture\":\"RECORDING\","
                + "\"captureDetail\":\"\",\"policyVersion\":1,\"oldestUnsentAt\":\"2026-11-29T08:00:00Z\"}");
        String zeroWithOldest = batchJson(",\"agentState\":{\"agentVersion\":\"1\",\"capture\":\"RECORDING\","
                + "\"captureDetail\":\"\",\"policyVersion\":1,\"unsentSpans\":0,"
                + "\"oldestUnsentAt\":\"2026-11-29T08:00:00Z\"}");

        assertThat(decode(negative).agentState().backlog()).isEmpty();
        assertThat(decode(oldestOnly).agentState().backlog()).isEmpty();
        assertThat(decode(zeroWithOldest).agentState().backlog()).contains(AgentState.Backlog.none());
    }

    @Test
    void aBacklogCannotBeMadeUpInconsistently() {
        assertThatThrownBy(() -> AgentState.Backlog.of(-1, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AgentState.Backlog.of(0, Optional.of(T0)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
