package com.xentracker.server.ingest;

import com.xentracker.transport.wire.SpanBatch;
import java.util.Objects;
import java.util.UUID;

/**
 * A batch that opened and passed every content rule ({@link BatchValidation}), ready to store.
 *
 * @param batchId      the batch id the device signed
 * @param signedDigest the SHA-256 of what the device signed: a repeat of this batch carries the same
 */
record ValidBatch(SpanBatch batch, UUID batchId, byte[] signedDigest) {

    ValidBatch {
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(batchId, "batchId");
        signedDigest = Objects.requireNonNull(signedDigest, "signedDigest").clone();
    }

    @Override
    public byte[] signedDigest() {
        return signedDigest.clone();
    }

    long sequence() {
        return batch.sequence();
    }
}
