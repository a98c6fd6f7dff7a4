package com.xentracker.transport.wire;

import com.xentracker.core.activity.Gap;
import com.xentracker.core.activity.Span;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What a device uploads in one sealed batch. {@code sequence} numbers a device's batches so that the server
 * recognises a retried upload.
 *
 * @param spans      recorded activity
 * @param gaps       stretches of time whose activity the agent lost (its buffer dropped them), so the server can show
 *                   the loss; empty when nothing was lost
 * @param agentState the agent's version, capture state and policy version when it made the batch
 */
public record SpanBatch(UUID deviceId, long sequence, List<Span> spans, List<Gap> gaps, AgentState agentState) {

    public SpanBatch {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(spans, "spans");
        Objects.requireNonNull(gaps, "gaps");
        Objects.requireNonNull(agentState, "agentState");
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must not be negative, got " + sequence);
        }
        spans = List.copyOf(spans);
        gaps = List.copyOf(gaps);
    }

    /** A batch without gaps from an agent that does not report its state ({@link AgentState#unknown()}). */
    public SpanBatch(UUID deviceId, long sequence, List<Span> spans) {
        this(deviceId, sequence, spans, List.of(), AgentState.unknown());
    }
}
