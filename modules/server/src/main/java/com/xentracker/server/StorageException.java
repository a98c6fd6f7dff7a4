package com.xentracker.server;

import com.xentracker.transport.wire.ErrorCode;

/**
 * The database or a file the server keeps could not be read or written. {@link ErrorCode#STORAGE_UNAVAILABLE} when
 * retrying later may help (the database is unreachable, overloaded or timed out), {@link ErrorCode#INTERNAL_ERROR}
 * otherwise. The message is the server's own, never the driver's: a driver message can carry bound values.
 */
public final class StorageException extends XentrackerServerException {

    public StorageException(String message, Throwable cause) {
        super(ErrorCode.STORAGE_UNAVAILABLE, message, cause);
    }

    private StorageException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }

    /** A database failure that retrying will not cure (a constraint, a bug): answered 500. */
    public static StorageException failed(String message, Throwable cause) {
        return new StorageException(ErrorCode.INTERNAL_ERROR, message, cause);
    }
}
