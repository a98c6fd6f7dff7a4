package com.xentracker.server.organization;

import java.util.Objects;

/**
 * An organization as the host's operator sees it across the installation: what it is and how big it is.
 *
 * @param devices        enrolled devices that may upload
 * @param revokedDevices revoked devices (their data stays until they are deleted)
 * @param accounts       portal accounts, whatever their state (invited, active, disabled)
 */
public record OrganizationSummary(Organization organization, int devices, int revokedDevices, int accounts) {

    public OrganizationSummary {
        Objects.requireNonNull(organization, "organization");
    }
}
