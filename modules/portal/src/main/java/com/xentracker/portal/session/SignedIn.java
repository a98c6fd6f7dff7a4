package com.xentracker.portal.session;

import com.xentracker.portal.page.Frame;
import com.xentracker.portal.page.Section;
import com.xentracker.server.account.Account;
import java.util.Objects;

/** The account behind a request's session cookie, and the CSRF token its forms must carry. */
public record SignedIn(Account account, String csrfToken) {

    public SignedIn {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(csrfToken, "csrfToken");
    }

    /**
     * The frame of a page in {@code section} for this account: its email in the header, the sign-out form's CSRF
     * token and the section marked in the navigation.
     */
    public Frame frame(String title, Section section) {
        return Frame.of(title, section, new Frame.Viewer(account.email(), csrfToken));
    }
}
