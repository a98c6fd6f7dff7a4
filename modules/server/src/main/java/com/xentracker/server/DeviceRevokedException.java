package com.xentracker.server;

import java.util.UUID;

/** The device was revoked by an administrator; it may not upload any more and must enroll again. */
public final class DeviceRevokedException extends XentrackerServerException {

    public DeviceRevokedException(UUID deviceId) {
        super("device " + deviceId + " has been revoked");
    }
}
