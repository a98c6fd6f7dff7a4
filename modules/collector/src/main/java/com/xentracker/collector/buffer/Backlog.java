package com.xentracker.collector.buffer;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the buffer holds for the server.
 *
 * @param unsentSpans         closed spans not yet acknowledged (the open span is not counted)
 * @param oldestUnsentStart   start of the oldest of them
 * @param pendingBatches      batches assigned but not yet acknowledged
 * @param nextSequence        the sequence number the next new batch will get
 * @param lastAcknowledgedAt  when the server last acknowledged a batch
 */
public record Backlog(long unsentSpans, Optional<Instant> oldestUnsentStart, long pendingBatches, long nextSequence,
        Optional<Instant> lastAcknowledgedAt) {

    public Backlog {
        Objects.requireNonNull(oldestUnsentStart, "oldestUnsentStart");
        Objects.requireNonNull(lastAcknowledgedAt, "lastAcknowledgedAt");
    }
}
