package com.xentracker.portal.settings;

import com.xentracker.portal.page.FormErrors;
import com.xentracker.portal.page.Frame;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Model of {@code settings-policy.jte}: the collection policy editor.
 *
 * @param version   the stored policy's version (0: never set, the defaults)
 * @param canChange whether the account may change the policy (owners and administrators): only then is the form
 *                  editable and the redaction preview offered
 * @param preview   a sample title through the rules as posted, after "Try the rules"
 */
public record PolicyPage(Frame frame, PolicyForm form, long version, boolean canChange, List<String> zones,
        String csrfToken, Optional<String> notice, FormErrors errors, Optional<Preview> preview) {

    /**
     * What an agent would store of the sample.
     *
     * @param steps  the text after each rule, numbered from 1
     * @param stored the title stored, if one would be
     * @param reason why none would be
     */
    public record Preview(String sample, List<String> steps, Optional<String> stored, Optional<String> reason) {

        public Preview {
            Objects.requireNonNull(sample, "sample");
            steps = List.copyOf(steps);
            Objects.requireNonNull(stored, "stored");
            Objects.requireNonNull(reason, "reason");
        }
    }

    public PolicyPage {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(form, "form");
        zones = List.copyOf(zones);
        Objects.requireNonNull(csrfToken, "csrfToken");
        Objects.requireNonNull(notice, "notice");
        Objects.requireNonNull(errors, "errors");
        Objects.requireNonNull(preview, "preview");
    }

    public SettingsTab tab() {
        return SettingsTab.POLICY;
    }
}
