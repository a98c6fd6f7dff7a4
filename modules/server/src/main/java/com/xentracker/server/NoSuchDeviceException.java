package com.xentracker.server;

import com.xentracker.transport.wire.ErrorCode;
import java.util.UUID;

/** No enrolled device has this id (in this organization). */
public final class NoSuchDeviceException extends XentrackerServerException {

    public NoSuchDeviceException(UUID deviceId) {
        super(ErrorCode.DEVICE_UNKNOWN, "no device " + deviceId);
    }
}
