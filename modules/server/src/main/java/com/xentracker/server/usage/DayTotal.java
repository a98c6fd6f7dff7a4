package com.xentracker.server.usage;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Objects;

/**
 * Active time on one local day.
 *
 * @param length how long the day is in the organization's zone: 24 hours, or 23 or 25 when daylight-saving time
 *               begins or ends on it
 */
public record DayTotal(LocalDate day, Duration length, Duration active) {

    public DayTotal {
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(length, "length");
        Objects.requireNonNull(active, "active");
    }
}
