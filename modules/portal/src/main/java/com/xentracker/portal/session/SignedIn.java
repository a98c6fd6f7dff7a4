package com.xentracker.portal.session;

import com.xentracker.portal.page.Frame;
import com.xentracker.server.account.Account;
import java.util.Objects;

/** The account behind a request's session cookie, and the CSRF token its forms must carry. */
public record SignedIn(Account account, String csrfToken) {

    public SignedIn {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(csrfToken, "csrfToken");
    }

    /** The page frame for this account: its email in the header and the sign-out form's CSRF token. */
    public Frame frame(String title) {
        return Frame.of(title, new Frame.Viewer(account.email(), csrfToken));
    }
}
