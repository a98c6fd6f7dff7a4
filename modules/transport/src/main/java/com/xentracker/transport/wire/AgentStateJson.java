package com.xentracker.transport.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Optional;

/**
 * The JSON shape of {@link AgentState}:
 * {@code {"agentVersion":"0.2.0","capture":"WAYLAND_UNSUPPORTED","captureDetail":"…","policyVersion":3,
 * "unsentSpans":120,"oldestUnsentAt":"2026-11-28T14:00:00Z"}}.
 * A capture state this version does not know (from a newer agent) reads as {@link CaptureState#UNKNOWN}.
 *
 * <p>{@code unsentSpans} and {@code oldestUnsentAt} were added later and are optional both ways: an older agent
 * leaves them out (no backlog reported), an older server ignores them (unknown fields are ignored). They are left out
 * when there is nothing to say, so a state without a backlog is written exactly as before. {@code oldestUnsentAt}
 * without {@code unsentSpans} says nothing and is ignored, and so is a negative {@code unsentSpans}: a status report
 * never makes a batch fail (its spans would be lost with it).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record AgentStateJson(String agentVersion, String capture, String captureDetail, Long policyVersion,
        Long unsentSpans, Instant oldestUnsentAt) {

    AgentStateJson {
        WireEnums.required(agentVersion, "agentVersion");
        WireEnums.requireName(capture, "capture");
        WireEnums.required(captureDetail, "captureDetail");
        WireEnums.required(policyVersion, "policyVersion");
    }

    static AgentStateJson of(AgentState state) {
        return new AgentStateJson(state.agentVersion(), state.capture().name(), state.captureDetail(),
                state.policyVersion(), state.backlog().map(AgentState.Backlog::unsentSpans).orElse(null),
                state.backlog().flatMap(AgentState.Backlog::oldestUnsentAt).orElse(null));
    }

    AgentState toAgentState() {
        CaptureState state = WireEnums.known(CaptureState.class, capture).orElse(CaptureState.UNKNOWN);
        Optional<AgentState.Backlog> backlog = Optional.ofNullable(unsentSpans).filter(spans -> spans >= 0)
                .map(spans -> AgentState.Backlog.of(spans,
                        spans == 0 ? Optional.empty() : Optional.ofNullable(oldestUnsentAt)));
        return new AgentState(agentVersion, state, captureDetail, policyVersion, backlog);
    }
}
