package com.xentracker.server.usage;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Applications or sites, longest active time first.
 *
 * @param rows   at most the report's limit
 * @param total  the active time of all of them, the rows left out included (for shares)
 * @param more   how many were left out after the limit
 */
public record Ranking(Coverage coverage, List<UsageTotal> rows, Duration total, int more) {

    public Ranking {
        Objects.requireNonNull(coverage, "coverage");
        rows = List.copyOf(rows);
        Objects.requireNonNull(total, "total");
    }
}
