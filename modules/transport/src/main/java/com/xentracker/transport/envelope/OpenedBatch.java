package com.xentracker.transport.envelope;

import java.util.Objects;

/**
 * An opened batch: the decompressed payload the device signed, and the binding it signed with it.
 *
 * @param payload      a copy; the record keeps its own
 * @param signedDigest SHA-256 of the DER signed attributes, which hold the digest of the signed content and the
 *                     binding (with its batch id): equal for the same signed batch however it was encrypted, and
 *                     different for anything else the device signed. Receivers decide "the same batch again" by it,
 *                     never by the sealed bytes (a re-sealed batch differs in every byte of the envelope).
 */
public record OpenedBatch(byte[] payload, BatchBinding binding, byte[] signedDigest) {

    /** The length of {@link #signedDigest()}. */
    public static final int SIGNED_DIGEST_BYTES = 32;

    public OpenedBatch {
        payload = Objects.requireNonNull(payload, "payload").clone();
        Objects.requireNonNull(binding, "binding");
        signedDigest = Objects.requireNonNull(signedDigest, "signedDigest").clone();
        if (signedDigest.length != SIGNED_DIGEST_BYTES) {
            throw new IllegalArgumentException("a signed digest is a SHA-256, " + SIGNED_DIGEST_BYTES + " bytes");
        }
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public byte[] signedDigest() {
        return signedDigest.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OpenedBatch that && java.util.Arrays.equals(payload, that.payload)
                && binding.equals(that.binding) && java.util.Arrays.equals(signedDigest, that.signedDigest);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * java.util.Arrays.hashCode(payload) + binding.hashCode())
                + java.util.Arrays.hashCode(signedDigest);
    }

    @Override
    public String toString() {
        return "OpenedBatch[" + payload.length + " bytes, " + binding + "]"; // never the payload itself
    }
}
