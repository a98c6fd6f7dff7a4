package com.xentracker.collector.buffer;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the buffer holds for the server.
 *
 * @param unsentSpans         closed spans not yet acknowledged (the open span is not counted)
 * @param unsentGaps          gap records not yet acknowledged
 * @param unsentBytes         approximate size of those spans: the bytes of their columns, without SQLite's page and
 *                            index overhead
 * @param oldestUnsentStart   start of the oldest unsent span
 * @param pendingBatches      batches assigned but not yet acknowledged
 * @param nextSequence        the sequence number the next new batch will get
 * @param lastAcknowledgedAt  when the server last acknowledged a batch
 * @param usedBytes           bytes the buffer file's live pages take (what {@link BufferConfig#maxSizeBytes()}
 *                            bounds), including the sent history
 */
public record Backlog(long unsentSpans, long unsentGaps, long unsentBytes, Optional<Instant> oldestUnsentStart,
        long pendingBatches, long nextSequence, Optional<Instant> lastAcknowledgedAt, long usedBytes) {

    public Backlog {
        Objects.requireNonNull(oldestUnsentStart, "oldestUnsentStart");
        Objects.requireNonNull(lastAcknowledgedAt, "lastAcknowledgedAt");
    }
}
