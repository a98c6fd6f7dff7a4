package com.xentracker.portal.signin;

import com.xentracker.portal.page.Frame;
import java.util.Objects;
import java.util.Optional;

/** Model of {@code login.jte}: the email to pre-fill, the form's CSRF token and an error to show. */
public record LoginPage(String email, String csrfToken, Optional<String> error) {

    /**
     * Deliberately the same for an unknown email, a wrong password and a locked account: sign-in must not reveal
     * which accounts exist.
     */
    static final String WRONG_CREDENTIALS = "The email or password is wrong. After five failed attempts in a row an"
            + " account is locked for a few minutes.";

    public LoginPage {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(csrfToken, "csrfToken");
        Objects.requireNonNull(error, "error");
    }

    static LoginPage blank(String csrfToken) {
        return new LoginPage("", csrfToken, Optional.empty());
    }

    static LoginPage wrongCredentials(String email, String csrfToken) {
        return new LoginPage(email, csrfToken, Optional.of(WRONG_CREDENTIALS));
    }

    public Frame frame() {
        return Frame.anonymous("Sign in");
    }
}
