package com.xentracker.server.people;

import java.util.List;
import java.util.Objects;

/**
 * What the people page shows, read in one use case (one audit entry): the people matching a filter, the groups the
 * actor may filter by, and the whole directory the actor may see (every person to assign a device account to, every
 * device account).
 *
 * @param matches   the people matching the filter, by name
 * @param groups    the groups the actor may filter by (a viewer: those granted with individual detail), by name
 * @param directory everyone and every device account the actor may see, whatever the filter
 */
public record PeopleListing(List<ListedPerson> matches, List<Group> groups, PeopleDirectory directory) {

    public PeopleListing {
        matches = List.copyOf(matches);
        groups = List.copyOf(groups);
        Objects.requireNonNull(directory, "directory");
    }
}
