package com.xentracker.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.collector.buffer.BufferConfig;
import com.xentracker.collector.buffer.SpanBuffer;
import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.Span;
import com.xentracker.core.activity.WebPage;
import com.xentracker.testing.clock.MutableClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code show} in-process on a real buffer file that a writer keeps open, as while the agent runs. Times are built in
 * the JVM's zone, the device's zone for the command.
 */
class ShowCommandTest {

    private static final ZoneId ZONE = ZoneId.systemDefault();
    private static final LocalDate DAY = LocalDate.of(2025, 3, 10);
    private static final Activity XTERM = Activity.active("xterm", "/usr/bin/xterm", Optional.empty());
    private static final Activity SHEET = Activity.active("libreoffice", "/usr/lib/libreoffice/program/soffice.bin",
            Optional.of("Budget 2025.ods"));

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void showPrintsEachSpanOfTheDayWithItsDeliveryAndTotalsPerApplication() {
        MutableClock clock = MutableClock.at(at(DAY, "07:30"));
        try (SpanBuffer agent = SpanBuffer.open(dir.resolve("buffer.db"),
                new BufferConfig(BufferConfig.DEFAULT_MAX_SIZE_BYTES, Duration.ofHours(1), Duration.ofDays(7)), clock)) {
            Span acrossMidnight = Span.of(at(DAY.minusDays(1), "23:59"), at(DAY, "00:01"), XTERM);
            agent.append(List.of(acrossMidnight));
            long first = agent.nextBatch(10).orElseThrow().sequence(); // assigned: safe from the age bound
            Span lost = Span.of(at(DAY, "06:00"), at(DAY, "07:00"), XTERM);
            agent.append(List.of(lost));
            Span sent = Span.of(at(DAY, "09:00"), at(DAY, "09:05"), XTERM);
            Span idle = Span.of(at(DAY, "09:05"), at(DAY, "09:06"), Activity.of(ActivityState.IDLE));
            Span withTitle = Span.of(at(DAY, "09:06"), at(DAY, "09:10"), SHEET);
            clock.advance(Duration.ofHours(3)); // 10:30: what ended an hour before the newest span is dropped
            agent.append(List.of(sent));
            agent.acknowledge(first, at(DAY, "09:12"));
            agent.acknowledge(agent.nextBatch(10).orElseThrow().sequence(), at(DAY, "09:12"));
            agent.record(List.of(idle, withTitle), Optional.of(Span.of(at(DAY, "09:10"), at(DAY, "09:10:30"), XTERM)));

            assertThat(show("--date", DAY.toString())).isEqualTo(ExitCodes.OK);
        }

        assertThat(out.toString()).contains("Recorded on 2025-03-10 (" + ZONE + ")").contains(
                "2025-03-09 23:59:00–00:01:00 active    xterm                    sent 09:12:00 (batch 1)\n",
                "06:00:00–07:00:00   GAP: this activity waited too long and was dropped unsent; the server is told:"
                        + " sent 09:12:00 (batch 2)\n",
                "09:00:00–09:05:00   active    xterm                    sent 09:12:00 (batch 2)\n",
                "09:05:00–09:06:00   idle                               not sent yet\n",
                "09:06:00–09:10:00   active    libreoffice              not sent yet  \"Budget 2025.ods\"\n",
                "09:10:00–           active    xterm                    recording now (last sample 09:10:30)\n",
                "  xterm                            6 min 30 s\n",
                "  libreoffice                      4 min\n",
                "  (idle)                           1 min\n",
                "2 of 5 spans sent to the server; 3 not yet.");
        assertThat(out.toString().chars().filter(c -> c == '"').count()).as("no title where none was stored")
                .isEqualTo(2);
    }

    @Test
    void showPrintsTheDomainOfBrowserTimeAndTheUrlWhereOneWasStored() {
        Activity chromium = Activity.active("chromium", "/usr/lib/chromium/chromium", Optional.empty());
        try (SpanBuffer agent = SpanBuffer.open(dir.resolve("buffer.db"))) {
            agent.append(List.of(
                    Span.of(at(DAY, "09:00"), at(DAY, "09:02"), chromium.withPage(WebPage.ofDomain("alpha.test"))),
                    Span.of(at(DAY, "09:02"), at(DAY, "09:03"),
                            chromium.withPage(WebPage.of("beta.test", "http://beta.test:8080/report")))));

            assertThat(show("--date", DAY.toString())).isEqualTo(ExitCodes.OK);
        }

        assertThat(out.toString()).contains(
                "09:00:00–09:02:00   active    chromium alpha.test      not sent yet\n",
                "09:02:00–09:03:00   active    chromium beta.test       not sent yet  http://beta.test:8080/report\n",
                "  chromium alpha.test              2 min\n");
    }

    /**
     * The command reads the device's real clock, so "today" is the real one here. The span lies at noon (no zone
     * changes its clocks then); if midnight passes while the commands run, the check is made again for the new day.
     */
    @Test
    void todayIsTheDefault() {
        try (SpanBuffer agent = SpanBuffer.open(dir.resolve("buffer.db"))) {
            for (int attempt = 0; attempt < 2; attempt++) {
                LocalDate today = LocalDate.now(ZONE);
                agent.append(List.of(Span.of(at(today, "12:00:01"), at(today, "12:00:04"), XTERM)));
                out.getBuffer().setLength(0);
                int plain = show();
                String shown = out.toString();
                out.getBuffer().setLength(0);
                int explicit = show("--today");
                if (!LocalDate.now(ZONE).equals(today)) {
                    continue;
                }

                assertThat(plain).isEqualTo(ExitCodes.OK);
                assertThat(shown).contains("Recorded on " + today).contains("12:00:01–12:00:04");
                assertThat(explicit).isEqualTo(ExitCodes.OK);
                assertThat(out.toString()).contains("Recorded on " + today).contains("12:00:01–12:00:04");
                return;
            }
            throw new AssertionError("the day changed twice while the test ran");
        }
    }

    @Test
    void aDayWithoutActivitySaysNothing() {
        try (SpanBuffer agent = SpanBuffer.open(dir.resolve("buffer.db"))) {
            agent.append(List.of(Span.of(at(DAY, "09:00"), at(DAY, "09:01"), XTERM)));
        }

        assertThat(show("--date", "2025-03-11")).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("Recorded on 2025-03-11").contains("  nothing").doesNotContain("xterm");
    }

    @Test
    void beforeAnythingWasRecordedShowSaysSo() {
        assertThat(show()).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("Nothing has been recorded on this device yet");
    }

    @Test
    void aMalformedDateOrTwoDaysAreUsageErrors() {
        assertThat(show("--date", "10.03.2025")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--date must be a day written YYYY-MM-DD");

        assertThat(show("--today", "--date", "2025-03-10")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("mutually exclusive");
    }

    private static Instant at(LocalDate day, String time) {
        return day.atTime(LocalTime.parse(time)).atZone(ZONE).toInstant();
    }

    private int show(String... options) {
        String[] args = new String[options.length + 3];
        args[0] = "show";
        args[1] = "--data-dir";
        args[2] = dir.toString();
        System.arraycopy(options, 0, args, 3, options.length);
        int code = AgentMain.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        System.out.println(String.join(" ", args) + " -> " + code + "\nstdout:\n" + out + "\nstderr:\n" + err);
        return code;
    }
}
