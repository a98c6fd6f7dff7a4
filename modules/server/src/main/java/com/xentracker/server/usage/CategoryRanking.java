package com.xentracker.server.usage;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** Categories (uncategorised time as the category {@code ""}), longest active time first, with their ratings. */
public record CategoryRanking(Coverage coverage, List<CategoryTotal> rows, Duration total) {

    public CategoryRanking {
        Objects.requireNonNull(coverage, "coverage");
        rows = List.copyOf(rows);
        Objects.requireNonNull(total, "total");
    }
}
