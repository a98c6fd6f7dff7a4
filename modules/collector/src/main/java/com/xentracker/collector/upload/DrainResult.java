package com.xentracker.collector.upload;

import java.time.Duration;
import java.util.Objects;

/**
 * What one {@link Uploader#drainOnce()} did.
 *
 * @param outcome             how it ended
 * @param acknowledgedBatches batches the server acknowledged in this drain
 * @param acknowledgedSpans   spans in them
 * @param nextAttemptIn       when the uploader wants to drain again (the interval, zero, or a back-off)
 */
public record DrainResult(Outcome outcome, int acknowledgedBatches, int acknowledgedSpans, Duration nextAttemptIn) {

    /** How a drain ended. Whatever the outcome, unacknowledged spans stay in the buffer. */
    public enum Outcome {
        /** Every closed span is acknowledged (or there was none). */
        DRAINED,
        /** The per-drain batch limit was reached; more is waiting. */
        MORE_PENDING,
        /** The server could not be reached; retry after a back-off. */
        SERVER_UNREACHABLE,
        /** The server answered with an error or an unexpected receipt; retry after a back-off. */
        SERVER_REJECTED,
        /** The batch could not be prepared locally (encoding, sealing); retry after a back-off. */
        FAILED,
        /** The server refused a batch for good; it was dropped and replaced by a gap record (a note, not a drain end). */
        BATCH_DROPPED,
        /** The device was revoked or deleted on the server: uploads stopped, the buffer is kept. */
        STOPPED
    }

    public DrainResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(nextAttemptIn, "nextAttemptIn");
    }
}
