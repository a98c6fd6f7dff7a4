package com.xentracker.transport.wire;

import java.util.Objects;
import java.util.UUID;

/**
 * Server to agent: the batch is stored. {@code duplicate} is true when the same sequence was stored before (a
 * retry); the agent may then drop its copy just the same.
 */
public record UploadReceipt(UUID deviceId, long sequence, int acceptedSpans, boolean duplicate) {

    public UploadReceipt {
        Objects.requireNonNull(deviceId, "deviceId");
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must not be negative, got " + sequence);
        }
        if (acceptedSpans < 0) {
            throw new IllegalArgumentException("acceptedSpans must not be negative, got " + acceptedSpans);
        }
    }
}
