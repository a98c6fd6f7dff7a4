package com.xentracker.portal.people;

import com.xentracker.portal.page.Frame;
import java.util.List;
import java.util.Objects;

/**
 * Model of {@code people.jte}.
 *
 * @param canAssign whether the signed-in account may change the mapping (the assign forms are shown only then)
 * @param csrfToken the token the assign forms post
 */
public record PeoplePage(Frame frame, List<PersonRow> people, List<AccountRow> accounts, List<Choice> choices,
        boolean canAssign, String csrfToken) {

    public PeoplePage {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(csrfToken, "csrfToken");
        people = List.copyOf(people);
        accounts = List.copyOf(accounts);
        choices = List.copyOf(choices);
    }

    /** A person and the (device, OS user) accounts mapped to them. */
    public record PersonRow(String id, String displayName, String login, List<AccountRow> accounts) {

        public PersonRow {
            accounts = List.copyOf(accounts);
        }
    }

    /**
     * An OS account on a device.
     *
     * @param person the display name of the person it belongs to; empty when it belongs to no one yet
     */
    public record AccountRow(String deviceId, String hostname, String osUser, String personId, String person) {
    }

    /** A person to choose in an assign form. */
    public record Choice(String id, String displayName) {
    }
}
