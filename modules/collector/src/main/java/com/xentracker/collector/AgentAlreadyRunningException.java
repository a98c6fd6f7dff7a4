package com.xentracker.collector;

/** Another agent process already uses the same data directory. */
public final class AgentAlreadyRunningException extends CollectorException {

    public AgentAlreadyRunningException(String message) {
        super(message);
    }
}
