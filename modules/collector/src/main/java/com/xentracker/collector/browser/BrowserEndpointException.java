package com.xentracker.collector.browser;

import com.xentracker.collector.CollectorException;

/** The browser endpoint could not start (port taken, no loopback interface). */
public final class BrowserEndpointException extends CollectorException {

    public BrowserEndpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
