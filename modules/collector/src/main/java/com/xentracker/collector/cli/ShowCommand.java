package com.xentracker.collector.cli;

import com.xentracker.collector.AgentConfig;
import com.xentracker.collector.InvalidConfigException;
import com.xentracker.collector.buffer.BufferReader;
import com.xentracker.collector.buffer.Delivery;
import com.xentracker.collector.buffer.RecordedGap;
import com.xentracker.collector.buffer.RecordedPeriod;
import com.xentracker.collector.buffer.RecordedSpan;
import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.Span;
import com.xentracker.core.activity.WebPage;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code show}: the employee's own view of one day in the device's time zone, exactly as the buffer holds it: every
 * span (time range, state, application, the title only where one was stored) and whether and when it was sent,
 * gap records, and totals per application. Reads through a read-only connection, so it works while the agent runs.
 */
@Command(name = "show", description = "Show exactly what this device recorded on a day (default: today) and what"
        + " of it was sent.")
final class ShowCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions options;

    @ArgGroup(exclusive = true)
    private Day day;

    static final class Day {
        @Option(names = "--today", description = "Today in this device's time zone (the default).")
        boolean today;

        @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "Another day, in this device's time zone.")
        String date;
    }

    @Override
    public Integer call() {
        AgentConfig config = options.config();
        Clock clock = Clock.systemDefaultZone();
        HumanFormat format = new HumanFormat(clock.getZone(), clock.instant());
        LocalDate date = date(LocalDate.now(clock));
        Instant from = date.atStartOfDay(format.zone()).toInstant();
        Instant to = date.plusDays(1).atStartOfDay(format.zone()).toInstant();
        PrintWriter out = spec.commandLine().getOut();
        Optional<BufferReader> opened = BufferReader.open(config.bufferFile());
        if (opened.isEmpty()) {
            out.printf("Nothing has been recorded on this device yet (no buffer in %s).%n", config.dataDir());
            return ExitCodes.OK;
        }
        RecordedPeriod period;
        try (BufferReader buffer = opened.get()) {
            period = buffer.recorded(from, to);
        }
        out.printf("Recorded on %s (%s), exactly as stored on this device:%n%n", date, format.zone());
        if (period.spans().isEmpty() && period.gaps().isEmpty()) {
            out.printf("  nothing%n");
        }
        List<Line> lines = new ArrayList<>();
        period.spans().forEach(span -> lines.add(new Line(span.span().start(), spanLine(span, date, format))));
        period.gaps().forEach(gap -> lines.add(new Line(gap.gap().from(), gapLine(gap, date, format))));
        lines.sort(Comparator.comparing(Line::start));
        lines.forEach(line -> out.printf("  %s%n", line.text()));
        if (!period.spans().isEmpty()) {
            out.printf("%nTotals within the day:%n");
            totals(period.spans(), from, to).forEach((what, time) ->
                    out.printf("  %-32s %s%n", what, HumanFormat.duration(time)));
            long sent = period.spans().stream().filter(span -> span.delivery().sent()).count();
            out.printf("%n%d of %d spans sent to the server; %d not yet.%n", sent, period.spans().size(),
                    period.spans().size() - sent);
        }
        out.printf("Sent spans stay on this device for %s after the upload, unsent ones until they are sent.%n",
                HumanFormat.duration(config.sentHistory()));
        return ExitCodes.OK;
    }

    private LocalDate date(LocalDate today) {
        if (day == null || day.date == null) {
            return today;
        }
        try {
            return LocalDate.parse(day.date.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidConfigException("--date must be a day written YYYY-MM-DD, e.g. " + today + "; got '"
                    + day.date + "'", e);
        }
    }

    private static String spanLine(RecordedSpan recorded, LocalDate date, HumanFormat format) {
        Span span = recorded.span();
        String range = format.timeOn(date, span.start()) + "–" + (recorded.open() ? "" : format.timeOn(date, span.end()));
        String title = span.activity().title().map(t -> "  \"" + t + "\"").orElse("")
                + span.activity().page().flatMap(WebPage::url).map(url -> "  " + url).orElse("");
        String delivery = recorded.open() ? "recording now (last sample " + format.timeOn(date, span.end()) + ")"
                : delivery(recorded.delivery(), date, format);
        return String.format(Locale.ROOT, "%-19s %-9s %-24s %s%s", range, state(span.activity().state()),
                what(span.activity()), delivery, title);
    }

    private static String gapLine(RecordedGap recorded, LocalDate date, HumanFormat format) {
        String range = format.timeOn(date, recorded.gap().from()) + "–" + format.timeOn(date, recorded.gap().to());
        String why = switch (recorded.gap().reason()) {
            case BUFFER_FULL -> "GAP: the buffer was full and dropped this activity unsent";
            case BUFFER_EXPIRED -> "GAP: this activity waited too long and was dropped unsent";
            case UPLOAD_REJECTED -> "GAP: the server refused this activity's batch for good; it was dropped";
        };
        return String.format(Locale.ROOT, "%-19s %s; the server is told: %s", range, why,
                delivery(recorded.delivery(), date, format));
    }

    private static String delivery(Delivery delivery, LocalDate date, HumanFormat format) {
        if (delivery.sent()) {
            return "sent " + format.timeOn(date, delivery.acknowledgedAt().orElseThrow()) + " (batch "
                    + delivery.batchSequence().orElseThrow() + ")";
        }
        if (delivery.batchSequence().isPresent()) {
            return "sending (batch " + delivery.batchSequence().getAsLong() + ", not yet acknowledged)";
        }
        return "not sent yet";
    }

    private static String state(ActivityState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    /** The application for active time; the neutral states carry none. */
    private static String what(Activity activity) {
        return switch (activity.state()) {
            case ACTIVE -> (activity.application().isEmpty() ? "(desktop)" : activity.application())
                    + activity.page().map(page -> " " + page.domain()).orElse("");
            case EXCLUDED -> "(excluded application)";
            case PAUSED -> "(private time)";
            default -> "";
        };
    }

    /** Time per application (active) and per neutral state, clipped to the day, longest first. */
    private static Map<String, Duration> totals(List<RecordedSpan> spans, Instant from, Instant to) {
        Map<String, Duration> totals = new LinkedHashMap<>();
        for (RecordedSpan recorded : spans) {
            Span span = recorded.span();
            Instant start = span.start().isBefore(from) ? from : span.start();
            Instant end = span.end().isAfter(to) ? to : span.end();
            Duration time = end.isAfter(start) ? Duration.between(start, end) : Duration.ZERO;
            Activity activity = span.activity();
            String key = activity.state() == ActivityState.ACTIVE ? what(activity)
                    : "(" + state(activity.state()) + ")";
            totals.merge(key, time, Duration::plus);
        }
        Map<String, Duration> sorted = new LinkedHashMap<>();
        totals.entrySet().stream()
                .sorted(Map.Entry.<String, Duration>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
        return sorted;
    }

    private record Line(Instant start, String text) {}
}
