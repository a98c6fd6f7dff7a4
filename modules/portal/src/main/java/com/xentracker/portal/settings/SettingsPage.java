package com.xentracker.portal.settings;

import com.xentracker.portal.page.Frame;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Model of {@code settings.jte}.
 *
 * @param canChange whether the signed-in account's role may change the settings (only then is the form editable; the
 *                  server decides on the post)
 * @param zones     the IANA time zones to choose from, by name
 * @param notice    what the previous post did, if the page follows one
 */
public record SettingsPage(Frame frame, String name, String timeZone, boolean requireTwoFactor, boolean canChange,
        List<String> zones, String csrfToken, Optional<String> notice) {

    public SettingsPage {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(csrfToken, "csrfToken");
        Objects.requireNonNull(notice, "notice");
        zones = List.copyOf(zones);
    }
}
