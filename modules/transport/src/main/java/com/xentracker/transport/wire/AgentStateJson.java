package com.xentracker.transport.wire;

/**
 * The JSON shape of {@link AgentState}:
 * {@code {"agentVersion":"0.2.0","capture":"WAYLAND_UNSUPPORTED","captureDetail":"…","policyVersion":3}}.
 * A capture state this version does not know (from a newer agent) reads as {@link CaptureState#UNKNOWN}.
 */
record AgentStateJson(String agentVersion, String capture, String captureDetail, Long policyVersion) {

    AgentStateJson {
        WireEnums.required(agentVersion, "agentVersion");
        WireEnums.requireName(capture, "capture");
        WireEnums.required(captureDetail, "captureDetail");
        WireEnums.required(policyVersion, "policyVersion");
    }

    static AgentStateJson of(AgentState state) {
        return new AgentStateJson(state.agentVersion(), state.capture().name(), state.captureDetail(),
                state.policyVersion());
    }

    AgentState toAgentState() {
        CaptureState state = WireEnums.known(CaptureState.class, capture).orElse(CaptureState.UNKNOWN);
        return new AgentState(agentVersion, state, captureDetail, policyVersion);
    }
}
