package com.xentracker.collector.buffer;

import java.util.Objects;

/**
 * A batch in the outbox: its content and the sealed bytes stored when it was cut, sent unchanged on every retry.
 *
 * @param sealed a copy; the record keeps its own
 */
public record SealedBatch(PendingBatch batch, byte[] sealed) {

    public SealedBatch {
        Objects.requireNonNull(batch, "batch");
        sealed = Objects.requireNonNull(sealed, "sealed").clone();
    }

    /** The batch's sequence number. */
    public long sequence() {
        return batch.sequence();
    }

    @Override
    public byte[] sealed() {
        return sealed.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SealedBatch that && batch.equals(that.batch)
                && java.util.Arrays.equals(sealed, that.sealed);
    }

    @Override
    public int hashCode() {
        return 31 * batch.hashCode() + java.util.Arrays.hashCode(sealed);
    }

    @Override
    public String toString() {
        return "SealedBatch[sequence=" + batch.sequence() + ", " + sealed.length + " sealed bytes]";
    }
}
