package com.xentracker.portal.devices;

import com.xentracker.portal.page.Frame;
import java.util.Objects;

/**
 * Model of {@code device-confirm.jte}: the step before revoking or deleting a device, which says what will happen.
 *
 * @param delete  whether the device is to be deleted (otherwise revoked)
 * @param action  where the confirming form posts
 * @param revoked whether the device is revoked already
 */
public record ConfirmPage(Frame frame, boolean delete, String action, String deviceId, String hostname,
        String osUser, String operatingSystem, String enrolled, boolean revoked, String csrfToken) {

    public ConfirmPage {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(csrfToken, "csrfToken");
    }
}
