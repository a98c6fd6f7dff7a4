package com.xentracker.server;

import com.xentracker.transport.wire.ErrorCode;
import java.util.Objects;
import java.util.Optional;

/**
 * A request's parameters are malformed or out of range (a bad UUID, a negative sequence, an over-long field, ...).
 * When one parameter of a use case is to blame, the exception names it ({@link #field()}), so that a form can show
 * the message beside that field instead of in place of the page.
 */
public final class InvalidRequestException extends XentrackerServerException {

    private final String field; // null when no single parameter is to blame

    public InvalidRequestException(String message) {
        super(ErrorCode.INVALID_REQUEST, message);
        this.field = null;
    }

    private InvalidRequestException(String field, String message) {
        super(ErrorCode.INVALID_REQUEST, message);
        this.field = Objects.requireNonNull(field, "field");
    }

    /**
     * @param field the use case's parameter (or the record component) that is wrong, e.g. {@code spanDays}; its
     *              documentation names the fields it reports
     */
    public static InvalidRequestException about(String field, String message) {
        return new InvalidRequestException(field, message);
    }

    /** The parameter to blame, when it is one. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
