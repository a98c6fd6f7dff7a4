package com.xentracker.transport.wire;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every error the server answers with: its stable, lower-case-dashed {@link #code()} (the {@link ErrorBody#code()}
 * agents, scripts and front ends branch on) and its HTTP status. One enum for both sides, so the agent cannot test for
 * a code the server never sends. Messages are for people and may change; codes do not.
 */
public enum ErrorCode {

    // --- 400: the request cannot be understood or is out of range --------------------------------------------
    /** A parameter or field is malformed or out of range. */
    INVALID_REQUEST(400, "invalid-request"),
    /** A JSON message lacks a required field or is not JSON. */
    MALFORMED_MESSAGE(400, "malformed-message"),
    /** A PEM key or certificate cannot be read. */
    INVALID_KEY(400, "invalid-key"),
    /** A sealed batch is not the CMS structure it must be. */
    BATCH_UNREADABLE(400, "batch-unreadable"),
    /** A sealed batch opened but its content breaks a rule (order, limits). */
    BATCH_REJECTED(400, "batch-rejected"),
    /** A sealed batch carries data the organization's policy does not allow (titles, URLs, excluded names). */
    BATCH_PRIVATE_DATA(400, "batch-private-data"),
    /** A sealed batch names an organization key the server does not have (any more): fetch the certificate. */
    UNKNOWN_KEY_ID(400, "unknown-key-id"),
    /** A sealed batch does not decrypt (wrong key, changed bytes). */
    DECRYPTION_FAILED(400, "decryption-failed"),
    /** A sealed batch is not signed by exactly the enrolled device key. */
    BAD_SIGNATURE(400, "bad-signature"),
    /** A sealed batch's signed binding names another organization, device or sequence than its URL. */
    BATCH_BINDING_MISMATCH(400, "batch-binding-mismatch"),
    /** A sealed batch uses an algorithm the server does not allow. */
    ALGORITHM_NOT_ALLOWED(400, "algorithm-not-allowed"),
    /** A device key rotation is not signed by both keys. */
    KEY_PROOF_INVALID(400, "key-proof-invalid"),

    // --- 401: who is asking is not known --------------------------------------------------------------------
    /** No live session (expired, signed out, ended by an owner, or the account was disabled). */
    NOT_SIGNED_IN(401, "not-signed-in"),
    /** The e-mail address, password or second factor is wrong (never says which). */
    INVALID_CREDENTIALS(401, "invalid-credentials"),

    // --- 403: known, but not allowed ------------------------------------------------------------------------
    /** The account's role does not allow the action (or not on this subject). */
    NOT_PERMITTED(403, "not-permitted"),
    /** The organization requires two-factor sign-in for this role and the account has not set it up yet. */
    TWO_FACTOR_SETUP_REQUIRED(403, "two-factor-setup-required"),
    /** The device was revoked: it may not upload any more. */
    DEVICE_REVOKED(403, "device-revoked"),
    /** Enrollment: no token has this value. */
    ENROLLMENT_TOKEN_UNKNOWN(403, "enrollment-token-unknown"),
    /** Enrollment: the token's time to live has passed. */
    ENROLLMENT_TOKEN_EXPIRED(403, "enrollment-token-expired"),
    /** Enrollment: an administrator revoked the token. */
    ENROLLMENT_TOKEN_REVOKED(403, "enrollment-token-revoked"),
    /** Enrollment: the token enrolled as many devices as it allows. */
    ENROLLMENT_TOKEN_EXHAUSTED(403, "enrollment-token-exhausted"),

    // --- 404 ------------------------------------------------------------------------------------------------
    /** No device has this id (in this organization). */
    DEVICE_UNKNOWN(404, "device-unknown"),
    /** No organization has this id. */
    ORGANIZATION_UNKNOWN(404, "organization-unknown"),
    /** Nothing of that kind has this id in the caller's organization (person, group, account, token, rule ...). */
    NOT_FOUND(404, "not-found"),

    // --- 405, 409, 413, 415, 429 ----------------------------------------------------------------------------
    METHOD_NOT_ALLOWED(405, "method-not-allowed"),
    /** The new device key enrolled before. */
    DEVICE_KEY_REUSED(409, "device-key-reused"),
    /** An account has this e-mail address already. */
    ACCOUNT_EXISTS(409, "account-exists"),
    /** The change contradicts the current state (a name taken, the last owner, a used invitation ...). */
    CONFLICT(409, "conflict"),
    PAYLOAD_TOO_LARGE(413, "payload-too-large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type"),
    /** Too many failed attempts from this account or address: wait. */
    TOO_MANY_ATTEMPTS(429, "too-many-attempts"),

    // --- 5xx ------------------------------------------------------------------------------------------------
    /** A bug; the message says nothing more. */
    INTERNAL_ERROR(500, "internal-error"),
    /** The database is unreachable or overloaded: retry after {@code Retry-After}. */
    STORAGE_UNAVAILABLE(503, "storage-unavailable"),
    /** The server is storing as many batches as it can: retry after {@code Retry-After}. */
    SERVER_BUSY(503, "server-busy");

    private static final Map<String, ErrorCode> BY_CODE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ErrorCode::code, Function.identity()));

    private final int status;
    private final String code;

    ErrorCode(int status, String code) {
        this.status = status;
        this.code = code;
    }

    /** The HTTP status the server answers with. */
    public int status() {
        return status;
    }

    /** The stable code in {@link ErrorBody#code()}. */
    public String code() {
        return code;
    }

    /** Whether the request may succeed later unchanged (the server or its database was busy or away). */
    public boolean retryable() {
        return status >= 500 && this != INTERNAL_ERROR || this == TOO_MANY_ATTEMPTS;
    }

    /** The code of an {@link ErrorBody}; empty for a code this version does not know (a newer server's). */
    public static Optional<ErrorCode> of(String code) {
        return Optional.ofNullable(code).map(BY_CODE::get);
    }
}
