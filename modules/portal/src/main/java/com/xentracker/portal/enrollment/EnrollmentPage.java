package com.xentracker.portal.enrollment;

import com.xentracker.portal.page.Frame;
import java.util.List;
import java.util.Objects;

/**
 * Model of {@code enrollment.jte}: the organization's enrollment tokens, and the form to issue one.
 *
 * @param canIssue  whether the issue form is shown (the server decides when it is posted)
 * @param canRevoke whether revoke buttons are shown
 * @param form      the issue form's limits and defaults
 */
public record EnrollmentPage(Frame frame, List<Row> tokens, boolean canIssue, boolean canRevoke, String csrfToken,
        Form form) {

    public EnrollmentPage {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(csrfToken, "csrfToken");
        Objects.requireNonNull(form, "form");
        tokens = List.copyOf(tokens);
    }

    /**
     * One token (never the token itself).
     *
     * @param state      {@code USABLE}, {@code EXPIRED}, {@code REVOKED} or {@code USED_UP}, for machines and tests
     * @param stateText  the state in plain words
     * @param stateClass CSS class of the state
     * @param issuedBy   "you", "host operator" or "another account"
     * @param issuedById the issuing account's id, for the title; empty for the operator
     * @param revocable  whether a revoke button makes sense (only a token that could still enroll)
     */
    public record Row(String id, String name, When created, When expires, int uses, int maxUses, String state,
            String stateText, String stateClass, String issuedBy, String issuedById, boolean revocable) {
    }

    /** A moment for people ({@code text}) and machines ({@code datetime}, ISO 8601). */
    public record When(String text, String datetime) {
    }

    /** The issue form's bounds and defaults, as the server checks them. */
    public record Form(int defaultDays, int maxDays, int defaultDevices, int maxDevices, int maxNameLength) {
    }
}
