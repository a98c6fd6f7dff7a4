package com.xentracker.server.admin;

import java.util.List;
import java.util.UUID;

/**
 * Read-only view of an organization's enrolled devices, for front ends (the portal, through
 * {@link com.xentracker.server.spi.ServerServices#devices()}): what each agent last reported about itself, e.g. a
 * Wayland session in which it cannot record. It changes nothing; {@link Administration} adds the changes.
 */
@FunctionalInterface
public interface DeviceDirectory {

    /**
     * The organization's devices, revoked ones included, by host name, with what each agent last reported about
     * itself.
     *
     * @throws com.xentracker.server.NoSuchOrganizationException when the organization does not exist
     */
    List<DeviceSummary> devices(UUID organizationId);
}
