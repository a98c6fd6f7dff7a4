package com.xentracker.collector.buffer;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Closed spans the server does not have yet (besides a batch being sent), as the agent reports them to the server.
 *
 * @param spans       how many
 * @param oldestStart the start of the oldest; empty when there are none
 */
public record Unsent(long spans, Optional<Instant> oldestStart) {

    public Unsent {
        Objects.requireNonNull(oldestStart, "oldestStart");
        if (spans < 0 || (spans == 0) != oldestStart.isEmpty()) {
            throw new IllegalArgumentException("unsent spans " + spans + " with oldest start " + oldestStart);
        }
    }
}
