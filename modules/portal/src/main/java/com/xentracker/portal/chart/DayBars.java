package com.xentracker.portal.chart;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Active time per day of a period as vertical bars, laid out on the server for {@code chart/day-bars.jte} (inline
 * SVG, no script, no inline style). The y axis is in hours with labelled gridlines; each bar has its own
 * {@code <title>} with the exact figure; the page shows the same figures in a table. One person's days only: the
 * reports' {@code BarChart} does the same for the organization and may replace this once both are on main.
 */
public final class DayBars {

    public static final double WIDTH = 720;
    public static final double HEIGHT = 220;
    static final double LEFT = 44;
    static final double RIGHT = 8;
    static final double TOP = 12;
    static final double BOTTOM = 36;

    /** One day: its axis label (every few days shown), its tooltip label and its active time. */
    public record Day(String label, String fullLabel, Duration active) {

        public Day {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(fullLabel, "fullLabel");
            Objects.requireNonNull(active, "active");
        }
    }

    /** A drawn bar and, when shown, its axis label. */
    public record Bar(double x, double y, double width, double height, double labelX, boolean labelShown,
            String label, String tooltip) {
    }

    /** A horizontal gridline with its hours. */
    public record Gridline(double y, String label) {
    }

    private final String title;
    private final String description;
    private final List<Bar> bars;
    private final List<Gridline> gridlines;

    private DayBars(String title, String description, List<Bar> bars, List<Gridline> gridlines) {
        this.title = title;
        this.description = description;
        this.bars = bars;
        this.gridlines = gridlines;
    }

    public static DayBars of(String title, String description, List<Day> days) {
        long maxMinutes = days.stream().mapToLong(day -> day.active().toMinutes()).max().orElse(0);
        // the axis goes to a whole number of hours, at least one, in steps that give at most five gridlines
        long hours = Math.max(1, (maxMinutes + 59) / 60);
        long step = hours <= 5 ? 1 : hours <= 10 ? 2 : hours <= 25 ? 5 : 10;
        long top = ((hours + step - 1) / step) * step;
        double plotHeight = HEIGHT - TOP - BOTTOM;
        double plotWidth = WIDTH - LEFT - RIGHT;
        List<Gridline> gridlines = new ArrayList<>();
        for (long h = 0; h <= top; h += step) {
            gridlines.add(new Gridline(round(TOP + plotHeight - plotHeight * h / top), h + " h"));
        }
        List<Bar> bars = new ArrayList<>();
        int n = Math.max(1, days.size());
        double slot = plotWidth / n;
        double width = Math.max(1, slot * 0.7);
        // about ten labels whatever the period: every day for a week, every third for a month, ...
        int every = Math.max(1, (int) Math.ceil(n / 10.0));
        for (int i = 0; i < days.size(); i++) {
            Day day = days.get(i);
            double height = plotHeight * day.active().toSeconds() / 3600.0 / top;
            double x = LEFT + slot * i + (slot - width) / 2;
            bars.add(new Bar(round(x), round(TOP + plotHeight - height), round(width), round(height),
                    round(x + width / 2), i % every == 0, day.label(),
                    day.fullLabel() + ": " + Durations.spoken(day.active()) + " active"));
        }
        return new DayBars(Objects.requireNonNull(title, "title"), Objects.requireNonNull(description, "description"),
                List.copyOf(bars), List.copyOf(gridlines));
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    public String title() {
        return title;
    }

    public String description() {
        return description;
    }

    public List<Bar> bars() {
        return bars;
    }

    public List<Gridline> gridlines() {
        return gridlines;
    }

    public String viewBox() {
        return "0 0 " + DayTimeline.format(WIDTH) + " " + DayTimeline.format(HEIGHT);
    }

    public double plotLeft() {
        return LEFT;
    }

    public double plotRight() {
        return WIDTH - RIGHT;
    }

    /** Where the day labels sit. */
    public double labelY() {
        return HEIGHT - BOTTOM + 16;
    }
}
