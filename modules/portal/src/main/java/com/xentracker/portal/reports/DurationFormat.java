package com.xentracker.portal.reports;

import java.time.Duration;

/** Active time as people read it: {@code 1h 02m 05s}. Hours keep counting past a day; fractions of a second are cut. */
final class DurationFormat {

    private DurationFormat() {
    }

    static String format(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("negative duration " + duration);
        }
        long seconds = duration.getSeconds();
        return String.format("%dh %02dm %02ds", seconds / 3600, seconds % 3600 / 60, seconds % 60);
    }

    /** A length of time in whole hours and minutes: {@code 25 h}, {@code 23 h 30 min}. */
    static String hoursAndMinutes(Duration duration) {
        long minutes = duration.toMinutes();
        return minutes % 60 == 0 ? minutes / 60 + " h" : minutes / 60 + " h " + minutes % 60 + " min";
    }
}
