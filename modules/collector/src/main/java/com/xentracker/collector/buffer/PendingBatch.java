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
 *                 in time. Both empty: a state-only report (the batch carries just the agent's state)
 */
public record PendingBatch(long sequence, List<Span> spans, List<Gap> gaps) {

    public PendingBatch {
        spans = List.copyOf(Objects.requireNonNull(spans, "spans"));
        gaps = List.copyOf(Objects.requireNonNull(gaps, "gaps"));
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be positive, got " + sequence);
        }
    }

    /** Whether it carries only the agent's state. */
    public boolean stateOnly() {
        return spans.isEmpty() && gaps.isEmpty();
    }

    /** A batch of spans only. */
    public PendingBatch(long sequence, List<Span> spans) {
        this(sequence, spans, List.of());
    }
}
