package com.xentracker.portal.people;

import com.xentracker.portal.page.FormErrors;
import com.xentracker.portal.page.Frame;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Model of {@code people.jte}.
 *
 * @param search    the search text as typed (shown in its field)
 * @param groupId   the group filtered by, or empty
 * @param groups    the groups the signed-in account may filter by
 * @param filtered  whether a search or a group narrows the list
 * @param canAssign whether the signed-in account may change the mapping (the assign forms are shown only then)
 * @param csrfToken the token the assign forms post
 * @param attempt   a refused assignment, shown again in its account's form
 */
public record PeoplePage(Frame frame, String search, String groupId, List<Choice> groups, boolean filtered,
        List<PersonRow> people, List<AccountRow> accounts, List<Choice> choices, boolean canAssign,
        String csrfToken, Optional<Attempt> attempt) {

    /**
     * What was posted to one account's assign form and what is wrong with it.
     *
     * @param personId      the person chosen (as posted), or empty
     * @param newPersonName the name typed, as typed
     */
    public record Attempt(String deviceId, String osUser, String personId, String newPersonName, FormErrors errors) {

        public Attempt {
            Objects.requireNonNull(deviceId, "deviceId");
            Objects.requireNonNull(osUser, "osUser");
            Objects.requireNonNull(personId, "personId");
            Objects.requireNonNull(newPersonName, "newPersonName");
            Objects.requireNonNull(errors, "errors");
        }
    }

    /** The refused attempt if it was made in {@code account}'s form. */
    public Optional<Attempt> attemptIn(AccountRow account) {
        return attempt.filter(a -> a.deviceId().equals(account.deviceId()) && a.osUser().equals(account.osUser()));
    }

    /** The errors of {@code account}'s form (none unless the refused attempt was made there). */
    public FormErrors errorsIn(AccountRow account) {
        return attemptIn(account).map(Attempt::errors).orElse(FormErrors.none());
    }

    public PeoplePage {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(search, "search");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(csrfToken, "csrfToken");
        Objects.requireNonNull(attempt, "attempt");
        groups = List.copyOf(groups);
        people = List.copyOf(people);
        accounts = List.copyOf(accounts);
        choices = List.copyOf(choices);
    }

    /**
     * A person, the groups they are in (names), the (device, OS user) accounts mapped to them and the last day they
     * have recorded time on ("29 Nov 2026", or empty).
     */
    public record PersonRow(String id, String displayName, String login, List<String> groups,
            List<AccountRow> accounts, String lastActive) {

        public PersonRow {
            groups = List.copyOf(groups);
            accounts = List.copyOf(accounts);
        }

        public String href() {
            return "/people/person?id=" + id;
        }
    }

    /**
     * An OS account on a device.
     *
     * @param person the display name of the person it belongs to; empty when it belongs to no one yet
     */
    public record AccountRow(String deviceId, String hostname, String osUser, String personId, String person) {
    }

    /** A person or group to choose in a form. */
    public record Choice(String id, String displayName) {
    }
}
