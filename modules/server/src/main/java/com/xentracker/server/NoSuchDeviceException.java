package com.xentracker.server;

import java.util.UUID;

/** No enrolled device has this id (in this organization). */
public final class NoSuchDeviceException extends XentrackerServerException {

    public NoSuchDeviceException(UUID deviceId) {
        super("no device " + deviceId);
    }
}
