package com.xentracker.server;

import com.xentracker.transport.wire.ErrorCode;
import java.util.Objects;

/**
 * The server module's one unchecked exception family. Checked exceptions of the JDK, JDBC, Flyway and embedded
 * PostgreSQL, and Jdbi's exceptions, are wrapped at the module boundary into one of the final subclasses. Each carries
 * the {@link ErrorCode} (shared with the agent) that the HTTP layer answers with, in one place
 * ({@code http.ApiErrors}); front ends use {@link #code()} the same way.
 *
 * <p>Messages never contain tokens, keys, passwords, payload bytes or bound statement parameters: they may reach a
 * log or an HTTP client.
 */
public abstract class XentrackerServerException extends RuntimeException {

    private final ErrorCode code;

    protected XentrackerServerException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    protected XentrackerServerException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** What the server answers with: the stable code and its HTTP status. */
    public ErrorCode code() {
        return code;
    }
}
