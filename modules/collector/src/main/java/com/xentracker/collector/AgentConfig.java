package com.xentracker.collector;

import com.xentracker.collector.browser.BrowserEndpointConfig;
import com.xentracker.collector.buffer.BufferConfig;
import com.xentracker.collector.logging.LogFormat;
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
import java.util.stream.Stream;

/**
 * The agent's settings; immutable and validated on construction.
 *
 * <p>Keys (in a properties file and as {@code --key value} options): {@code data-dir} (default
 * {@code ~/.xentracker/agent}), {@code poll-interval} (1s), {@code idle-threshold} (3m), {@code upload-interval}
 * (30s), {@code collect-window-titles} (true), {@code buffer-max-size} (512MiB), {@code buffer-max-age} (90d),
 * {@code sent-history} (7d), {@code log-format} (text; or json). Durations are written {@code 500ms}, {@code 1s}, {@code 3m}, {@code 1h}, {@code 7d} or
 * in ISO-8601 ({@code PT1S}); sizes in bytes or with {@code KiB}, {@code MiB}, {@code GiB}.
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
 * @param bufferMaxSize       bound on the buffer file's bytes in use; beyond it the oldest unsent spans are dropped
 *                            and a gap recorded
 * @param bufferMaxAge        unsent spans older than this are dropped and a gap recorded
 * @param sentHistory         how long acknowledged spans stay in the buffer, marked as sent, for {@code show}
 * @param browserEndpointEnabled whether the agent listens for the browser extension on 127.0.0.1
 *                            ({@code browser-endpoint-enabled}, default true)
 * @param browserEndpoint     the endpoint's settings ({@code browser-endpoint-port}, {@code browser-extension-ids},
 *                            {@code browser-shared-token}, … see {@link BrowserEndpointConfig})
 * @param trustSystemStore    {@code trust-system-store} (default false): also trust the operating system's (the
 *                            JDK's) certificate authorities for the server, beside the CA pinned at enrollment; for a
 *                            server behind a load balancer with a publicly trusted certificate. Off, a CA that any
 *                            public authority could be made to sign for cannot intercept the agent
 * @param logFormat           {@code log-format}: {@code text} (default) or {@code json}, one JSON object per line
 */
public record AgentConfig(Path dataDir, Duration pollInterval, Duration idleThreshold, Duration uploadInterval,
        boolean collectWindowTitles, long bufferMaxSize, Duration bufferMaxAge, Duration sentHistory,
        boolean browserEndpointEnabled, BrowserEndpointConfig browserEndpoint, boolean trustSystemStore,
        LogFormat logFormat) {

    public static final String DATA_DIR = "data-dir";
    public static final String POLL_INTERVAL = "poll-interval";
    public static final String IDLE_THRESHOLD = "idle-threshold";
    public static final String UPLOAD_INTERVAL = "upload-interval";
    public static final String COLLECT_WINDOW_TITLES = "collect-window-titles";
    public static final String BUFFER_MAX_SIZE = "buffer-max-size";
    public static final String BUFFER_MAX_AGE = "buffer-max-age";
    public static final String SENT_HISTORY = "sent-history";
    public static final String BROWSER_ENDPOINT_ENABLED = "browser-endpoint-enabled";
    public static final String TRUST_SYSTEM_STORE = "trust-system-store";
    public static final String LOG_FORMAT = "log-format";
    /** Every key, in the order {@link #describe()} lists them. */
    public static final List<String> KEYS = Stream.concat(Stream.of(DATA_DIR, POLL_INTERVAL, IDLE_THRESHOLD,
            UPLOAD_INTERVAL, COLLECT_WINDOW_TITLES, BUFFER_MAX_SIZE, BUFFER_MAX_AGE, SENT_HISTORY,
            BROWSER_ENDPOINT_ENABLED, TRUST_SYSTEM_STORE, LOG_FORMAT), BrowserEndpointConfig.KEYS.stream()).toList();

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kib|mib|gib)?");

    public AgentConfig {
        Objects.requireNonNull(dataDir, DATA_DIR);
        Objects.requireNonNull(pollInterval, POLL_INTERVAL);
        Objects.requireNonNull(idleThreshold, IDLE_THRESHOLD);
        Objects.requireNonNull(uploadInterval, UPLOAD_INTERVAL);
        Objects.requireNonNull(bufferMaxAge, BUFFER_MAX_AGE);
        Objects.requireNonNull(sentHistory, SENT_HISTORY);
        Objects.requireNonNull(browserEndpoint, "browserEndpoint");
        dataDir = dataDir.toAbsolutePath().normalize();
        try {
            // the components validate their own ranges; one place states each rule
            new RecorderConfig(pollInterval, idleThreshold, collectWindowTitles);
            UploaderConfig.of(uploadInterval);
            new BufferConfig(bufferMaxSize, bufferMaxAge, sentHistory);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(e.getMessage(), e);
        }
    }

    /** All defaults; the data directory is {@code ~/.xentracker/agent} of the user running the agent. */
    public static AgentConfig defaults() {
        return new AgentConfig(Path.of(System.getProperty("user.home"), ".xentracker", "agent"),
                RecorderConfig.DEFAULT_POLL_INTERVAL, RecorderConfig.DEFAULT_IDLE_THRESHOLD,
                UploaderConfig.DEFAULT_UPLOAD_INTERVAL, true, BufferConfig.DEFAULT_MAX_SIZE_BYTES,
                BufferConfig.DEFAULT_MAX_AGE, BufferConfig.DEFAULT_SENT_HISTORY, true,
                BrowserEndpointConfig.defaults(), false, LogFormat.TEXT);
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
            case DATA_DIR -> new AgentConfig(path(v), pollInterval, idleThreshold, uploadInterval, collectWindowTitles,
                    bufferMaxSize, bufferMaxAge, sentHistory, browserEndpointEnabled,
                    browserEndpoint, trustSystemStore, logFormat);
            case POLL_INTERVAL -> new AgentConfig(dataDir, duration(key, v), idleThreshold, uploadInterval,
                    collectWindowTitles, bufferMaxSize, bufferMaxAge, sentHistory, browserEndpointEnabled,
                    browserEndpoint, trustSystemStore, logFormat);
            case IDLE_THRESHOLD -> new AgentConfig(dataDir, pollInterval, duration(key, v), uploadInterval,
                    collectWindowTitles, bufferMaxSize, bufferMaxAge, sentHistory, browserEndpointEnabled,
                    browserEndpoint, trustSystemStore, logFormat);
            case UPLOAD_INTERVAL -> new AgentConfig(dataDir, pollInterval, idleThreshold, duration(key, v),
                    collectWindowTitles, bufferMaxSize, bufferMaxAge, sentHistory, browserEndpointEnabled,
                    browserEndpoint, trustSystemStore, logFormat);
            case COLLECT_WINDOW_TITLES -> new AgentConfig(dataDir, pollInterval, idleThreshold, uploadInterval,
                    bool(key, v), bufferMaxSize, bufferMaxAge, sentHistory, browserEndpointEnabled,
                    browserEndpoint, trustSystemStore, logFormat);
            case BUFFER_MAX_SIZE -> new AgentConfig(dataDir, pollInterval, idleThreshold, uploadInterval,
                    collectWindowTitles, size(key, v), bufferMaxAge, sentHistory, browserEndpointEnabled,
                    browserEndpoint, trustSystemStore, logFormat);
            case BUFFER_MAX_AGE -> new AgentConfig(dataDir, pollInterval, idleThreshold, uploadInterval,
                    collectWindowTitles, bufferMaxSize, duration(key, v), sentHistory, browserEndpointEnabled,
                    browserEndpoint, trustSystemStore, logFormat);
            case SENT_HISTORY -> new AgentConfig(dataDir, pollInterval, idleThreshold, uploadInterval,
                    collectWindowTitles, bufferMaxSize, bufferMaxAge, duration(key, v), browserEndpointEnabled,
                    browserEndpoint, trustSystemStore, logFormat);
            case TRUST_SYSTEM_STORE -> new AgentConfig(dataDir, pollInterval, idleThreshold, uploadInterval,
                    collectWindowTitles, bufferMaxSize, bufferMaxAge, sentHistory, browserEndpointEnabled,
                    browserEndpoint, bool(key, v), logFormat);
            case BROWSER_ENDPOINT_ENABLED -> new AgentConfig(dataDir, pollInterval, idleThreshold, uploadInterval,
                    collectWindowTitles, bufferMaxSize, bufferMaxAge, sentHistory, bool(key, v), browserEndpoint,
                    trustSystemStore, logFormat);
            case LOG_FORMAT -> new AgentConfig(dataDir, pollInterval, idleThreshold, uploadInterval,
                    collectWindowTitles, bufferMaxSize, bufferMaxAge, sentHistory, browserEndpointEnabled,
                    browserEndpoint, trustSystemStore, LogFormat.of(v));
            default -> {
                if (!BrowserEndpointConfig.KEYS.contains(key.strip())) {
                    throw new InvalidConfigException("unknown configuration key '" + key + "'; known keys: "
                            + String.join(", ", KEYS));
                }
                try {
                    yield new AgentConfig(dataDir, pollInterval, idleThreshold, uploadInterval, collectWindowTitles,
                            bufferMaxSize, bufferMaxAge, sentHistory, browserEndpointEnabled,
                            browserEndpoint.with(key.strip(), v), trustSystemStore, logFormat);
                } catch (IllegalArgumentException e) {
                    throw new InvalidConfigException(e.getMessage(), e);
                }
            }
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

    /** The span buffer's part. */
    public BufferConfig buffer() {
        return new BufferConfig(bufferMaxSize, bufferMaxAge, sentHistory);
    }

    /** The span buffer file in the data directory. */
    public Path bufferFile() {
        return dataDir.resolve("buffer.db");
    }

    /** Key to value, as the agent logs its effective configuration; the browser's shared token is masked. */
    public Map<String, String> describe() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(DATA_DIR, dataDir.toString());
        map.put(POLL_INTERVAL, format(pollInterval));
        map.put(IDLE_THRESHOLD, format(idleThreshold));
        map.put(UPLOAD_INTERVAL, format(uploadInterval));
        map.put(COLLECT_WINDOW_TITLES, Boolean.toString(collectWindowTitles));
        map.put(BUFFER_MAX_SIZE, formatSize(bufferMaxSize));
        map.put(BUFFER_MAX_AGE, format(bufferMaxAge));
        map.put(SENT_HISTORY, format(sentHistory));
        map.put(BROWSER_ENDPOINT_ENABLED, Boolean.toString(browserEndpointEnabled));
        map.put(TRUST_SYSTEM_STORE, Boolean.toString(trustSystemStore));
        map.put(LOG_FORMAT, logFormat.name().toLowerCase(java.util.Locale.ROOT));
        map.putAll(browserEndpoint.describe());
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
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            }
            return Duration.parse(value);
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw new InvalidConfigException(key + " must be a duration such as 500ms, 1s, 3m, 1h, 7d or PT1S; got '"
                    + value + "'", e);
        }
    }

    private static long size(String key, String value) {
        Matcher match = SIZE.matcher(value.toLowerCase(Locale.ROOT));
        if (!match.matches()) {
            throw new InvalidConfigException(key + " must be a size such as 512MiB, 1GiB, 64KiB or a number of bytes;"
                    + " got '" + value + "'");
        }
        try {
            long amount = Long.parseLong(match.group(1));
            String unit = match.group(2) == null ? "b" : match.group(2);
            return switch (unit) {
                case "kib" -> Math.multiplyExact(amount, 1024L);
                case "mib" -> Math.multiplyExact(amount, 1024L * 1024);
                case "gib" -> Math.multiplyExact(amount, 1024L * 1024 * 1024);
                default -> amount;
            };
        } catch (ArithmeticException | NumberFormatException e) {
            throw new InvalidConfigException(key + " is too large: '" + value + "'", e);
        }
    }

    private static String formatSize(long bytes) {
        for (String unit : List.of("GiB", "MiB", "KiB")) {
            long factor = switch (unit) {
                case "GiB" -> 1024L * 1024 * 1024;
                case "MiB" -> 1024L * 1024;
                default -> 1024L;
            };
            if (bytes % factor == 0) {
                return bytes / factor + unit;
            }
        }
        return Long.toString(bytes);
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
        if (duration.toHoursPart() != 0) {
            return duration.toHours() + "h";
        }
        return duration.toDays() + "d";
    }
}
