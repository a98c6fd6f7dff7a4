package com.xentracker.server.usage;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a report covers, as the server decided it in the report's transaction, and what else the actor could ask for:
 * every report carries one, so that a page needs no second call (and no second audit entry) to label its days or fill
 * its filters.
 *
 * @param days              the report's local days
 * @param zone              the organization's time zone, in which those days are counted
 * @param today             the organization's local date when the report was made
 * @param minimumGroupSize  the organization's minimum group size for team views
 * @param teams             the groups the actor may filter by, by name (a viewer: its own)
 * @param people            the people the actor may filter by, by name: those it may see individually (none for a
 *                          viewer without individual detail)
 * @param group             the group the report is limited to, if any
 * @param person            the person the report is limited to, if any
 * @param wholeOrganization whether the actor sees the whole organization (otherwise a viewer's groups only)
 * @param withheld          whether the figures are left out because a group is smaller than the minimum group size
 *                          (the report's group, or, for a viewer, every one of its groups without individual detail)
 */
public record Coverage(DayRange days, ZoneId zone, LocalDate today, int minimumGroupSize, List<Team> teams,
        List<PersonChoice> people, Optional<Team> group, Optional<PersonChoice> person, boolean wholeOrganization,
        boolean withheld) {

    public Coverage {
        Objects.requireNonNull(days, "days");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(today, "today");
        teams = List.copyOf(teams);
        people = List.copyOf(people);
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(person, "person");
    }

    /** Whether the actor may see individuals here at all (owners, administrators, auditors; a viewer with detail). */
    public boolean individuals() {
        return wholeOrganization || !people.isEmpty();
    }
}
