package com.xentracker.transport.wire;

import com.xentracker.core.activity.Span;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The spans a device uploads in one sealed batch. {@code sequence} numbers a device's batches so that the server
 * recognises a retried upload.
 */
public record SpanBatch(UUID deviceId, long sequence, List<Span> spans) {

    public SpanBatch {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(spans, "spans");
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must not be negative, got " + sequence);
        }
        spans = List.copyOf(spans);
    }
}
