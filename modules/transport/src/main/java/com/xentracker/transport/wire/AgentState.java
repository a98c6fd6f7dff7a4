package com.xentracker.transport.wire;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the agent reports about itself with every batch: its version, whether it can record, which policy it applies
 * and how much it still holds unsent. The server keeps the latest one per device, so that administrators see e.g.
 * "Wayland: foreground tracking unavailable" or "2,400 spans waiting since yesterday 14:00".
 *
 * @param agentVersion  the agent's version; empty when not reported
 * @param capture       whether the agent records, and if not, why
 * @param captureDetail a short explanation for humans (e.g. {@code "Wayland session: foreground tracking
 *                      unavailable"}); empty when there is nothing to add. Never personal data: no titles, no
 *                      application names
 * @param policyVersion the version of the collection policy the agent applies (0: the built-in defaults)
 * @param backlog       what the agent held unsent besides this batch when it made it; empty from an agent too old to
 *                      report it (the JSON then has neither {@code unsentSpans} nor {@code oldestUnsentAt})
 */
public record AgentState(String agentVersion, CaptureState capture, String captureDetail, long policyVersion,
        Optional<Backlog> backlog) {

    public AgentState {
        Objects.requireNonNull(agentVersion, "agentVersion");
        Objects.requireNonNull(capture, "capture");
        Objects.requireNonNull(captureDetail, "captureDetail");
        Objects.requireNonNull(backlog, "backlog");
        if (policyVersion < 0) {
            throw new IllegalArgumentException("policyVersion must not be negative, got " + policyVersion);
        }
    }

    /** A state without a backlog report (as from an agent that predates it). */
    public AgentState(String agentVersion, CaptureState capture, String captureDetail, long policyVersion) {
        this(agentVersion, capture, captureDetail, policyVersion, Optional.empty());
    }

    public static AgentState of(String agentVersion, CaptureState capture, String captureDetail, long policyVersion) {
        return new AgentState(agentVersion, capture, captureDetail, policyVersion);
    }

    /** What an agent that does not report its state (an older one) is taken to have said. */
    public static AgentState unknown() {
        return new AgentState("", CaptureState.UNKNOWN, "", 0);
    }

    /** The same state with {@code backlog} reported. */
    public AgentState withBacklog(Backlog backlog) {
        return new AgentState(agentVersion, capture, captureDetail, policyVersion,
                Optional.of(Objects.requireNonNull(backlog, "backlog")));
    }

    /**
     * What the agent still held unsent when it made a batch, the batch's own spans not counted: how far behind the
     * server's view of the device is. A device that has been offline shows a growing backlog with an old first span;
     * a caught-up one reports none.
     *
     * @param unsentSpans    closed spans recorded but neither in this batch nor acknowledged by the server
     * @param oldestUnsentAt the start of the oldest of them, by the device's clock; empty when there are none
     */
    public record Backlog(long unsentSpans, Optional<Instant> oldestUnsentAt) {

        public Backlog {
            Objects.requireNonNull(oldestUnsentAt, "oldestUnsentAt");
            if (unsentSpans < 0) {
                throw new IllegalArgumentException("unsentSpans must not be negative, got " + unsentSpans);
            }
            if (unsentSpans == 0 && oldestUnsentAt.isPresent()) {
                throw new IllegalArgumentException("no unsent span has an oldest start");
            }
        }

        /** Nothing waiting. */
        public static Backlog none() {
            return new Backlog(0, Optional.empty());
        }

        public static Backlog of(long unsentSpans, Optional<Instant> oldestUnsentAt) {
            return new Backlog(unsentSpans, oldestUnsentAt);
        }
    }
}
