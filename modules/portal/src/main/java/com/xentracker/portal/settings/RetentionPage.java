package com.xentracker.portal.settings;

import com.xentracker.portal.page.FormErrors;
import com.xentracker.portal.page.Frame;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Model of {@code settings-retention.jte}: how long data is kept (the form), and of
 * {@code settings-retention-confirm.jte}: what a shorter retention would delete, to be confirmed.
 *
 * @param spanDays     as typed: days raw spans are kept
 * @param rollupMonths as typed: months daily rollups are kept
 * @param auditDays    as typed: days the audit log is kept
 * @param canChange    whether the account may change retention (owners)
 */
public record RetentionPage(Frame frame, String spanDays, String rollupMonths, String auditDays, boolean canChange,
        String csrfToken, Optional<String> notice, FormErrors errors) {

    public RetentionPage {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(spanDays, "spanDays");
        Objects.requireNonNull(rollupMonths, "rollupMonths");
        Objects.requireNonNull(auditDays, "auditDays");
        Objects.requireNonNull(csrfToken, "csrfToken");
        Objects.requireNonNull(notice, "notice");
        Objects.requireNonNull(errors, "errors");
    }

    public SettingsTab tab() {
        return SettingsTab.RETENTION;
    }

    /**
     * The confirmation: one line per kind of data, and the proposed values to post again.
     *
     * @param deletesData whether anything that exists now would be deleted
     */
    public record Confirm(Frame frame, List<Line> lines, int spanDays, int rollupMonths, int auditDays,
            boolean deletesData, String csrfToken) {

        /**
         * One kind of data: what changes and what that deletes.
         *
         * @param deletes whether this line deletes something that exists now
         */
        public record Line(String what, String change, String consequence, boolean deletes) {
        }

        public Confirm {
            Objects.requireNonNull(frame, "frame");
            lines = List.copyOf(lines);
            Objects.requireNonNull(csrfToken, "csrfToken");
        }

        public SettingsTab tab() {
            return SettingsTab.RETENTION;
        }
    }
}
