package com.xentracker.collector;

import com.xentracker.collector.browser.BrowserEndpointConfig;
import com.xentracker.collector.buffer.BufferConfig;
import com.xentracker.collector.enrollment.EnrollmentSettings;
import com.xentracker.collector.logging.LogFormat;
import com.xentracker.collector.recording.RecorderConfig;
import com.xentracker.collector.upload.UploaderConfig;
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
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The agent's settings; immutable, each part built and validated once.
 *
 * <p>Keys (in configuration files, as {@code XT_AGENT_…} environment variables and as {@code --key value} options;
 * {@link ConfigLayers} layers them): {@code data-dir} (default {@code ~/.xentracker/agent}; {@code %u} stands
 * for the user's name), {@code poll-interval} (1s), {@code idle-threshold} (3m), {@code upload-interval} (30s),
 * {@code collect-window-titles} (true), {@code buffer-max-size} (512MiB), {@code buffer-max-age} (90d),
 * {@code sent-history} (7d), {@code browser-endpoint-enabled} (true), {@code trust-system-store} (false),
 * {@code log-format} (text; or json), the
 * browser endpoint's keys ({@link BrowserEndpointConfig}) and the silent enrollment's ({@link EnrollmentSettings}).
 * Durations are written {@code 500ms}, {@code 1s}, {@code 3m}, {@code 1h}, {@code 7d} or in ISO-8601
 * ({@code PT1S}); sizes in bytes or with {@code KiB}, {@code MiB}, {@code GiB}.
 *
 * <p>What is collected is the organization's decision (its collection policy, from the server); a local setting can
 * only collect less: {@code collect-window-titles=false} refuses titles even where the policy collects them, and
 * {@code true} cannot collect them where it does not. The policy also sets the idle threshold; the local
 * {@code idle-threshold} is no longer used (the agent warns when it differs).
 *
 * @param dataDir             where the enrollment and the span buffer live
 * @param recorder            poll interval, idle threshold (superseded by the policy), the local title ceiling
 * @param uploader            upload interval and back-off
 * @param buffer              the span buffer's bounds and sent history
 * @param browserEndpointEnabled whether the agent listens for the browser extension on 127.0.0.1
 *                            ({@code browser-endpoint-enabled}, default true)
 * @param browserEndpoint     the endpoint's settings ({@code browser-endpoint-port}, {@code browser-extension-ids},
 *                            {@code browser-shared-token}, … see {@link BrowserEndpointConfig})
 * @param trustSystemStore    {@code trust-system-store} (default false): also trust the operating system's (the
 *                            JDK's) certificate authorities for the server, beside the CA pinned at enrollment; for a
 *                            server behind a load balancer with a publicly trusted certificate. Off, a CA that any
 *                            public authority could be made to sign for cannot intercept the agent
 * @param enrollment          where a device that is not enrolled yet enrolls at its first start, without a prompt
 * @param logFormat           {@code log-format}: {@code text} (default) or {@code json}, one JSON object per line
 */
public record AgentConfig(Path dataDir, RecorderConfig recorder, UploaderConfig uploader, BufferConfig buffer,
        boolean browserEndpointEnabled, BrowserEndpointConfig browserEndpoint, boolean trustSystemStore,
        EnrollmentSettings enrollment, LogFormat logFormat) {

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
    public static final List<String> KEYS = Stream.of(Stream.of(DATA_DIR, POLL_INTERVAL, IDLE_THRESHOLD,
            UPLOAD_INTERVAL, COLLECT_WINDOW_TITLES, BUFFER_MAX_SIZE, BUFFER_MAX_AGE, SENT_HISTORY,
            BROWSER_ENDPOINT_ENABLED, TRUST_SYSTEM_STORE, LOG_FORMAT), BrowserEndpointConfig.KEYS.stream(),
            EnrollmentSettings.KEYS.stream()).flatMap(keys -> keys).toList();
    /** Keys whose value is a file: relative values in a configuration file are relative to that file's directory. */
    public static final List<String> PATH_KEYS = List.of(DATA_DIR, EnrollmentSettings.SERVER_CA_FILE,
            EnrollmentSettings.TOKEN_FILE);

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kib|mib|gib)?");

    public AgentConfig {
        Objects.requireNonNull(dataDir, DATA_DIR);
        Objects.requireNonNull(recorder, "recorder");
        Objects.requireNonNull(uploader, "uploader");
        Objects.requireNonNull(buffer, "buffer");
        Objects.requireNonNull(browserEndpoint, "browserEndpoint");
        Objects.requireNonNull(enrollment, "enrollment");
        Objects.requireNonNull(logFormat, "logFormat");
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** All defaults; the data directory is {@code ~/.xentracker/agent} of the user running the agent. */
    public static AgentConfig defaults() {
        return new AgentConfig(Path.of(System.getProperty("user.home"), ".xentracker", "agent"),
                RecorderConfig.defaults(), UploaderConfig.of(UploaderConfig.DEFAULT_UPLOAD_INTERVAL),
                BufferConfig.defaults(), true, BrowserEndpointConfig.defaults(), false, EnrollmentSettings.none(),
                LogFormat.TEXT);
    }

    /**
     * Defaults overridden by the properties file (only that file: {@link ConfigLayers} adds the system file,
     * the environment and the command line).
     *
     * @throws InvalidConfigException when the file cannot be read, or has an unknown key or a bad value
     */
    public static AgentConfig load(Path propertiesFile) {
        Objects.requireNonNull(propertiesFile, "propertiesFile");
        return defaults().with(ConfigLayers.read(propertiesFile));
    }

    /** This configuration with every key present in {@code properties} replaced; an unknown key is an error. */
    public AgentConfig with(Properties properties) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            settings.put(key, properties.getProperty(key));
        }
        return with(settings);
    }

    /**
     * This configuration with one key replaced.
     *
     * @throws InvalidConfigException for an unknown key or a value that does not parse or is out of range
     */
    public AgentConfig with(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        return with(Map.of(key, value));
    }

    /**
     * This configuration with the given keys replaced, each part rebuilt (and validated) once.
     *
     * @throws InvalidConfigException for an unknown key or a value that does not parse or is out of range
     */
    public AgentConfig with(Map<String, String> settings) {
        return with(settings, key -> "");
    }

    /** {@link #with(Map)}, naming where each key was set ({@code origin}) in the message of a bad value. */
    AgentConfig with(Map<String, String> settings, Function<String, String> origin) {
        Builder builder = new Builder(this);
        settings.forEach((key, value) -> {
            try {
                builder.set(key, value);
            } catch (InvalidConfigException e) {
                String where = origin.apply(key);
                if (where.isEmpty()) {
                    throw e;
                }
                throw new InvalidConfigException("in " + where + ": " + e.getMessage(), e);
            }
        });
        return builder.build();
    }

    /** The poll interval ({@link RecorderConfig#pollInterval()}). */
    public Duration pollInterval() {
        return recorder.pollInterval();
    }

    /** The local idle threshold, superseded by the policy's ({@link RecorderConfig#idleThreshold()}). */
    public Duration idleThreshold() {
        return recorder.idleThreshold();
    }

    /** False: this device refuses window titles even where the policy collects them. */
    public boolean collectWindowTitles() {
        return recorder.collectWindowTitles();
    }

    /** The upload interval ({@link UploaderConfig#uploadInterval()}). */
    public Duration uploadInterval() {
        return uploader.uploadInterval();
    }

    /** The buffer's size bound ({@link BufferConfig#maxSizeBytes()}). */
    public long bufferMaxSize() {
        return buffer.maxSizeBytes();
    }

    /** The buffer's age bound for unsent spans ({@link BufferConfig#maxAge()}). */
    public Duration bufferMaxAge() {
        return buffer.maxAge();
    }

    /** How long sent spans stay for {@code show} ({@link BufferConfig#sentHistory()}). */
    public Duration sentHistory() {
        return buffer.sentHistory();
    }

    /** The span buffer file in the data directory. */
    public Path bufferFile() {
        return dataDir.resolve("buffer.db");
    }

    /**
     * Key to value, as the agent logs its effective configuration; secrets (the browser's shared token, an inline
     * enrollment token) are masked.
     */
    public Map<String, String> describe() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(DATA_DIR, dataDir.toString());
        map.put(POLL_INTERVAL, format(recorder.pollInterval()));
        map.put(IDLE_THRESHOLD, format(recorder.idleThreshold()));
        map.put(UPLOAD_INTERVAL, format(uploader.uploadInterval()));
        map.put(COLLECT_WINDOW_TITLES, Boolean.toString(recorder.collectWindowTitles()));
        map.put(BUFFER_MAX_SIZE, formatSize(buffer.maxSizeBytes()));
        map.put(BUFFER_MAX_AGE, format(buffer.maxAge()));
        map.put(SENT_HISTORY, format(buffer.sentHistory()));
        map.put(BROWSER_ENDPOINT_ENABLED, Boolean.toString(browserEndpointEnabled));
        map.put(TRUST_SYSTEM_STORE, Boolean.toString(trustSystemStore));
        map.put(LOG_FORMAT, logFormat.name().toLowerCase(java.util.Locale.ROOT));
        map.putAll(browserEndpoint.describe());
        map.putAll(enrollment.describe());
        return map;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        describe().forEach((key, value) -> text.append(text.length() == 0 ? "" : ", ").append(key).append('=')
                .append(value));
        return text.toString();
    }

    /** The settings as plain values, set key by key, then each part built once. */
    private static final class Builder {
        private Path dataDir;
        private Duration pollInterval;
        private Duration idleThreshold;
        private boolean collectWindowTitles;
        private Duration uploadInterval;
        private long bufferMaxSize;
        private Duration bufferMaxAge;
        private Duration sentHistory;
        private boolean browserEndpointEnabled;
        private BrowserEndpointConfig browserEndpoint;
        private boolean trustSystemStore;
        private EnrollmentSettings enrollment;
        private LogFormat logFormat;
        private boolean uploaderChanged;
        private boolean recorderChanged;
        private boolean bufferChanged;
        private final AgentConfig base;

        Builder(AgentConfig base) {
            this.base = base;
            dataDir = base.dataDir;
            pollInterval = base.recorder.pollInterval();
            idleThreshold = base.recorder.idleThreshold();
            collectWindowTitles = base.recorder.collectWindowTitles();
            uploadInterval = base.uploader.uploadInterval();
            bufferMaxSize = base.buffer.maxSizeBytes();
            bufferMaxAge = base.buffer.maxAge();
            sentHistory = base.buffer.sentHistory();
            browserEndpointEnabled = base.browserEndpointEnabled;
            browserEndpoint = base.browserEndpoint;
            trustSystemStore = base.trustSystemStore;
            enrollment = base.enrollment;
            logFormat = base.logFormat;
        }

        void set(String rawKey, String value) {
            Objects.requireNonNull(rawKey, "key");
            Objects.requireNonNull(value, "value");
            String key = rawKey.strip();
            String v = value.strip();
            switch (key) {
                case DATA_DIR -> dataDir = path(v);
                case POLL_INTERVAL -> {
                    pollInterval = duration(key, v);
                    recorderChanged = true;
                }
                case IDLE_THRESHOLD -> {
                    idleThreshold = duration(key, v);
                    recorderChanged = true;
                }
                case COLLECT_WINDOW_TITLES -> {
                    collectWindowTitles = bool(key, v);
                    recorderChanged = true;
                }
                case UPLOAD_INTERVAL -> {
                    uploadInterval = duration(key, v);
                    uploaderChanged = true;
                }
                case BUFFER_MAX_SIZE -> {
                    bufferMaxSize = size(key, v);
                    bufferChanged = true;
                }
                case BUFFER_MAX_AGE -> {
                    bufferMaxAge = duration(key, v);
                    bufferChanged = true;
                }
                case SENT_HISTORY -> {
                    sentHistory = duration(key, v);
                    bufferChanged = true;
                }
                case BROWSER_ENDPOINT_ENABLED -> browserEndpointEnabled = bool(key, v);
                case TRUST_SYSTEM_STORE -> trustSystemStore = bool(key, v);
                case LOG_FORMAT -> logFormat = LogFormat.of(v);
                default -> {
                    if (BrowserEndpointConfig.KEYS.contains(key)) {
                        try {
                            browserEndpoint = browserEndpoint.with(key, v);
                        } catch (IllegalArgumentException e) {
                            throw new InvalidConfigException(e.getMessage(), e);
                        }
                    } else if (EnrollmentSettings.KEYS.contains(key)) {
                        enrollment = enrollment.with(key, v);
                    } else {
                        throw new InvalidConfigException("unknown configuration key '" + rawKey + "'; known keys: "
                                + String.join(", ", KEYS));
                    }
                }
            }
        }

        AgentConfig build() {
            try {
                // each part once, and only when one of its keys changed; the parts validate their own ranges
                RecorderConfig recorder = recorderChanged
                        ? new RecorderConfig(pollInterval, idleThreshold, collectWindowTitles) : base.recorder;
                UploaderConfig uploader = uploaderChanged ? UploaderConfig.of(uploadInterval) : base.uploader;
                BufferConfig buffer = bufferChanged
                        ? new BufferConfig(bufferMaxSize, bufferMaxAge, sentHistory) : base.buffer;
                return new AgentConfig(dataDir, recorder, uploader, buffer, browserEndpointEnabled, browserEndpoint,
                        trustSystemStore, enrollment, logFormat);
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException(e.getMessage(), e);
            }
        }
    }

    private static Path path(String value) {
        if (value.isEmpty()) {
            throw new InvalidConfigException(DATA_DIR + " is empty");
        }
        String home = value.equals("~") || value.startsWith("~/")
                ? System.getProperty("user.home") + value.substring(1) : value;
        // %u: the user's name, so that one system-wide setting gives every user of a shared machine a directory
        // (and so a device identity) of their own; %% is a per cent sign
        String expanded = home.replace("%%", "\u0000").replace("%u", System.getProperty("user.name"))
                .replace("\u0000", "%");
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
