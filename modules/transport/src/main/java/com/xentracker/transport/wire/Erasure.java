package com.xentracker.transport.wire;

import java.util.Objects;
import java.util.UUID;

/**
 * Server to agent, in upload receipts: a person whose data this device sent was erased (GDPR Art. 17), so the agent
 * drops what it still keeps of the batches it sent up to {@code throughSequence} (its sent history, kept for
 * {@code show}) and confirms with the id in a later batch ({@link SpanBatch#erasuresDone()}). The server names an
 * erasure in every receipt until the confirmation arrives; doing it twice changes nothing.
 */
public record Erasure(UUID id, long throughSequence) {

    public Erasure {
        Objects.requireNonNull(id, "id");
        if (throughSequence < 0) {
            throw new IllegalArgumentException("throughSequence must not be negative, got " + throughSequence);
        }
    }
}
