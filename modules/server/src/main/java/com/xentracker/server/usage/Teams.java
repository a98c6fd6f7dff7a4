package com.xentracker.server.usage;

import java.util.List;
import java.util.Objects;

/**
 * The groups whose team views the actor may open (a viewer: its own), by name, and the organization's minimum group
 * size below which a team view shows nothing.
 */
public record Teams(int minimumGroupSize, List<Team> teams) {

    public Teams {
        teams = List.copyOf(Objects.requireNonNull(teams, "teams"));
    }
}
