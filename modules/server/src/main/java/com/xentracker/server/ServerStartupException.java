package com.xentracker.server;

/** The server could not start: the port is taken, PostgreSQL did not come up, a key file is unreadable, ... */
public final class ServerStartupException extends XentrackerServerException {

    public ServerStartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
