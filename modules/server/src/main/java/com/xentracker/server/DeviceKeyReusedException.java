package com.xentracker.server;

import com.xentracker.transport.wire.ErrorCode;

/**
 * The device key in an enrollment request enrolled before. A key enrolls once: a revoked or deleted device cannot
 * come back by enrolling its old key with a new token; a device that should return generates a new key.
 */
public final class DeviceKeyReusedException extends XentrackerServerException {

    public DeviceKeyReusedException() {
        super(ErrorCode.DEVICE_KEY_REUSED, "this device key was enrolled before; a key enrolls only once (generate a new one)");
    }
}
