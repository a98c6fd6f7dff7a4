package com.xentracker.server.device;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * The devices page: every device of the organization with its agent's reports, and the organization's settings that
 * say how to read them.
 *
 * @param zone        the organization's time zone, in which its pages show times
 * @param silentAfter how long a device may go without contact before it is flagged silent
 * @param devices     by host name, revoked ones included
 */
public record DeviceOverview(ZoneId zone, Duration silentAfter, List<DeviceSummary> devices) {

    public DeviceOverview {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(silentAfter, "silentAfter");
        devices = List.copyOf(devices);
    }
}
