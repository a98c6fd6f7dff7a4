package com.xentracker.transport.wire;

import java.util.Objects;

/**
 * The body of every non-2xx response.
 *
 * @param code    machine-readable, lower-case-dashed, one of {@link ErrorCode}, e.g. {@code enrollment-token-unknown}
 * @param message for humans; never contains secrets
 */
public record ErrorBody(String code, String message) {

    public ErrorBody {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }
}
