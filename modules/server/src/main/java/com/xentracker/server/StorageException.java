package com.xentracker.server;

/** The database or a file the server keeps could not be read or written. Usually worth retrying later. */
public final class StorageException extends XentrackerServerException {

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
