package com.xentracker.transport.envelope;

import java.util.Objects;
import java.util.UUID;

/**
 * What a sealed batch is bound to, carried as signed attributes of its SignedData (covered by the device's
 * signature, and encrypted): the server refuses a batch whose binding differs from the organization, device and
 * sequence it arrived for, so a valid batch cannot be replayed under another sequence, device or organization.
 *
 * @param batchId a random id the agent gives the batch when it cuts it; stored by the server for tracing
 */
public record BatchBinding(UUID organizationId, UUID deviceId, long sequence, UUID batchId) {

    public BatchBinding {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(batchId, "batchId");
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must not be negative, got " + sequence);
        }
    }

    /** A binding with a fresh random batch id. */
    public static BatchBinding of(UUID organizationId, UUID deviceId, long sequence) {
        return new BatchBinding(organizationId, deviceId, sequence, UUID.randomUUID());
    }
}
