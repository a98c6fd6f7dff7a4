package com.xentracker.server.admin;

import java.util.Objects;
import java.util.UUID;

/** Which person is behind an OS account on a device: the spans the device sends for that account are theirs. */
public record DeviceUser(UUID deviceId, String osUser, UUID personId) {

    public DeviceUser {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(osUser, "osUser");
        Objects.requireNonNull(personId, "personId");
    }
}
