package com.xentracker.portal.chart;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A bar chart of durations (active time), laid out on the server for {@code chart/bars.jte}, which draws it as inline
 * SVG: no script, no chart library, no inline style (the portal's CSP forbids both; colours come from classes in
 * portal.css). Accessible: the SVG is an image labelled by its {@code <title>} and {@code <desc>}, its axes are
 * labelled with their units, each bar carries its own {@code <title>} (a tooltip with the exact figure), and the
 * template can render a table of the same figures below it.
 *
 * <p>{@link #columns} draws one vertical bar per label (days along the x axis); {@link #rows} one horizontal bar per
 * label (a ranking, names along the y axis). Coordinates are in the SVG's own units (its viewBox); the SVG scales to
 * its container's width.
 */
public final class BarChart {

    /** Which way the bars point. */
    public enum Orientation {
        /** Bars up from the x axis (one per day). */
        COLUMNS,
        /** Bars right from the y axis (one per name). */
        ROWS
    }

    /**
     * One bar to draw.
     *
     * @param label     the category it stands for ("Mon 23 Nov", "firefox")
     * @param value     its duration
     * @param style     a CSS class for its colour ({@code productive}, …), or empty for the default
     * @param note      said after the value in the bar's tooltip and in the table ("25-hour day"), or empty
     */
    public record Bar(String label, Duration value, String style, String note) {

        public Bar {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(style, "style");
            Objects.requireNonNull(note, "note");
            if (value.isNegative()) {
                throw new IllegalArgumentException("a bar's value is a duration ≥ 0");
            }
        }

        public static Bar of(String label, Duration value) {
            return new Bar(label, value, "", "");
        }
    }

    /** A drawn bar: its rectangle, its axis label (shown or not) and the exact figure for its tooltip. */
    public record DrawnBar(Bar bar, double x, double y, double width, double height, double labelX, double labelY,
            boolean labelShown, String shortLabel, String figure) {

        /** The bar's tooltip and table text: {@code Mon 23 Nov: 1 h 05 min (25-hour day)}. */
        public String tooltip() {
            return bar.label() + ": " + figure + (bar.note().isEmpty() ? "" : " (" + bar.note() + ")");
        }

        /** The SVG class list of the rectangle. */
        public String styleClass() {
            return bar.style().isEmpty() ? "bar" : "bar " + bar.style();
        }
    }

    /** A grid line and label on the value axis. */
    public record Tick(double position, String label) {
    }

    static final double WIDTH = 640;
    private static final double COLUMNS_HEIGHT = 240;
    private static final double ROW_HEIGHT = 22;
    private static final double ROW_GAP = 6;
    private static final int MAX_LABEL = 22;

    private final String id;
    private final String title;
    private final String description;
    private final Orientation orientation;
    private final String categoryAxis;
    private final String valueAxis;
    private final List<DrawnBar> bars;
    private final List<Tick> ticks;
    private final double height;
    private final double plotLeft;
    private final double plotTop;
    private final double plotRight;
    private final double plotBottom;

    private BarChart(String id, String title, String description, Orientation orientation, String categoryAxis,
            List<Bar> bars) {
        this.id = Objects.requireNonNull(id, "id");
        this.title = Objects.requireNonNull(title, "title");
        this.description = Objects.requireNonNull(description, "description");
        this.orientation = orientation;
        this.categoryAxis = Objects.requireNonNull(categoryAxis, "categoryAxis");
        if (bars.isEmpty()) {
            throw new IllegalArgumentException("a chart needs at least one bar");
        }
        Duration max = bars.stream().map(Bar::value).max(Duration::compareTo).orElseThrow();
        Scale scale = Scale.covering(max);
        this.valueAxis = "Active time (" + scale.unit().plural() + ")";
        List<DrawnBar> drawn = new ArrayList<>();
        List<Tick> marks = new ArrayList<>();
        if (orientation == Orientation.COLUMNS) {
            height = COLUMNS_HEIGHT + 60;
            plotLeft = 56;
            plotRight = WIDTH - 12;
            plotTop = 12;
            plotBottom = COLUMNS_HEIGHT;
            double slot = (plotRight - plotLeft) / bars.size();
            double barWidth = Math.max(1, slot * 0.7);
            // label every nth day so that labels (about 44 units wide) never overlap
            int every = Math.max(1, (int) Math.ceil(44 / slot));
            for (int i = 0; i < bars.size(); i++) {
                Bar bar = bars.get(i);
                double h = scale.fraction(bar.value()) * (plotBottom - plotTop);
                double x = plotLeft + i * slot + (slot - barWidth) / 2;
                drawn.add(new DrawnBar(bar, round(x), round(plotBottom - h), round(barWidth), round(h),
                        round(x + barWidth / 2), plotBottom + 16, (bars.size() - 1 - i) % every == 0,
                        shortened(bar.label()), Durations.spoken(bar.value())));
            }
            for (Duration tick : scale.ticks()) {
                marks.add(new Tick(round(plotBottom - scale.fraction(tick) * (plotBottom - plotTop)),
                        scale.label(tick)));
            }
        } else {
            plotLeft = 172;
            plotRight = WIDTH - 96;
            plotTop = 24;
            plotBottom = plotTop + bars.size() * (ROW_HEIGHT + ROW_GAP);
            height = plotBottom + 48;
            for (int i = 0; i < bars.size(); i++) {
                Bar bar = bars.get(i);
                double w = scale.fraction(bar.value()) * (plotRight - plotLeft);
                double y = plotTop + i * (ROW_HEIGHT + ROW_GAP) + ROW_GAP / 2;
                drawn.add(new DrawnBar(bar, plotLeft, round(y), round(w), ROW_HEIGHT, plotLeft - 8,
                        round(y + ROW_HEIGHT / 2 + 4), true, shortened(bar.label()),
                        Durations.spoken(bar.value())));
            }
            for (Duration tick : scale.ticks()) {
                marks.add(new Tick(round(plotLeft + scale.fraction(tick) * (plotRight - plotLeft)),
                        scale.label(tick)));
            }
        }
        this.bars = List.copyOf(drawn);
        this.ticks = List.copyOf(marks);
    }

    /**
     * Vertical bars, one per category along the x axis (days).
     *
     * @param id           unique on the page (the SVG's title and description are referenced by it)
     * @param categoryAxis the x axis's label, e.g. "Day (Pacific/Auckland)"
     */
    public static BarChart columns(String id, String title, String description, String categoryAxis,
            List<Bar> bars) {
        return new BarChart(id, title, description, Orientation.COLUMNS, categoryAxis, List.copyOf(bars));
    }

    /** Horizontal bars, one per name down the y axis, in the given order. */
    public static BarChart rows(String id, String title, String description, String categoryAxis, List<Bar> bars) {
        return new BarChart(id, title, description, Orientation.ROWS, categoryAxis, List.copyOf(bars));
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    public String description() {
        return description;
    }

    public boolean columns() {
        return orientation == Orientation.COLUMNS;
    }

    /** The label of the axis the categories are on (days, applications …). */
    public String categoryAxis() {
        return categoryAxis;
    }

    /** The label of the value axis, with its unit: {@code Active time (hours)}. */
    public String valueAxis() {
        return valueAxis;
    }

    public List<DrawnBar> bars() {
        return bars;
    }

    public List<Tick> ticks() {
        return ticks;
    }

    public String viewBox() {
        return "0 0 " + number(WIDTH) + " " + number(height);
    }

    public double width() {
        return WIDTH;
    }

    public double height() {
        return height;
    }

    public double plotLeft() {
        return plotLeft;
    }

    public double plotRight() {
        return plotRight;
    }

    public double plotTop() {
        return plotTop;
    }

    public double plotBottom() {
        return plotBottom;
    }

    /** The x of the value axis label's centre (columns: rotated on the left; rows: below the plot). */
    public double valueAxisX() {
        return columns() ? 14 : (plotLeft + plotRight) / 2;
    }

    public double valueAxisY() {
        return columns() ? (plotTop + plotBottom) / 2 : plotBottom + 40;
    }

    /** The SVG transform that turns the value axis label upright along a vertical axis; empty for rows. */
    public String valueAxisTransform() {
        return columns() ? "rotate(-90 " + number(valueAxisX()) + " " + number(valueAxisY()) + ")" : "";
    }

    /** Columns: centred below the day labels; rows: above the names, right-aligned with them. */
    public double categoryAxisX() {
        return columns() ? (plotLeft + plotRight) / 2 : plotLeft - 8;
    }

    public double categoryAxisY() {
        return columns() ? plotBottom + 48 : 14;
    }

    /** The category axis label's {@code text-anchor}. */
    public String categoryAxisAnchor() {
        return columns() ? "middle" : "end";
    }

    /** A coordinate as SVG wants it: at most one decimal, a dot whatever the locale. */
    public static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static String shortened(String label) {
        return label.length() <= MAX_LABEL ? label : label.substring(0, MAX_LABEL - 1) + "…";
    }
}
