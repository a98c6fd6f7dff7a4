package com.xentracker.portal.reports;

import com.xentracker.portal.page.Frame;
import java.util.List;
import java.util.Optional;

/**
 * Model of {@code teams.jte}.
 *
 * @param minimum     the organization's minimum group size
 * @param groupsHref  where groups are made and filled, for accounts that may
 */
public record TeamsPage(Frame frame, int minimum, List<Row> teams, boolean viewer, Optional<String> groupsHref) {

    public TeamsPage {
        teams = List.copyOf(teams);
    }

    /**
     * One group.
     *
     * @param viewHref its team view, when it has the minimum size
     */
    public record Row(String name, int size, Optional<String> viewHref, Optional<String> reportsHref) {
    }
}
