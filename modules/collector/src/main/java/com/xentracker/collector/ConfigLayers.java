package com.xentracker.collector;

import com.xentracker.collector.enrollment.EnrollmentSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where the agent's settings come from, lowest precedence first:
 *
 * <ol>
 *   <li>the defaults;</li>
 *   <li>the <b>user file</b>, the person's own settings ({@code ~/.config/xentracker/agent.conf};
 *       {@code %APPDATA%\Xentracker\agent.conf}; {@code ~/Library/Application Support/Xentracker/agent.conf});</li>
 *   <li>the <b>system file</b> an installer or MDM writes ({@code /etc/xentracker/agent.conf};
 *       {@code %ProgramData%\Xentracker\agent.conf}; {@code /Library/Application Support/Xentracker/agent.conf}):
 *       the organization's server, CA and enrollment token, its data directory;</li>
 *   <li>the <b>environment</b>: {@code XT_AGENT_} and the key upper-cased with underscores
 *       ({@code XT_AGENT_SERVER_URL} for {@code server-url});</li>
 *   <li>the <b>command line</b>: {@code --config FILE} first, then the options.</li>
 * </ol>
 *
 * Files are Java properties (UTF-8); a {@code [section]} line is ignored, so that Windows' INI writing (the MSI)
 * can write the system file. A missing file is no error; an unreadable one, an unknown key or an unknown {@code XT_AGENT_…} variable is, and the
 * message names where it came from. Relative file names in a file ({@code enrollment-token-file = token}) are
 * relative to that file's directory. {@code XT_AGENT_SYSTEM_CONFIG} and {@code XT_AGENT_USER_CONFIG} name other files
 * (for tests and unusual installations); {@code XT_AGENT_SYSTEM_CONFIG=none} reads none.
 *
 * <p>Nothing here is a lock: the person can override the system file on the command line. What is collected is
 * decided by the organization's policy from the server, which no local setting can widen.
 *
 * @param userFile    the user file, if one is read
 * @param systemFile  the system file, if one is read
 * @param environment the process environment (only {@code XT_AGENT_…} variables are read)
 */
public record ConfigLayers(Optional<Path> userFile, Optional<Path> systemFile, Map<String, String> environment) {

    public static final String ENVIRONMENT_PREFIX = "XT_AGENT_";
    public static final String SYSTEM_FILE_VARIABLE = "XT_AGENT_SYSTEM_CONFIG";
    public static final String USER_FILE_VARIABLE = "XT_AGENT_USER_CONFIG";
    static final String DEFAULT = "default";
    private static final java.util.regex.Pattern SECTION = java.util.regex.Pattern.compile("\\[[^\\]]*\\]");

    public ConfigLayers {
        Objects.requireNonNull(userFile, "userFile");
        Objects.requireNonNull(systemFile, "systemFile");
        environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    }

    /** This machine's files (for its operating system) and this process's environment. */
    public static ConfigLayers thisMachine() {
        return forEnvironment(System.getenv());
    }

    /** This operating system's files, as {@code environment} places them (home, XDG, APPDATA, the variables above). */
    static ConfigLayers forEnvironment(Map<String, String> environment) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        Path home = Path.of(System.getProperty("user.home"));
        Path user;
        Path system;
        if (os.startsWith("windows")) {
            user = Path.of(environment.getOrDefault("APPDATA", home.resolve("AppData/Roaming").toString()),
                    "Xentracker", "agent.conf");
            system = Path.of(environment.getOrDefault("ProgramData", "C:\\ProgramData"), "Xentracker", "agent.conf");
        } else if (os.startsWith("mac")) {
            user = home.resolve("Library/Application Support/Xentracker/agent.conf");
            system = Path.of("/Library/Application Support/Xentracker/agent.conf");
        } else {
            String xdg = environment.get("XDG_CONFIG_HOME");
            Path configHome = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                    : home.resolve(".config");
            user = configHome.resolve("xentracker/agent.conf");
            system = Path.of("/etc/xentracker/agent.conf");
        }
        return new ConfigLayers(file(environment, USER_FILE_VARIABLE, user),
                file(environment, SYSTEM_FILE_VARIABLE, system), environment);
    }

    /** No files and no environment: defaults and the command line only (tests run commands in-process this way). */
    public static ConfigLayers none() {
        return new ConfigLayers(Optional.empty(), Optional.empty(), Map.of());
    }

    /** These layers with another system file. */
    public ConfigLayers withSystemFile(Path file) {
        return new ConfigLayers(userFile, Optional.of(file), environment);
    }

    /** These layers with another environment. */
    public ConfigLayers withEnvironment(Map<String, String> variables) {
        return new ConfigLayers(userFile, systemFile, variables);
    }

    /**
     * The effective configuration: the layers in order, then {@code commandLineFile}, then {@code options}.
     *
     * @throws InvalidConfigException for an unreadable file, an unknown key or variable, or a bad value; the message
     *                                names the key and where it was set
     */
    public LayeredConfig load(Optional<Path> commandLineFile, Map<String, String> options) {
        Objects.requireNonNull(commandLineFile, "commandLineFile");
        Objects.requireNonNull(options, "options");
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        userFile.ifPresent(file -> fromFile(file, false, values, origins));
        systemFile.ifPresent(file -> fromFile(file, false, values, origins));
        apply(fromEnvironment(), "the environment", values, origins);
        commandLineFile.ifPresent(file -> fromFile(file, true, values, origins));
        apply(options, "the command line", values, origins);
        AgentConfig config = AgentConfig.defaults().with(values, key -> origins.getOrDefault(key, DEFAULT));
        Map<String, String> allOrigins = new LinkedHashMap<>();
        for (String key : AgentConfig.KEYS) {
            allOrigins.put(key, origins.getOrDefault(key, DEFAULT));
        }
        return new LayeredConfig(config, allOrigins);
    }

    /**
     * Reads a properties file (UTF-8).
     *
     * @throws InvalidConfigException when it cannot be read
     */
    public static Properties read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidConfigException("cannot read the configuration file " + file + ": " + e, e);
        }
        return properties;
    }

    private static void fromFile(Path file, boolean required, Map<String, String> values,
            Map<String, String> origins) {
        Properties properties;
        try {
            if (!required && !Files.exists(file)) {
                return; // no such layer on this machine
            }
            properties = read(file);
        } catch (InvalidConfigException e) {
            if (!required && e.getCause() instanceof NoSuchFileException) {
                return;
            }
            throw e;
        }
        Map<String, String> settings = new TreeMap<>();
        Path directory = file.toAbsolutePath().getParent();
        for (String key : properties.stringPropertyNames()) {
            String value = properties.getProperty(key).strip();
            if (SECTION.matcher(key.strip()).matches() && value.isEmpty()) {
                continue; // "[agent]": Windows writes INI files with a section (the MSI's IniFile); it means nothing
            }
            if (AgentConfig.PATH_KEYS.contains(key.strip()) && !value.isEmpty() && !value.startsWith("~")
                    && !value.startsWith("%") && !Path.of(value).isAbsolute()) {
                value = directory.resolve(value).toString();
            }
            settings.put(key.strip(), value);
        }
        apply(settings, file.toString(), values, origins);
    }

    private Map<String, String> fromEnvironment() {
        Map<String, String> settings = new TreeMap<>();
        for (Map.Entry<String, String> variable : environment.entrySet()) {
            String name = variable.getKey();
            if (!name.startsWith(ENVIRONMENT_PREFIX) || name.equals(SYSTEM_FILE_VARIABLE)
                    || name.equals(USER_FILE_VARIABLE)) {
                continue;
            }
            String key = name.substring(ENVIRONMENT_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '-');
            if (!AgentConfig.KEYS.contains(key)) {
                // a typo would otherwise be ignored without a word
                throw new InvalidConfigException("unknown environment variable " + name + "; known: "
                        + String.join(", ", AgentConfig.KEYS.stream().map(ConfigLayers::variable).toList()));
            }
            settings.put(key, variable.getValue());
        }
        return settings;
    }

    /** The environment variable of a key: {@code XT_AGENT_SERVER_URL} for {@code server-url}. */
    public static String variable(String key) {
        return ENVIRONMENT_PREFIX + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static void apply(Map<String, String> settings, String origin, Map<String, String> values,
            Map<String, String> origins) {
        for (List<String> alternatives : List.of(
                List.of(EnrollmentSettings.SERVER_CA_FILE, EnrollmentSettings.SERVER_CA),
                List.of(EnrollmentSettings.TOKEN_FILE, EnrollmentSettings.TOKEN))) {
            if (settings.keySet().containsAll(alternatives)) {
                throw new InvalidConfigException("in " + origin + ": set " + alternatives.get(0) + " or "
                        + alternatives.get(1) + ", not both");
            }
            // one of a pair replaces the other from a lower layer: the CA (or token) comes from one place
            for (String key : alternatives) {
                if (settings.containsKey(key)) {
                    alternatives.stream().filter(other -> !other.equals(key)).forEach(other -> {
                        values.remove(other);
                        origins.remove(other);
                    });
                }
            }
        }
        settings.forEach((key, value) -> {
            values.put(key.strip(), value);
            origins.put(key.strip(), origin);
        });
    }

    private static Optional<Path> file(Map<String, String> environment, String variable, Path standard) {
        String given = environment.get(variable);
        if (given == null || given.isBlank()) {
            return Optional.of(standard);
        }
        return given.strip().equals("none") ? Optional.empty() : Optional.of(Path.of(given.strip()));
    }

    /**
     * The effective configuration and, per key, where its value came from: {@code default}, a file's path,
     * {@code the environment} or {@code the command line}.
     */
    public record LayeredConfig(AgentConfig config, Map<String, String> origins) {
        public LayeredConfig {
            Objects.requireNonNull(config, "config");
            origins = Map.copyOf(origins);
        }

        /** Where the value of {@code key} came from. */
        public String origin(String key) {
            return origins.getOrDefault(key, DEFAULT);
        }
    }
}
