package com.xentracker.portal.account;

import com.xentracker.portal.page.Frame;
import java.util.Objects;

/**
 * Model of {@code account-link.jte}: a one-time link, shown this once (the server keeps only its hash).
 *
 * @param invitation whether it is an invitation (otherwise a password reset)
 * @param self       whether it is the signed-in account's own (whose sessions the reset ended)
 */
public record AccountLinkPage(Frame frame, String email, boolean invitation, boolean self, String link,
        AccountListPage.When expires) {

    public AccountLinkPage {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(expires, "expires");
    }

    /** Never shows the link. */
    @Override
    public String toString() {
        return "AccountLinkPage[invitation=" + invitation + "]";
    }
}
