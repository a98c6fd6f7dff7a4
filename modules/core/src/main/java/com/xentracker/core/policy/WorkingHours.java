package com.xentracker.core.policy;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * When collection is allowed: per day of the week, a list of [start, end) intervals in the given zone (the device's
 * zone when the policy says so). Outside them nothing is collected at all.
 */
public record WorkingHours(ZoneId zone, Map<DayOfWeek, List<Interval>> days) {

    /** [start, end) on one day; start before end (no overnight intervals: split them). */
    public record Interval(LocalTime start, LocalTime end) {
        public Interval {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            if (!start.isBefore(end)) {
                throw new IllegalArgumentException("working-hours interval must start before it ends: " + start + "-" + end);
            }
        }

        public static Interval of(LocalTime start, LocalTime end) {
            return new Interval(start, end);
        }
    }

    public WorkingHours {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(days, "days");
        Map<DayOfWeek, List<Interval>> copy = new EnumMap<>(DayOfWeek.class);
        days.forEach((day, intervals) -> copy.put(Objects.requireNonNull(day), List.copyOf(intervals)));
        days = Map.copyOf(copy);
    }

    public static WorkingHours of(ZoneId zone, Map<DayOfWeek, List<Interval>> days) {
        return new WorkingHours(zone, days);
    }
}
