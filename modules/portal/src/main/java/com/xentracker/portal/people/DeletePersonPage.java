package com.xentracker.portal.people;

import com.xentracker.portal.page.Frame;
import java.util.List;
import java.util.Objects;

/** Model of {@code person-delete.jte}: what deleting a person deletes, and the confirming form. */
public record DeletePersonPage(Frame frame, String id, String name, String login, List<String> accounts,
        String lastActive, String csrfToken) {

    public DeletePersonPage {
        Objects.requireNonNull(frame, "frame");
        accounts = List.copyOf(accounts);
        Objects.requireNonNull(csrfToken, "csrfToken");
    }
}
