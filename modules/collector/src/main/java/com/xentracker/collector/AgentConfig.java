package com.xentracker.collector;

import com.xentracker.collector.recording.RecorderConfig;
import com.xentracker.collector.upload.UploaderConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's settings; immutable and validated on construction.
 *
 * <p>Keys (in a properties file and as {@code --key value} options): {@code data-dir} (default
 * {@code ~/.xentracker/agent}), {@code poll-interval} (1s), {@code idle-threshold} (3m), {@code upload-interval}
 * (10s), {@code collect-window-titles} (true). Durations are written {@code 500ms}, {@code 1s}, {@code 3m},
 * {@code 1h} or in ISO-8601 ({@code PT1S}).
 *
 * <p>What is collected is the organization's decision (its collection policy, from the server); a local setting can
 * only collect less: {@code collect-window-titles=false} refuses titles even where the policy collects them, and
 * {@code true} cannot collect them where it does not. The policy also sets the idle threshold; the local
 * {@code idle-threshold} is no longer used (the agent warns when it differs).
 *
 * @param dataDir             where the enrollment and the span buffer live
 * @param pollInterval        time between two observations
 * @param idleThreshold       superseded by the organization's policy (see above)
 * @param uploadInterval      time between two uploads while the server answers
 * @param collectWindowTitles false to never store window titles on this device; true (default) to store them where
 *                            the organization's policy collects them
 */
public record AgentConfig(Path dataDir, Duration pollInterval, Duration idleThreshold, Duration uploadInterval,
        boolean collectWindowTitles) {

    public static final String DATA_DIR = "data-dir";
    public static final String POLL_INTERVAL = "poll-interval";
    public static final String IDLE_THRESHOLD = "idle-threshold";
    public static final String UPLOAD_INTERVAL = "upload-interval";
    public static final String COLLECT_WINDOW_TITLES = "collect-window-titles";
    /** Every key, in the order {@link #describe()} lists them. */
    public static final List<String> KEYS =
            List.of(DATA_DIR, POLL_INTERVAL, IDLE_THRESHOLD, UPLOAD_INTERVAL, COLLECT_WINDOW_TITLES);

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    public AgentConfig {
        Objects.requireNonNull(dataDir, DATA_DIR);
        Objects.requireNonNull(pollInterval, POLL_INTERVAL);
        Objects.requireNonNull(idleThreshold, IDLE_THRESHOLD);
        Objects.requireNonNull(uploadInterval, UPLOAD_INTERVAL);
        dataDir = dataDir.toAbsolutePath().normalize();
        try {
            // the components validate their own ranges; one place states each rule
            new RecorderConfig(pollInterval, idleThreshold, collectWindowTitles);
            UploaderConfig.of(uploadInterval);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(e.getMessage(), e);
        }
    }

    /** All defaults; the data directory is {@code ~/.xentracker/agent} of the user running the agent. */
    public static AgentConfig defaults() {
        return new AgentConfig(Path.of(System.getProperty("user.home"), ".xentracker", "agent"),
                RecorderConfig.DEFAULT_POLL_INTERVAL, RecorderConfig.DEFAULT_IDLE_THRESHOLD,
                UploaderConfig.DEFAULT_UPLOAD_INTERVAL, true);
    }

    /**
     * Defaults overridden by the properties file.
     *
     * @throws InvalidConfigException when the file cannot be read, or has an unknown key or a bad value
     */
    public static AgentConfig load(Path propertiesFile) {
        Objects.requireNonNull(propertiesFile, "propertiesFile");
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(propertiesFile, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new InvalidConfigException("cannot read the configuration file " + propertiesFile + ": " + e, e);
        }
        return defaults().with(properties);
    }

    /** This configuration with every key present in {@code properties} replaced; an unknown key is an error. */
    public AgentConfig with(Properties properties) {
        AgentConfig config = this;
        for (String key : properties.stringPropertyNames()) {
            config = config.with(key, properties.getProperty(key));
        }
        return config;
    }

    /**
     * This configuration with one key replaced.
     *
     * @throws InvalidConfigException for an unknown key or a value that does not parse or is out of range
     */
    public AgentConfig with(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        String v = value.strip();
        return switch (key.strip()) {
            case DATA_DIR -> new AgentConfig(path(v), pollInterval, idleThreshold, uploadInterval, collectWindowTitles);
            case POLL_INTERVAL -> new AgentConfig(dataDir, duration(key, v), idleThreshold, uploadInterval,
                    collectWindowTitles);
            case IDLE_THRESHOLD -> new AgentConfig(dataDir, pollInterval, duration(key, v), uploadInterval,
                    collectWindowTitles);
            case UPLOAD_INTERVAL -> new AgentConfig(dataDir, pollInterval, idleThreshold, duration(key, v),
                    collectWindowTitles);
            case COLLECT_WINDOW_TITLES -> new AgentConfig(dataDir, pollInterval, idleThreshold, uploadInterval,
                    bool(key, v));
            default -> throw new InvalidConfigException("unknown configuration key '" + key + "'; known keys: "
                    + String.join(", ", KEYS));
        };
    }

    /** The recorder's part. */
    public RecorderConfig recorder() {
        return new RecorderConfig(pollInterval, idleThreshold, collectWindowTitles);
    }

    /** The uploader's part. */
    public UploaderConfig uploader() {
        return UploaderConfig.of(uploadInterval);
    }

    /** The span buffer file in the data directory. */
    public Path bufferFile() {
        return dataDir.resolve("buffer.db");
    }

    /** Key to value, as the agent logs its effective configuration (there are no secrets in it). */
    public Map<String, String> describe() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(DATA_DIR, dataDir.toString());
        map.put(POLL_INTERVAL, format(pollInterval));
        map.put(IDLE_THRESHOLD, format(idleThreshold));
        map.put(UPLOAD_INTERVAL, format(uploadInterval));
        map.put(COLLECT_WINDOW_TITLES, Boolean.toString(collectWindowTitles));
        return map;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        describe().forEach((key, value) -> text.append(text.length() == 0 ? "" : ", ").append(key).append('=')
                .append(value));
        return text.toString();
    }

    private static Path path(String value) {
        if (value.isEmpty()) {
            throw new InvalidConfigException(DATA_DIR + " is empty");
        }
        String expanded = value.equals("~") || value.startsWith("~/")
                ? System.getProperty("user.home") + value.substring(1) : value;
        try {
            return Path.of(expanded);
        } catch (InvalidPathException e) {
            throw new InvalidConfigException(DATA_DIR + " is not a valid path: " + value, e);
        }
    }

    private static Duration duration(String key, String value) {
        Matcher match = SHORT_DURATION.matcher(value.toLowerCase(Locale.ROOT));
        try {
            if (match.matches()) {
                long amount = Long.parseLong(match.group(1));
                return switch (match.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
            }
            return Duration.parse(value);
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw new InvalidConfigException(key + " must be a duration such as 500ms, 1s, 3m, 1h or PT1S; got '"
                    + value + "'", e);
        }
    }

    private static boolean bool(String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidConfigException(key + " must be true or false; got '" + value + "'");
        };
    }

    private static String format(Duration duration) {
        if (duration.toNanosPart() % 1_000_000 != 0) {
            return duration.toString();
        }
        if (duration.toMillisPart() != 0 || duration.isZero()) {
            return duration.toMillis() + "ms";
        }
        if (duration.toSecondsPart() != 0) {
            return duration.toSeconds() + "s";
        }
        if (duration.toMinutesPart() != 0) {
            return duration.toMinutes() + "m";
        }
        return duration.toHours() + "h";
    }
}
