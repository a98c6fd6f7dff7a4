package com.xentracker.collector.buffer;

import com.xentracker.core.activity.Span;
import java.util.List;
import java.util.Objects;

/**
 * Spans assigned to one upload under a fixed sequence number.
 *
 * @param sequence the batch's sequence number; increases by one per batch and is never reused on this device
 * @param spans    the spans, oldest first; never empty
 */
public record PendingBatch(long sequence, List<Span> spans) {

    public PendingBatch {
        spans = List.copyOf(Objects.requireNonNull(spans, "spans"));
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be positive, got " + sequence);
        }
    }
}
