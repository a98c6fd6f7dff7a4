package com.xentracker.transport.envelope;

import java.util.Objects;

/**
 * An opened batch: the decompressed payload the device signed, and the binding it signed with it.
 *
 * @param payload a copy; the record keeps its own
 */
public record OpenedBatch(byte[] payload, BatchBinding binding) {

    public OpenedBatch {
        payload = Objects.requireNonNull(payload, "payload").clone();
        Objects.requireNonNull(binding, "binding");
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OpenedBatch that && java.util.Arrays.equals(payload, that.payload)
                && binding.equals(that.binding);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(payload) + binding.hashCode();
    }

    @Override
    public String toString() {
        return "OpenedBatch[" + payload.length + " bytes, " + binding + "]"; // never the payload itself
    }
}
