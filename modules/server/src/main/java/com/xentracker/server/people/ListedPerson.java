package com.xentracker.server.people;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A person in a listing.
 *
 * @param groups     the groups the person is in, among those the actor may see
 * @param accounts   the device accounts mapped to the person
 * @param lastActive the last day (in the organization's zone) the person has recorded time on, if any is kept
 */
public record ListedPerson(Person person, List<UUID> groups, List<DeviceAccount> accounts,
        Optional<LocalDate> lastActive) {

    public ListedPerson {
        Objects.requireNonNull(person, "person");
        groups = List.copyOf(groups);
        accounts = List.copyOf(accounts);
        Objects.requireNonNull(lastActive, "lastActive");
    }
}
