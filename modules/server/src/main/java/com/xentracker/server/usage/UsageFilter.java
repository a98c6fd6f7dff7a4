package com.xentracker.server.usage;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Which usage a report covers: a period and, optionally, one group (a team view: aggregated only when the group has at
 * least the organization's minimum group size) and one person (individual usage: only for roles that may see
 * individuals, a viewer only in groups granted with individual detail). Both given: the person's usage, if the person
 * is in the group.
 */
public record UsageFilter(Period period, Optional<UUID> group, Optional<UUID> person) {

    public UsageFilter {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(person, "person");
    }

    /** Everything the actor may see, in {@code period}. */
    public static UsageFilter of(Period period) {
        return new UsageFilter(period, Optional.empty(), Optional.empty());
    }

    /** Everything the actor may see on these days. */
    public static UsageFilter of(DayRange days) {
        return of(Period.of(days));
    }

    public UsageFilter inGroup(UUID groupId) {
        return new UsageFilter(period, Optional.of(groupId), person);
    }

    public UsageFilter ofPerson(UUID personId) {
        return new UsageFilter(period, group, Optional.of(personId));
    }

    /** Whether the filter asks for one person's usage (which needs the right to see individuals). */
    public boolean individual() {
        return person.isPresent();
    }
}
