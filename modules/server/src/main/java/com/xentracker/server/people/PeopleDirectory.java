package com.xentracker.server.people;

import java.util.List;
import java.util.Objects;

/**
 * The people an actor may see and their device accounts (for a viewer, only those in its groups granted with
 * individual detail).
 *
 * @param people   by name
 * @param accounts by host name and OS user; for owners, administrators and auditors every device account, mapped or
 *                 not
 */
public record PeopleDirectory(List<Person> people, List<DeviceAccount> accounts) {

    public PeopleDirectory {
        people = List.copyOf(Objects.requireNonNull(people, "people"));
        accounts = List.copyOf(Objects.requireNonNull(accounts, "accounts"));
    }
}
