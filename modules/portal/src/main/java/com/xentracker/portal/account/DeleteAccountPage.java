package com.xentracker.portal.account;

import com.xentracker.portal.page.Frame;
import java.util.Objects;

/** Model of {@code account-delete.jte}: the confirmation step before an account is deleted. */
public record DeleteAccountPage(Frame frame, String id, String email, String roleLabel, boolean self,
        String csrfToken) {

    public DeleteAccountPage {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(roleLabel, "roleLabel");
        Objects.requireNonNull(csrfToken, "csrfToken");
    }
}
