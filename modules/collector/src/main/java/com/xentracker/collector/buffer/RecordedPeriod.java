package com.xentracker.collector.buffer;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything the buffer holds that overlaps {@code [from, to)}: spans (sent ones while the sent history keeps them,
 * unsent ones, and the open span) and gap records, each ordered by start.
 */
public record RecordedPeriod(Instant from, Instant to, List<RecordedSpan> spans, List<RecordedGap> gaps) {

    public RecordedPeriod {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        spans = List.copyOf(Objects.requireNonNull(spans, "spans"));
        gaps = List.copyOf(Objects.requireNonNull(gaps, "gaps"));
    }
}
