package com.xentracker.portal.account;

import com.xentracker.portal.page.Frame;
import java.util.Objects;

/** Model of {@code account-setup-done.jte}: the password is set; sign in. */
public record AccountSetupDonePage(Frame frame, String email) {

    public AccountSetupDonePage {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(email, "email");
    }
}
