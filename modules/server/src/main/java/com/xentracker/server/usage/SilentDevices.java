package com.xentracker.server.usage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Devices not revoked that have not been heard of for the organization's silent-after period, longest silent first.
 *
 * @param after    the organization's silent-after period
 * @param enrolled how many devices are enrolled and not revoked (none: the organization has yet to enroll one)
 */
public record SilentDevices(Duration after, List<Device> devices, long enrolled) {

    public SilentDevices {
        Objects.requireNonNull(after, "after");
        devices = List.copyOf(devices);
    }

    /** One silent device and when the server last heard of it. */
    public record Device(UUID id, String hostname, Instant lastSeen) {

        public Device {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(hostname, "hostname");
            Objects.requireNonNull(lastSeen, "lastSeen");
        }
    }
}
