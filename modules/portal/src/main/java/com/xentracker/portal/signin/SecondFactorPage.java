package com.xentracker.portal.signin;

import com.xentracker.portal.page.Frame;
import java.util.Objects;
import java.util.Optional;

/** Model of {@code second-factor.jte}: the form's CSRF token and an error to show. */
public record SecondFactorPage(String csrfToken, Optional<String> error) {

    static final String WRONG_CODE = "That code is wrong or was used already. Enter the code your app shows now, or"
            + " one of your recovery codes. After five wrong codes in a row your account is locked for a few minutes.";

    public SecondFactorPage {
        Objects.requireNonNull(csrfToken, "csrfToken");
        Objects.requireNonNull(error, "error");
    }

    public Frame frame() {
        return Frame.anonymous("Two-factor sign-in");
    }
}
