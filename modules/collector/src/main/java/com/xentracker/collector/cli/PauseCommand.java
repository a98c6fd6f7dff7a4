package com.xentracker.collector.cli;

import com.xentracker.collector.AgentConfig;
import com.xentracker.collector.InvalidConfigException;
import com.xentracker.collector.policy.PolicyCache;
import com.xentracker.collector.policy.PrivateTime;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "pause", description = {
        "Start private time, if your organization's policy allows it: until you resume (or for the given time),"
                + " the agent records only that the time was paused, nothing about what you do.",
        "The running agent notices within one poll interval."})
final class PauseCommand implements Callable<Integer> {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(s|m|h)");
    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("EEE HH:mm", Locale.ROOT);

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions options;

    @Option(names = "--for", paramLabel = "DURATION",
            description = "How long, e.g. 30m, 1h or PT45M. Without it, private time lasts until `resume`.")
    private String length;

    /** The device's zone, so that the end is shown in local time. */
    private final Clock clock = Clock.systemDefaultZone();

    @Override
    public Integer call() {
        AgentConfig config = options.config();
        Optional<Duration> duration = Optional.ofNullable(length).map(PauseCommand::duration);
        PrivateTime privateTime = PrivateTime.in(config.dataDir(), PolicyCache.open(config.dataDir()), clock);
        Instant until = privateTime.pause(duration);
        PrintWriter out = spec.commandLine().getOut();
        if (until.equals(Instant.MAX)) {
            out.println("Private time started. Until you resume, only paused time is recorded.");
        } else {
            ZonedDateTime end = until.atZone(clock.getZone());
            out.printf("Private time started, until %s (%s). Until then only paused time is recorded.%n",
                    LOCAL_TIME.format(end), end.toOffsetDateTime());
        }
        out.println("End it earlier with: " + options.agentCommand() + " resume"
                + options.repeatedOptions());
        return ExitCodes.OK;
    }

    /** {@code 30m}, {@code 1h}, {@code 90s} or ISO-8601 ({@code PT30M}); positive. */
    static Duration duration(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        Duration duration;
        try {
            Matcher match = SHORT_DURATION.matcher(value);
            if (match.matches()) {
                long amount = Long.parseLong(match.group(1));
                duration = switch (match.group(2)) {
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
            } else {
                duration = Duration.parse(value.toUpperCase(Locale.ROOT));
            }
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw new InvalidConfigException("--for must be a duration such as 30m, 1h or PT45M; got '" + text + "'", e);
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new InvalidConfigException("--for must be positive; got '" + text + "'");
        }
        return duration;
    }
}
