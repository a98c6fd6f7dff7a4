package com.xentracker.portal.chart;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The value axis of a chart of durations: a unit people read easily (minutes below two hours, hours from there on)
 * and a step of 1, 2 or 5 times a power of ten in that unit, so that at most six grid lines cover the largest value.
 */
record Scale(Unit unit, double step, double top) {

    /** The unit the value axis counts in. */
    enum Unit {
        MINUTES(60, "minutes"), HOURS(3600, "hours");

        private final long seconds;
        private final String plural;

        Unit(long seconds, String plural) {
            this.seconds = seconds;
            this.plural = plural;
        }

        String plural() {
            return plural;
        }

        double of(Duration duration) {
            return duration.toMillis() / 1000.0 / seconds;
        }
    }

    private static final int MAX_TICKS = 5;

    /** A scale from zero to at least {@code max} (an empty chart still gets one step). */
    static Scale covering(Duration max) {
        Unit unit = max.compareTo(Duration.ofHours(2)) < 0 ? Unit.MINUTES : Unit.HOURS;
        double value = Math.max(unit.of(max), 1e-9);
        double step = niceStep(value / MAX_TICKS);
        double top = Math.max(step, Math.ceil(value / step - 1e-9) * step);
        return new Scale(unit, step, top);
    }

    private static double niceStep(double rough) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double factor : new double[] {1, 2, 5, 10}) {
            if (factor * magnitude >= rough - 1e-12) {
                // whole units only: no "0.5 minutes" on an axis
                return Math.max(1, factor * magnitude);
            }
        }
        return 10 * magnitude;
    }

    /** Where {@code value} lies between zero (0.0) and the top of the axis (1.0). */
    double fraction(Duration value) {
        return Math.min(1, unit.of(value) / top);
    }

    /** The grid lines from zero to the top, both included. */
    List<Duration> ticks() {
        List<Duration> ticks = new ArrayList<>();
        for (int i = 0; i * step <= top + 1e-9; i++) {
            ticks.add(Duration.ofSeconds(Math.round(i * step * unit.seconds)));
        }
        return ticks;
    }

    /** A grid line's label, in the axis's unit without it (the axis label names it): {@code 0}, {@code 30}. */
    String label(Duration tick) {
        double value = unit.of(tick);
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(java.util.Locale.ROOT, "%.1f",
                value);
    }
}
