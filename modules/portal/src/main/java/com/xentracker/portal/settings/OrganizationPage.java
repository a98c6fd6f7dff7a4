package com.xentracker.portal.settings;

import com.xentracker.portal.page.FormErrors;
import com.xentracker.portal.page.Frame;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Model of {@code settings.jte}: the organization's own settings.
 *
 * @param canChange whether the signed-in account's role may change the settings (only then is the form editable; the
 *                  server decides on the post)
 * @param form      the values shown: the stored ones, or what was posted when the server refused it
 * @param zones     the IANA time zones to choose from, by name
 * @param notice    what the previous post did, if the page follows one
 * @param spanDays  how many days of raw spans are kept: how far back a change of the time zone recounts
 * @param recount   the background recount after a change of the time zone, while it is under way
 */
public record OrganizationPage(Frame frame, Form form, boolean canChange, List<String> zones, String csrfToken,
        Optional<String> notice, FormErrors errors, int spanDays, Optional<RecategorizationView> recount) {

    /** The form's fields as text, as the person typed them. */
    public record Form(String name, String timeZone, boolean requireTwoFactor, String minimumGroupSize,
            String silentAfterHours, boolean selfService) {

        public Form {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(timeZone, "timeZone");
            Objects.requireNonNull(minimumGroupSize, "minimumGroupSize");
            Objects.requireNonNull(silentAfterHours, "silentAfterHours");
        }
    }

    public OrganizationPage {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(form, "form");
        Objects.requireNonNull(csrfToken, "csrfToken");
        Objects.requireNonNull(notice, "notice");
        Objects.requireNonNull(errors, "errors");
        Objects.requireNonNull(recount, "recount");
        zones = List.copyOf(zones);
    }

    public SettingsTab tab() {
        return SettingsTab.ORGANIZATION;
    }
}
