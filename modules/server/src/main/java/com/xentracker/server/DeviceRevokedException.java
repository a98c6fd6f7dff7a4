package com.xentracker.server;

import com.xentracker.transport.wire.ErrorCode;
import java.util.UUID;

/** The device was revoked by an administrator; it may not upload any more and must enroll again. */
public final class DeviceRevokedException extends XentrackerServerException {

    public DeviceRevokedException(UUID deviceId) {
        super(ErrorCode.DEVICE_REVOKED, "device " + deviceId + " has been revoked");
    }
}
