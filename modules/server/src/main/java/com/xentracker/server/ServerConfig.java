package com.xentracker.server;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The server's one immutable, validated configuration.
 *
 * <p>Settings come, lowest precedence first, from the defaults, a properties file, environment variables and the
 * command line. Keys are lower-case-dashed ({@code https-port}); the environment variable of a key is {@code XT_}
 * followed by the key upper-cased with underscores ({@code XT_HTTPS_PORT}).
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><td>{@code data-dir}</td><td>where the server keeps TLS material, the master key and the embedded database;
 *       default {@code ~/.xentracker/server}</td></tr>
 *   <tr><td>{@code https-port}</td><td>default 8443; 0 picks a free port</td></tr>
 *   <tr><td>{@code bind-address}</td><td>default {@code 127.0.0.1}</td></tr>
 *   <tr><td>{@code public-hostnames}</td><td>comma-separated names or addresses agents use to reach the server; put in
 *       the TLS certificate besides {@code localhost}, 127.0.0.1 and ::1</td></tr>
 *   <tr><td>{@code jdbc-url}, {@code jdbc-user}, {@code jdbc-password} or {@code jdbc-password-file}</td><td>an
 *       external PostgreSQL; without {@code jdbc-url} the server runs an embedded PostgreSQL under
 *       {@code data-dir/postgres}</td></tr>
 *   <tr><td>{@code jdbc-read-url}, {@code jdbc-read-user}, {@code jdbc-read-password} or
 *       {@code jdbc-read-password-file}</td><td>a hot standby of the external PostgreSQL for report and export reads
 *       (user and password default to the primary's); without it every read goes to the primary</td></tr>
 *   <tr><td>{@code read-max-lag}</td><td>how far the standby may be behind before reads go to the primary again, e.g.
 *       {@code 30s}, {@code 2m}, {@code 500ms} (a bare number is seconds); default 30 s</td></tr>
 *   <tr><td>{@code pool-size}</td><td>database connections (of each pool, the standby's too); default 10</td></tr>
 *   <tr><td>{@code master-key-file}</td><td>the 32-byte key that encrypts organization private keys; default
 *       {@code data-dir/master.key}, created on first start. Keep it off the database's backups.</td></tr>
 *   <tr><td>{@code metrics-port}</td><td>serves Prometheus {@code /metrics} over plain HTTP on this port (0: any
 *       free port), apart from the HTTPS port; default none (no metrics listener)</td></tr>
 *   <tr><td>{@code metrics-bind-address}</td><td>the metrics listener's address; default {@code 127.0.0.1}: only
 *       this host scrapes unless the operator binds it to a private network on purpose</td></tr>
 *   <tr><td>{@code log-format}</td><td>{@code text} (default) or {@code json}: one JSON object per line</td></tr>
 *   <tr><td>{@code trusted-proxies}</td><td>comma-separated IP addresses of the reverse proxies in front of this node;
 *       only their {@code X-Forwarded-For} says who the client is (sign-in throttling and history); default
 *       none</td></tr>
 * </table>
 *
 * {@link #toString()} and {@link #describe()} mask secrets, so the effective configuration can be logged.
 */
public record ServerConfig(Path dataDirectory, int httpsPort, String bindAddress, List<String> publicHostnames,
        Database database, int poolSize, Path masterKeyFile, List<String> trustedProxies,
        Observability observability, Optional<ReadReplica> readReplica) {

    public static final String DATA_DIR = "data-dir";
    public static final String HTTPS_PORT = "https-port";
    public static final String BIND_ADDRESS = "bind-address";
    public static final String PUBLIC_HOSTNAMES = "public-hostnames";
    public static final String JDBC_URL = "jdbc-url";
    public static final String JDBC_USER = "jdbc-user";
    public static final String JDBC_PASSWORD = "jdbc-password";
    public static final String JDBC_PASSWORD_FILE = "jdbc-password-file";
    public static final String POOL_SIZE = "pool-size";
    public static final String MASTER_KEY_FILE = "master-key-file";
    public static final String TRUSTED_PROXIES = "trusted-proxies";
    public static final String METRICS_PORT = "metrics-port";
    public static final String METRICS_BIND_ADDRESS = "metrics-bind-address";
    public static final String LOG_FORMAT = "log-format";
    public static final String JDBC_READ_URL = "jdbc-read-url";
    public static final String JDBC_READ_USER = "jdbc-read-user";
    public static final String JDBC_READ_PASSWORD = "jdbc-read-password";
    public static final String JDBC_READ_PASSWORD_FILE = "jdbc-read-password-file";
    public static final String READ_MAX_LAG = "read-max-lag";

    /** Every key this record understands; anything else in a file or on the command line is a mistake. */
    public static final Set<String> KEYS = Set.of(DATA_DIR, HTTPS_PORT, BIND_ADDRESS, PUBLIC_HOSTNAMES, JDBC_URL,
            JDBC_USER, JDBC_PASSWORD, JDBC_PASSWORD_FILE, POOL_SIZE, MASTER_KEY_FILE, TRUSTED_PROXIES, METRICS_PORT,
            METRICS_BIND_ADDRESS, LOG_FORMAT, JDBC_READ_URL, JDBC_READ_USER, JDBC_READ_PASSWORD, JDBC_READ_PASSWORD_FILE,
            READ_MAX_LAG);

    public static final int DEFAULT_HTTPS_PORT = 8443;
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_POOL_SIZE = 10;
    public static final Duration DEFAULT_READ_MAX_LAG = Duration.ofSeconds(30);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)?");
    private static final String MASK = "****";
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:\\-]+");
    /** An IPv4 or IPv6 literal (hex digits, dots and colons): never a name, so nothing is ever resolved. */
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f.:]{2,45}");

    /** How log lines are written: one line of text (the default), or one JSON object per line. */
    public enum LogFormat {
        TEXT, JSON;

        static LogFormat of(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "text" -> TEXT;
                case "json" -> JSON;
                default -> throw new InvalidConfigurationException(LOG_FORMAT + " is text or json, not '" + value
                        + "'");
            };
        }
    }

    /**
     * How operators watch the node: where {@code /metrics} is served and how log lines look.
     *
     * @param metricsPort        the port of the metrics listener (0: any free one); empty: no metrics listener
     * @param metricsBindAddress the address it binds, loopback unless the operator says otherwise
     * @param logFormat          text or JSON lines
     */
    public record Observability(java.util.OptionalInt metricsPort, String metricsBindAddress, LogFormat logFormat) {

        public Observability {
            Objects.requireNonNull(metricsPort, METRICS_PORT);
            Objects.requireNonNull(metricsBindAddress, METRICS_BIND_ADDRESS);
            Objects.requireNonNull(logFormat, LOG_FORMAT);
            if (metricsPort.isPresent() && (metricsPort.getAsInt() < 0 || metricsPort.getAsInt() > 65_535)) {
                throw new InvalidConfigurationException(METRICS_PORT + " must be between 0 and 65535, not "
                        + metricsPort.getAsInt());
            }
            if (!HOST.matcher(metricsBindAddress).matches()) {
                throw new InvalidConfigurationException(METRICS_BIND_ADDRESS + " must be an address or host name");
            }
        }

        /** No metrics listener, text logs. */
        public static Observability defaults() {
            return new Observability(java.util.OptionalInt.empty(), DEFAULT_BIND_ADDRESS, LogFormat.TEXT);
        }
    }

    /** Where the server's data lives. */
    public sealed interface Database permits EmbeddedDatabase, ExternalDatabase {
    }

    /** PostgreSQL run by the server itself, its data under {@code data-dir/postgres}, kept across restarts. */
    public record EmbeddedDatabase() implements Database {
    }

    /** A PostgreSQL run by someone else. The password may be empty (e.g. for certificate authentication). */
    public record ExternalDatabase(String jdbcUrl, String user, String password) implements Database {
        public ExternalDatabase {
            Objects.requireNonNull(jdbcUrl, JDBC_URL);
            Objects.requireNonNull(user, JDBC_USER);
            Objects.requireNonNull(password, JDBC_PASSWORD);
            if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new InvalidConfigurationException(JDBC_URL + " must start with jdbc:postgresql:");
            }
            if (user.isBlank()) {
                throw new InvalidConfigurationException(JDBC_USER + " is required with " + JDBC_URL);
            }
        }

        @Override
        public String toString() {
            return "ExternalDatabase[jdbcUrl=" + maskUrl(jdbcUrl) + ", user=" + user + ", password="
                    + (password.isEmpty() ? "(none)" : MASK) + "]";
        }
    }

    /**
     * A hot standby of the external PostgreSQL that report and export reads go to while it is up and at most
     * {@code maxLag} behind (docs/decisions/0050); writes, sessions, sign-in and the audit chain stay on the primary.
     *
     * @param database how to reach it: the same database name on the standby, a role it knows (the primary's roles are
     *                 replicated with everything else)
     * @param maxLag   how far behind the primary it may be; reads go to the primary while it is further behind
     */
    public record ReadReplica(ExternalDatabase database, Duration maxLag) {

        public static final Duration MINIMUM_LAG = Duration.ofSeconds(1);
        public static final Duration MAXIMUM_LAG = Duration.ofHours(24);

        public ReadReplica {
            Objects.requireNonNull(database, JDBC_READ_URL);
            Objects.requireNonNull(maxLag, READ_MAX_LAG);
            if (maxLag.compareTo(MINIMUM_LAG) < 0 || maxLag.compareTo(MAXIMUM_LAG) > 0) {
                throw new InvalidConfigurationException(READ_MAX_LAG + " must be between 1 s and 24 h, not "
                        + maxLag.toMillis() + " ms");
            }
        }

        /** A standby that may be at most {@link ServerConfig#DEFAULT_READ_MAX_LAG} behind. */
        public static ReadReplica of(ExternalDatabase database) {
            return new ReadReplica(database, DEFAULT_READ_MAX_LAG);
        }

        @Override
        public String toString() {
            return "ReadReplica[" + database + ", maxLag=" + maxLag + "]";
        }
    }

    public ServerConfig {
        Objects.requireNonNull(dataDirectory, DATA_DIR);
        Objects.requireNonNull(bindAddress, BIND_ADDRESS);
        Objects.requireNonNull(publicHostnames, PUBLIC_HOSTNAMES);
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(masterKeyFile, MASTER_KEY_FILE);
        dataDirectory = dataDirectory.toAbsolutePath().normalize();
        masterKeyFile = masterKeyFile.toAbsolutePath().normalize();
        if (httpsPort < 0 || httpsPort > 65_535) {
            throw new InvalidConfigurationException(HTTPS_PORT + " must be between 0 and 65535, not " + httpsPort);
        }
        if (!HOST.matcher(bindAddress).matches()) {
            throw new InvalidConfigurationException(BIND_ADDRESS + " must be an address or host name");
        }
        publicHostnames = List.copyOf(publicHostnames);
        for (String name : publicHostnames) {
            if (!HOST.matcher(name).matches()) {
                throw new InvalidConfigurationException(PUBLIC_HOSTNAMES + " has an invalid entry: '" + name + "'");
            }
        }
        if (poolSize < 1 || poolSize > 100) {
            throw new InvalidConfigurationException(POOL_SIZE + " must be between 1 and 100, not " + poolSize);
        }
        Objects.requireNonNull(observability, "observability");
        Objects.requireNonNull(readReplica, JDBC_READ_URL);
        if (readReplica.isPresent() && !(database instanceof ExternalDatabase)) {
            // the embedded PostgreSQL listens on a private socket that no standby can stream from
            throw new InvalidConfigurationException(JDBC_READ_URL + " needs " + JDBC_URL
                    + ": a read replica streams from an external PostgreSQL");
        }
        trustedProxies = List.copyOf(Objects.requireNonNull(trustedProxies, TRUSTED_PROXIES));
        for (String proxy : trustedProxies) {
            if (!IP_LITERAL.matcher(proxy).matches()) {
                throw new InvalidConfigurationException(TRUSTED_PROXIES + " lists IP addresses (no names, no ranges),"
                        + " not '" + proxy + "'");
            }
        }
    }

    /** The defaults, with data under {@code dataDirectory}: embedded PostgreSQL, port 8443 on 127.0.0.1. */
    public static ServerConfig forDataDirectory(Path dataDirectory) {
        return new ServerConfig(dataDirectory, DEFAULT_HTTPS_PORT, DEFAULT_BIND_ADDRESS, List.of(),
                new EmbeddedDatabase(), DEFAULT_POOL_SIZE, dataDirectory.resolve("master.key"), List.of(),
                Observability.defaults(), Optional.empty());
    }

    /**
     * Reads the configuration from its sources, later ones winning: defaults, the properties file, the {@code XT_…}
     * variables of {@code environment}, then {@code overrides} (the command line).
     *
     * @throws InvalidConfigurationException for unknown keys, malformed values or an unreadable file
     */
    public static ServerConfig load(Optional<Path> propertiesFile, Map<String, String> environment,
            Map<String, String> overrides) {
        Map<String, String> settings = new LinkedHashMap<>();
        propertiesFile.ifPresent(file -> settings.putAll(readProperties(file)));
        for (String key : KEYS) {
            String value = environment.get(environmentVariable(key));
            if (value != null) {
                settings.put(key, value);
            }
        }
        checkKeys(overrides.keySet(), "the command line");
        settings.putAll(overrides);
        return fromSettings(settings);
    }

    /** A configuration from {@code key → value} settings; missing keys take their defaults. */
    public static ServerConfig fromSettings(Map<String, String> settings) {
        checkKeys(settings.keySet(), "the settings");
        Path dataDirectory = setting(settings, DATA_DIR).map(ServerConfig::expandHome)
                .orElseGet(() -> Path.of(System.getProperty("user.home"), ".xentracker", "server"));
        ServerConfig defaults = forDataDirectory(dataDirectory);
        int port = setting(settings, HTTPS_PORT).map(v -> integer(HTTPS_PORT, v)).orElse(DEFAULT_HTTPS_PORT);
        String bind = setting(settings, BIND_ADDRESS).orElse(DEFAULT_BIND_ADDRESS);
        List<String> hostnames = setting(settings, PUBLIC_HOSTNAMES).map(ServerConfig::list).orElse(List.of());
        int poolSize = setting(settings, POOL_SIZE).map(v -> integer(POOL_SIZE, v)).orElse(DEFAULT_POOL_SIZE);
        Path masterKey = setting(settings, MASTER_KEY_FILE).map(ServerConfig::expandHome)
                .orElse(defaults.masterKeyFile());
        List<String> proxies = setting(settings, TRUSTED_PROXIES).map(ServerConfig::list).orElse(List.of());
        Observability observability = new Observability(setting(settings, METRICS_PORT)
                .map(v -> java.util.OptionalInt.of(integer(METRICS_PORT, v))).orElse(java.util.OptionalInt.empty()),
                setting(settings, METRICS_BIND_ADDRESS).orElse(DEFAULT_BIND_ADDRESS),
                setting(settings, LOG_FORMAT).map(LogFormat::of).orElse(LogFormat.TEXT));
        Database database = database(settings);
        return new ServerConfig(dataDirectory, port, bind, hostnames, database, poolSize, masterKey,
                proxies, observability, readReplica(settings, database));
    }

    /** The environment variable that sets {@code key}, e.g. {@code XT_HTTPS_PORT} for {@code https-port}. */
    public static String environmentVariable(String key) {
        return "XT_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    public ServerConfig withHttpsPort(int port) {
        return new ServerConfig(dataDirectory, port, bindAddress, publicHostnames, database, poolSize, masterKeyFile,
                trustedProxies, observability, readReplica);
    }

    public ServerConfig withBindAddress(String address) {
        return new ServerConfig(dataDirectory, httpsPort, address, publicHostnames, database, poolSize, masterKeyFile,
                trustedProxies, observability, readReplica);
    }

    public ServerConfig withPublicHostnames(List<String> names) {
        return new ServerConfig(dataDirectory, httpsPort, bindAddress, names, database, poolSize, masterKeyFile,
                trustedProxies, observability, readReplica);
    }

    public ServerConfig withDatabase(Database db) {
        return new ServerConfig(dataDirectory, httpsPort, bindAddress, publicHostnames, db, poolSize, masterKeyFile,
                trustedProxies, observability, readReplica);
    }

    public ServerConfig withPoolSize(int size) {
        return new ServerConfig(dataDirectory, httpsPort, bindAddress, publicHostnames, database, size, masterKeyFile,
                trustedProxies, observability, readReplica);
    }

    public ServerConfig withMasterKeyFile(Path file) {
        return new ServerConfig(dataDirectory, httpsPort, bindAddress, publicHostnames, database, poolSize, file,
                trustedProxies, observability, readReplica);
    }

    /**
     * The reverse proxies (load balancers) in front of this node: only a request whose peer is one of them may say
     * who the client is ({@code X-Forwarded-For}); from anyone else the header is ignored, or a client could pick a
     * fresh address for every guess at a password and escape the sign-in throttle.
     */
    public ServerConfig withTrustedProxies(List<String> proxies) {
        return new ServerConfig(dataDirectory, httpsPort, bindAddress, publicHostnames, database, poolSize,
                masterKeyFile, proxies, observability, readReplica);
    }

    /** This configuration with another metrics listener and log format. */
    public ServerConfig withObservability(Observability watched) {
        return new ServerConfig(dataDirectory, httpsPort, bindAddress, publicHostnames, database, poolSize,
                masterKeyFile, trustedProxies, watched, readReplica);
    }

    /** This configuration with report and export reads going to {@code replica} (empty: all to the primary). */
    public ServerConfig withReadReplica(Optional<ReadReplica> replica) {
        return new ServerConfig(dataDirectory, httpsPort, bindAddress, publicHostnames, database, poolSize,
                masterKeyFile, trustedProxies, observability, replica);
    }

    /** The effective configuration by key, secrets masked, for logs. */
    public Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(DATA_DIR, dataDirectory.toString());
        out.put(HTTPS_PORT, httpsPort == 0 ? "0 (any free port)" : Integer.toString(httpsPort));
        out.put(BIND_ADDRESS, bindAddress);
        out.put(PUBLIC_HOSTNAMES, String.join(",", publicHostnames));
        if (database instanceof ExternalDatabase external) {
            out.put(JDBC_URL, maskUrl(external.jdbcUrl()));
            out.put(JDBC_USER, external.user());
            out.put(JDBC_PASSWORD, external.password().isEmpty() ? "(none)" : MASK);
        } else {
            out.put("database", "embedded PostgreSQL in " + dataDirectory.resolve("postgres"));
        }
        if (readReplica.isPresent()) {
            ExternalDatabase replica = readReplica.get().database();
            out.put(JDBC_READ_URL, maskUrl(replica.jdbcUrl()));
            out.put(JDBC_READ_USER, replica.user());
            out.put(JDBC_READ_PASSWORD, replica.password().isEmpty() ? "(none)" : MASK);
            out.put(READ_MAX_LAG, readReplica.get().maxLag().toMillis() + " ms");
        } else {
            out.put(JDBC_READ_URL, "(none: every read goes to the primary)");
        }
        out.put(POOL_SIZE, Integer.toString(poolSize));
        out.put(MASTER_KEY_FILE, masterKeyFile.toString());
        out.put(TRUSTED_PROXIES, trustedProxies.isEmpty() ? "(none: clients are their TCP peers)"
                : String.join(",", trustedProxies));
        out.put(METRICS_PORT, observability.metricsPort().isEmpty() ? "(none: no metrics listener)"
                : Integer.toString(observability.metricsPort().getAsInt()));
        out.put(METRICS_BIND_ADDRESS, observability.metricsBindAddress());
        out.put(LOG_FORMAT, observability.logFormat().name().toLowerCase(Locale.ROOT));
        return out;
    }

    @Override
    public String toString() {
        return "ServerConfig" + describe();
    }

    private static Database database(Map<String, String> settings) {
        Optional<String> url = setting(settings, JDBC_URL);
        Optional<String> password = setting(settings, JDBC_PASSWORD);
        Optional<String> passwordFile = setting(settings, JDBC_PASSWORD_FILE);
        if (url.isEmpty()) {
            for (String key : List.of(JDBC_USER, JDBC_PASSWORD, JDBC_PASSWORD_FILE)) {
                if (setting(settings, key).isPresent()) {
                    throw new InvalidConfigurationException(key + " is set but " + JDBC_URL + " is not");
                }
            }
            return new EmbeddedDatabase();
        }
        if (password.isPresent() && passwordFile.isPresent()) {
            throw new InvalidConfigurationException("set " + JDBC_PASSWORD + " or " + JDBC_PASSWORD_FILE + ", not both");
        }
        String secret = passwordFile.map(ServerConfig::expandHome).map(ServerConfig::readSecret)
                .orElse(password.orElse(""));
        return new ExternalDatabase(url.get(), setting(settings, JDBC_USER).orElse(""), secret);
    }

    /** The standby, its user and password the primary's unless set apart (a physical standby has the same roles). */
    private static Optional<ReadReplica> readReplica(Map<String, String> settings, Database primary) {
        Optional<String> url = setting(settings, JDBC_READ_URL);
        Optional<String> password = setting(settings, JDBC_READ_PASSWORD);
        Optional<String> passwordFile = setting(settings, JDBC_READ_PASSWORD_FILE);
        if (url.isEmpty()) {
            for (String key : List.of(JDBC_READ_USER, JDBC_READ_PASSWORD, JDBC_READ_PASSWORD_FILE, READ_MAX_LAG)) {
                if (setting(settings, key).isPresent()) {
                    throw new InvalidConfigurationException(key + " is set but " + JDBC_READ_URL + " is not");
                }
            }
            return Optional.empty();
        }
        if (!(primary instanceof ExternalDatabase external)) {
            throw new InvalidConfigurationException(JDBC_READ_URL + " needs " + JDBC_URL
                    + ": a read replica streams from an external PostgreSQL");
        }
        if (!url.get().startsWith("jdbc:postgresql:")) {
            throw new InvalidConfigurationException(JDBC_READ_URL + " must start with jdbc:postgresql:");
        }
        if (password.isPresent() && passwordFile.isPresent()) {
            throw new InvalidConfigurationException("set " + JDBC_READ_PASSWORD + " or " + JDBC_READ_PASSWORD_FILE
                    + ", not both");
        }
        String secret = passwordFile.map(ServerConfig::expandHome).map(file -> readSecret(file,
                JDBC_READ_PASSWORD_FILE)).or(() -> password).orElse(setting(settings, JDBC_READ_USER).isPresent() ? ""
                : external.password());
        Duration maxLag = setting(settings, READ_MAX_LAG).map(ServerConfig::duration).orElse(DEFAULT_READ_MAX_LAG);
        return Optional.of(new ReadReplica(new ExternalDatabase(url.get(), setting(settings, JDBC_READ_USER)
                .orElse(external.user()), secret), maxLag));
    }

    /** {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}; a bare number is seconds; ISO-8601 ({@code PT30S}) too. */
    private static Duration duration(String value) {
        java.util.regex.Matcher matcher = DURATION.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            String unit = matcher.group(2) == null ? "s" : matcher.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofSeconds(amount);
            };
        }
        try {
            return Duration.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidConfigurationException(READ_MAX_LAG + " is a duration such as 30s, 2m or 500ms, not '"
                    + value + "'");
        }
    }

    private static String readSecret(Path file) {
        return readSecret(file, JDBC_PASSWORD_FILE);
    }

    private static String readSecret(Path file, String key) {
        try {
            // a trailing newline is an editor's, not part of the password
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new InvalidConfigurationException(key + " cannot be read: " + file, e);
        }
    }

    private static Map<String, String> readProperties(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new InvalidConfigurationException("the configuration file cannot be read: " + file, e);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(key -> settings.put(key, properties.getProperty(key)));
        checkKeys(settings.keySet(), file.toString());
        return settings;
    }

    private static void checkKeys(Set<String> keys, String source) {
        List<String> unknown = keys.stream().filter(key -> !KEYS.contains(key)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new InvalidConfigurationException("unknown configuration keys in " + source + ": " + unknown
                    + "; known keys are " + KEYS.stream().sorted().toList());
        }
    }

    private static Optional<String> setting(Map<String, String> settings, String key) {
        return Optional.ofNullable(settings.get(key)).map(String::strip).filter(value -> !value.isEmpty());
    }

    private static int integer(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException(key + " must be a whole number, not '" + value + "'");
        }
    }

    private static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        Arrays.stream(value.split(",")).map(String::strip).filter(item -> !item.isEmpty()).forEach(items::add);
        return items;
    }

    private static Path expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + path.substring(1));
        }
        return Path.of(path);
    }

    /** Hides a {@code password=} parameter that someone put into a JDBC URL. */
    private static String maskUrl(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1" + MASK);
    }
}
