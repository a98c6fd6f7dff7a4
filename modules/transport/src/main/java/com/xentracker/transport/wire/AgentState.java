package com.xentracker.transport.wire;

import java.util.Objects;

/**
 * What the agent reports about itself with every batch: its version, whether it can record and which policy it
 * applies. The server keeps the latest one per device, so that administrators see e.g. "Wayland: foreground tracking
 * unavailable".
 *
 * @param agentVersion  the agent's version; empty when not reported
 * @param capture       whether the agent records, and if not, why
 * @param captureDetail a short explanation for humans (e.g. {@code "Wayland session: foreground tracking
 *                      unavailable"}); empty when there is nothing to add. Never personal data: no titles, no
 *                      application names
 * @param policyVersion the version of the collection policy the agent applies (0: the built-in defaults)
 */
public record AgentState(String agentVersion, CaptureState capture, String captureDetail, long policyVersion) {

    public AgentState {
        Objects.requireNonNull(agentVersion, "agentVersion");
        Objects.requireNonNull(capture, "capture");
        Objects.requireNonNull(captureDetail, "captureDetail");
        if (policyVersion < 0) {
            throw new IllegalArgumentException("policyVersion must not be negative, got " + policyVersion);
        }
    }

    public static AgentState of(String agentVersion, CaptureState capture, String captureDetail, long policyVersion) {
        return new AgentState(agentVersion, capture, captureDetail, policyVersion);
    }

    /** What an agent that does not report its state (an older one) is taken to have said. */
    public static AgentState unknown() {
        return new AgentState("", CaptureState.UNKNOWN, "", 0);
    }
}
