package com.xentracker.portal.chart;

import java.time.Duration;

/** Durations as a chart's tooltips and tables say them: {@code 25 h 00 min}, {@code 45 min}, {@code 30 s}. */
public final class Durations {

    private Durations() {
    }

    public static String spoken(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds < 60) {
            return seconds + " s";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return minutes + " min";
        }
        return String.format(java.util.Locale.ROOT, "%d h %02d min", minutes / 60, minutes % 60);
    }
}
