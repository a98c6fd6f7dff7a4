package com.xentracker.portal.account;

import com.xentracker.portal.page.Frame;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Model of {@code accounts.jte}.
 *
 * @param canManage whether the signed-in account's role may change accounts (only then are the forms shown; the
 *                  server decides on every post)
 * @param notice    what the previous post did, if the page follows one
 */
public record AccountListPage(Frame frame, List<Row> rows, boolean canManage, String csrfToken, List<Choice> roles,
        Optional<String> notice) {

    public AccountListPage {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(csrfToken, "csrfToken");
        Objects.requireNonNull(notice, "notice");
        rows = List.copyOf(rows);
        roles = List.copyOf(roles);
    }

    /**
     * One account.
     *
     * @param self      whether it is the signed-in account
     * @param resetText the reset button's label: a new invitation for an account that never set a password
     */
    public record Row(String id, String email, String role, String roleLabel, String status, String statusLabel,
            boolean twoFactor, When created, boolean self, boolean disabled, String resetText) {
    }

    /** A role to choose, with what it may do. */
    public record Choice(String value, String label, String description) {
    }

    /** An instant as shown, as {@code <time datetime>} and exactly (on hover). */
    public record When(String text, String datetime, String exact) {
    }
}
