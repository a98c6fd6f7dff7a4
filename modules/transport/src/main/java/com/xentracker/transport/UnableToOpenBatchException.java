package com.xentracker.transport;

import java.util.Objects;

/**
 * A sealed batch could not be opened: tampered, encrypted for another key, signed by someone other than the expected
 * device, bound to another device or sequence, too large, or using an algorithm we do not accept. {@link #reason()}
 * says which check failed, so that the server can answer with a stable code.
 */
public final class UnableToOpenBatchException extends TransportException {

    /** Which check refused the batch. */
    public enum Reason {
        /** Not well-formed CMS, truncated, or not built the way a sealer builds it. */
        MALFORMED,
        /** Another content cipher, a short GCM tag, another key agreement or signature algorithm. */
        ALGORITHM_NOT_ALLOWED,
        /** Encrypted to an organization key (certificate) this opener does not hold. */
        UNKNOWN_KEY_ID,
        /** The GCM tag did not verify: the ciphertext, tag or authenticated attributes were changed. */
        DECRYPTION_FAILED,
        /** Not exactly one signer, another signer than the device's key, or an invalid signature. */
        BAD_SIGNATURE,
        /** The signed organization, device or sequence differ from where the batch was sent. */
        BINDING_MISMATCH,
        /** Bigger than the opener's limit, before or after decompression. */
        TOO_LARGE
    }

    private final Reason reason;

    public UnableToOpenBatchException(String message) {
        this(Reason.MALFORMED, message);
    }

    public UnableToOpenBatchException(String message, Throwable cause) {
        this(Reason.MALFORMED, message, cause);
    }

    public UnableToOpenBatchException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public UnableToOpenBatchException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Which check failed. */
    public Reason reason() {
        return reason;
    }
}
