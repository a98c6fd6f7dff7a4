package com.xentracker.collector.buffer;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where a recorded span or gap is on its way to the server.
 *
 * @param batchSequence  the batch it was assigned to; empty while it waits for one
 * @param acknowledgedAt when the server acknowledged that batch; empty while it is not sent
 */
public record Delivery(OptionalLong batchSequence, Optional<Instant> acknowledgedAt) {

    private static final Delivery WAITING = new Delivery(OptionalLong.empty(), Optional.empty());

    public Delivery {
        Objects.requireNonNull(batchSequence, "batchSequence");
        Objects.requireNonNull(acknowledgedAt, "acknowledgedAt");
        if (acknowledgedAt.isPresent() && batchSequence.isEmpty()) {
            throw new IllegalArgumentException("only a batch can be acknowledged");
        }
    }

    /** Not yet in a batch. */
    public static Delivery waiting() {
        return WAITING;
    }

    /** Whether the server has it. */
    public boolean sent() {
        return acknowledgedAt.isPresent();
    }
}
