package com.xentracker.server.organization;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the background re-categorisation of an organization's rollups stands. Rule changes (and a change of whether
 * titles are collected) request one; new uploads use the new rules at once, existing rollups follow device by device.
 *
 * A change of the organization's time zone requests one that first recounts each device's days from its raw spans
 * in the new zone ({@code recount}).
 *
 * @param devicesDone  devices re-categorised so far in this run
 * @param devicesTotal the organization's devices when the run started (0 before it starts)
 * @param recount      whether the run recounts days in a new time zone (not only categories)
 */
public record Recategorization(State state, Optional<Instant> requestedAt, Optional<Instant> startedAt,
        Optional<Instant> finishedAt, int devicesDone, int devicesTotal, boolean recount) {

    /** The stages of a request. */
    public enum State {
        /** The rules never changed: rollups were categorised by them when they were stored. */
        NEVER_REQUESTED,
        /** Requested; the background job picks it up within seconds. */
        QUEUED,
        /** Under way. */
        RUNNING,
        /** Every rollup matches the rules as they are. */
        DONE
    }

    public Recategorization {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(requestedAt, "requestedAt");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
    }

    /** Whole percent done, 0 to 100. */
    public int percent() {
        if (state == State.DONE || state == State.NEVER_REQUESTED) {
            return 100;
        }
        return devicesTotal == 0 ? 0 : (int) Math.min(100, 100L * devicesDone / devicesTotal);
    }

    /** Whether the background job still has work to do. */
    public boolean pending() {
        return state == State.QUEUED || state == State.RUNNING;
    }
}
