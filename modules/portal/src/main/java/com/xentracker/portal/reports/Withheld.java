package com.xentracker.portal.reports;

import com.xentracker.server.usage.Coverage;
import java.util.Optional;

/** Why a report shows no figures although there may be usage: the minimum group size, said in words. */
final class Withheld {

    private Withheld() {
    }

    static Optional<String> reason(Coverage coverage) {
        if (!coverage.withheld()) {
            return Optional.empty();
        }
        int minimum = coverage.minimumGroupSize();
        return Optional.of(coverage.group()
                .map(team -> team.name() + " has " + team.size() + (team.size() == 1 ? " person" : " people")
                        + ". Team views show a group's figures only when it has at least " + minimum
                        + " people, so that a team's totals never stand for one or two of them. Nothing is shown.")
                .orElse("None of the groups you were given has at least " + minimum + " people. Figures of a group"
                        + " are shown only from " + minimum + " people on, so that they never stand for one or two"
                        + " of them; ask an owner for a larger group or for individual detail."));
    }
}
