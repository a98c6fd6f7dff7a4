package com.xentracker.server.usage;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The overview of a period: active time per day, its split by productivity, the top applications and sites, and the
 * devices that stopped reporting.
 *
 * @param days          every day of the period in order, days without usage included
 * @param productivity  active time per productivity class, every class present (zero where there was none)
 * @param silentDevices present only for actors who see the organization's devices (not viewers)
 */
public record Overview(Coverage coverage, List<DayTotal> days, Map<Productivity, Duration> productivity,
        List<UsageTotal> topApplications, List<UsageTotal> topSites, Optional<SilentDevices> silentDevices) {

    public Overview {
        Objects.requireNonNull(coverage, "coverage");
        days = List.copyOf(days);
        EnumMap<Productivity, Duration> all = new EnumMap<>(Productivity.class);
        for (Productivity p : Productivity.values()) {
            all.put(p, productivity.getOrDefault(p, Duration.ZERO));
        }
        productivity = Collections.unmodifiableMap(all);
        topApplications = List.copyOf(topApplications);
        topSites = List.copyOf(topSites);
        Objects.requireNonNull(silentDevices, "silentDevices");
    }

    /** All active time of the period. */
    public Duration total() {
        return days.stream().map(DayTotal::active).reduce(Duration.ZERO, Duration::plus);
    }
}
