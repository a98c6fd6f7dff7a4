package com.xentracker.portal.account;

import com.xentracker.portal.page.Frame;
import java.util.Objects;
import java.util.Optional;

/**
 * Model of {@code account-setup.jte}: choosing a password with a one-time link, before signing in.
 *
 * @param token     the link's token, posted back with the form (a hidden field, never in the post's URL)
 * @param csrfToken the double-submit token of the form (the cookie carries the other half)
 */
public record AccountSetupPage(Frame frame, String email, boolean invitation, AccountListPage.When expires,
        String token, String csrfToken, int minLength, Optional<String> error) {

    public AccountSetupPage {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(csrfToken, "csrfToken");
        Objects.requireNonNull(error, "error");
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "AccountSetupPage[invitation=" + invitation + "]";
    }
}
