package com.xentracker.collector.buffer;

import com.xentracker.core.activity.Gap;
import com.xentracker.core.activity.Span;
import java.util.List;
import java.util.Objects;

/**
 * Spans and gap records assigned to one upload under a fixed sequence number.
 *
 * @param sequence the batch's sequence number; increases by one per batch and is never reused on this device
 * @param spans    the spans, oldest first
 * @param gaps     the gap records (time whose spans the buffer dropped), oldest first; they precede the batch's spans
 *                 in time. Spans and gaps are never both empty
 */
public record PendingBatch(long sequence, List<Span> spans, List<Gap> gaps) {

    public PendingBatch {
        spans = List.copyOf(Objects.requireNonNull(spans, "spans"));
        gaps = List.copyOf(Objects.requireNonNull(gaps, "gaps"));
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be positive, got " + sequence);
        }
        if (spans.isEmpty() && gaps.isEmpty()) {
            throw new IllegalArgumentException("a batch carries at least one span or gap");
        }
    }

    /** A batch of spans only. */
    public PendingBatch(long sequence, List<Span> spans) {
        this(sequence, spans, List.of());
    }
}
