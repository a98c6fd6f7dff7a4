package com.xentracker.transport.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 * @param erasuresDone the {@link Erasure}s whose sent history the agent dropped since its last confirmation
 */
public record SpanBatch(UUID deviceId, long sequence, List<Span> spans, List<Gap> gaps, AgentState agentState,
        // left out when empty: a batch without confirmations is byte for byte what older agents send
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<UUID> erasuresDone) {

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
        // from an agent that does not confirm erasures: none
        erasuresDone = erasuresDone == null ? List.of() : List.copyOf(erasuresDone);
    }

    /** A batch that confirms no erasure. */
    public SpanBatch(UUID deviceId, long sequence, List<Span> spans, List<Gap> gaps, AgentState agentState) {
        this(deviceId, sequence, spans, gaps, agentState, List.of());
    }

    /** A batch without gaps from an agent that does not report its state ({@link AgentState#unknown()}). */
    public SpanBatch(UUID deviceId, long sequence, List<Span> spans) {
        this(deviceId, sequence, spans, List.of(), AgentState.unknown());
    }
}
