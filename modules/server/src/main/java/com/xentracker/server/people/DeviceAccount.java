package com.xentracker.server.people;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * An OS account on an enrolled device (the one the agent reports for, or one an administrator mapped) and the person
 * behind it: the spans the device sends for that account are theirs.
 *
 * @param person empty until ingest or an administrator mapped the account
 */
public record DeviceAccount(UUID deviceId, String hostname, String osUser, Optional<UUID> person) {

    public DeviceAccount {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(osUser, "osUser");
        Objects.requireNonNull(person, "person");
    }
}
