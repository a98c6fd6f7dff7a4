package com.xentracker.collector.buffer;

import java.util.Objects;
import java.util.UUID;

/**
 * The buffer's unacknowledged data passed from one device identity to the next ({@link SpanBuffer#bindTo(UUID)},
 * after a re-enrollment). Batches the old identity had cut were withdrawn: their sealed bytes were signed for the old
 * device and its sequence numbers, which the new identity cannot send. Their spans and gaps wait again, in their
 * original order, for batches under the new identity, whose sequence numbers start again at 1.
 *
 * @param from              the device that owned the buffer's sequence numbers before
 * @param to                the device that owns them now
 * @param withdrawnBatches  unacknowledged batches of {@code from} that were withdrawn (their sealed bytes deleted)
 * @param requeuedSpans     spans of those batches that wait again (with the spans never cut into a batch)
 * @param requeuedGaps      gap records of those batches that wait again
 */
public record Handover(UUID from, UUID to, long withdrawnBatches, long requeuedSpans, long requeuedGaps) {

    public Handover {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }
}
