package com.xentracker.portal.chart;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One day from local midnight to local midnight as horizontal lanes (one per device) of coloured segments, laid out
 * on the server for {@code chart/timeline.jte}, which draws it as inline SVG: no script, no inline style (the
 * portal's CSP forbids both; colours and hatching come from classes in portal.css).
 *
 * <p>The x axis is time, not the clock face: a day of 23 or 25 hours (daylight-saving time begins or ends) is as wide
 * as any other and its hours are narrower or wider, and the hour labels say what the clock said: {@code 01 03} where
 * an hour was skipped, {@code 02 02} where one was repeated. Every segment carries its own {@code <title>} (a
 * tooltip with its local times and what it was); the SVG as a whole is an image labelled by its {@code <title>} and
 * {@code <desc>}, and the page lists the same segments in a table.
 */
public final class DayTimeline {

    /** The SVG's coordinate system (its viewBox); it scales to its container's width. */
    public static final double WIDTH = 960;
    static final double LABELS = 132;
    static final double RIGHT = 12;
    static final double AXIS = 26;
    static final double LANE = 32;
    static final double LANE_GAP = 10;
    /** Narrower segments are drawn this wide, so that a few seconds are still visible. */
    static final double MIN_WIDTH = 0.6;

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH", Locale.ENGLISH);

    /**
     * What a segment is, which decides how it is drawn. Idle and locked time are neutral greys, private time is
     * striped and says nothing more, a gap is hatched: the data of that stretch was lost, not "nothing happened".
     */
    public enum Kind {
        PRODUCTIVE, RATED_NEUTRAL, UNPRODUCTIVE, UNCATEGORISED, IDLE, LOCKED, PRIVATE, UNKNOWN, GAP;

        /** The CSS class, e.g. {@code tl-rated-neutral}. */
        public String cssClass() {
            return "tl-" + name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** For the legend and the table. */
        public String label() {
            return switch (this) {
                case PRODUCTIVE -> "Productive";
                case RATED_NEUTRAL -> "Neutral";
                case UNPRODUCTIVE -> "Unproductive";
                case UNCATEGORISED -> "Uncategorised";
                case IDLE -> "Idle";
                case LOCKED -> "Locked";
                case PRIVATE -> "Private";
                case UNKNOWN -> "Not recorded";
                case GAP -> "Lost (gap)";
            };
        }
    }

    /** A stretch of time to draw; {@code label} is its tooltip after the times ("editor — Development"). */
    public record Segment(Instant start, Instant end, Kind kind, String label) {

        public Segment {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(label, "label");
            if (end.isBefore(start)) {
                throw new IllegalArgumentException("a segment ends before it starts");
            }
        }
    }

    /** One device's row. */
    public record Lane(String id, String label, List<Segment> segments) {

        public Lane {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(label, "label");
            segments = List.copyOf(segments);
        }
    }

    /** A drawn segment: its rectangle and tooltip, and its local start time for tests and tools. */
    public record DrawnSegment(double x, double y, double width, double height, Kind kind, String cssClass,
            String localStart, String tooltip) {
    }

    /** A drawn lane: its label's position and its segments. */
    public record DrawnLane(String id, String label, double labelY, double y, List<DrawnSegment> segments) {
    }

    /** An hour line and its label. */
    public record Tick(double x, String label, boolean major) {
    }

    private final String title;
    private final String description;
    private final double height;
    private final List<Tick> ticks;
    private final List<DrawnLane> lanes;

    private DayTimeline(String title, String description, double height, List<Tick> ticks, List<DrawnLane> lanes) {
        this.title = title;
        this.description = description;
        this.height = height;
        this.ticks = ticks;
        this.lanes = lanes;
    }

    /**
     * Lays out the day {@code start} to {@code end} (local midnights in {@code zone}).
     *
     * @param title       what the chart shows, for screen readers ("Ada's Sunday 27 September 2026")
     * @param description a sentence on what it shows and how long the day is
     */
    public static DayTimeline of(String title, String description, Instant start, Instant end, ZoneId zone,
            List<Lane> lanes) {
        Objects.requireNonNull(zone, "zone");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("a day ends after it starts");
        }
        double plot = WIDTH - LABELS - RIGHT;
        double seconds = Duration.between(start, end).toMillis() / 1000.0;
        List<Tick> ticks = new ArrayList<>();
        // an hour line wherever an hour of elapsed time begins, labelled with the local clock's hour there
        for (Instant hour = start; !hour.isAfter(end); hour = hour.plus(Duration.ofHours(1))) {
            ZonedDateTime local = hour.atZone(zone);
            double x = LABELS + plot * Duration.between(start, hour).toMillis() / 1000.0 / seconds;
            boolean major = local.getHour() % 3 == 0;
            ticks.add(new Tick(round(x), hour.equals(end) ? "24" : HOUR.format(local), major));
        }
        List<DrawnLane> drawn = new ArrayList<>();
        double y = AXIS;
        DateTimeFormatter time = TimeLabels.clock(start, end, zone);
        for (Lane lane : lanes) {
            List<DrawnSegment> segments = new ArrayList<>();
            for (Segment segment : lane.segments()) {
                Instant from = segment.start().isBefore(start) ? start : segment.start();
                Instant to = segment.end().isAfter(end) ? end : segment.end();
                if (to.isBefore(from)) {
                    continue;
                }
                double x = LABELS + plot * Duration.between(start, from).toMillis() / 1000.0 / seconds;
                double width = Math.max(MIN_WIDTH, plot * Duration.between(from, to).toMillis() / 1000.0 / seconds);
                String local = time.format(from.atZone(zone));
                String tooltip = local + "–" + time.format(to.atZone(zone)) + " · " + segment.kind().label()
                        + (segment.label().isEmpty() ? "" : " · " + segment.label());
                segments.add(new DrawnSegment(round(x), y, round(Math.min(width, WIDTH - RIGHT - x)), LANE,
                        segment.kind(), segment.kind().cssClass(), local, tooltip));
            }
            drawn.add(new DrawnLane(lane.id(), lane.label(), y + LANE / 2 + 4, y, segments));
            y += LANE + LANE_GAP;
        }
        return new DayTimeline(Objects.requireNonNull(title, "title"), Objects.requireNonNull(description,
                "description"), y, List.copyOf(ticks), List.copyOf(drawn));
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

    public double width() {
        return WIDTH;
    }

    public double height() {
        return height;
    }

    /** The viewBox attribute. */
    public String viewBox() {
        return "0 0 " + format(WIDTH) + " " + format(height);
    }

    public List<Tick> ticks() {
        return ticks;
    }

    public List<DrawnLane> lanes() {
        return lanes;
    }

    /** Where the plot starts and ends, for the lane's background. */
    public double plotStart() {
        return LABELS;
    }

    public double plotWidth() {
        return WIDTH - LABELS - RIGHT;
    }

    /** How tall a lane is. */
    public double laneHeight() {
        return LANE;
    }

    /** Where hour lines end. */
    public double axisBottom() {
        return height - LANE_GAP + 2;
    }

    /** A coordinate as SVG attributes write it: no trailing zeros, always a dot. */
    public static String format(double value) {
        if (value == Math.rint(value)) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%.2f", value).replaceAll("0+$", "");
    }
}
