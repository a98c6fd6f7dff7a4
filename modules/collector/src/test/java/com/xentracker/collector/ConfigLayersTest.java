package com.xentracker.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.collector.ConfigLayers.LayeredConfig;
import com.xentracker.collector.enrollment.EnrollmentSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User file < system file < environment < command line, with real files in a temporary directory. */
class ConfigLayersTest {

    @TempDir
    Path dir;

    private Path user;
    private Path system;

    private ConfigLayers layers(Map<String, String> environment) throws Exception {
        user = dir.resolve("home/.config/xentracker/agent.conf");
        system = dir.resolve("etc/xentracker/agent.conf");
        Files.createDirectories(user.getParent());
        Files.createDirectories(system.getParent());
        return new ConfigLayers(Optional.of(user), Optional.of(system), environment);
    }

    @Test
    void eachLayerOverridesTheOnesBelowItKeyByKey() throws Exception {
        ConfigLayers layers = layers(Map.of("XT_AGENT_UPLOAD_INTERVAL", "2m", "XT_AGENT_BUFFER_MAX_AGE", "30d"));
        Files.writeString(user, """
                poll-interval = 2s
                upload-interval = 10s
                buffer-max-size = 64MiB
                sent-history = 1d
                """);
        Files.writeString(system, """
                upload-interval = 20s
                buffer-max-size = 128MiB
                buffer-max-age = 60d
                """);
        Path commandLineFile = Files.writeString(dir.resolve("mine.conf"), "buffer-max-age = 10d\nsent-history = 2d\n");

        LayeredConfig loaded = layers.load(Optional.of(commandLineFile), Map.of(AgentConfig.SENT_HISTORY, "3d"));

        AgentConfig config = loaded.config();
        assertThat(config.pollInterval()).isEqualTo(Duration.ofSeconds(2));          // user file only
        assertThat(config.bufferMaxSize()).isEqualTo(128L * 1024 * 1024);            // system beats user
        assertThat(config.uploadInterval()).isEqualTo(Duration.ofMinutes(2));        // environment beats system
        assertThat(config.bufferMaxAge()).isEqualTo(Duration.ofDays(10));            // --config beats environment
        assertThat(config.sentHistory()).isEqualTo(Duration.ofDays(3));              // options beat --config
        assertThat(config.idleThreshold()).isEqualTo(Duration.ofMinutes(3));         // default
        assertThat(loaded.origin(AgentConfig.POLL_INTERVAL)).isEqualTo(user.toString());
        assertThat(loaded.origin(AgentConfig.BUFFER_MAX_SIZE)).isEqualTo(system.toString());
        assertThat(loaded.origin(AgentConfig.UPLOAD_INTERVAL)).isEqualTo("the environment");
        assertThat(loaded.origin(AgentConfig.BUFFER_MAX_AGE)).isEqualTo(commandLineFile.toString());
        assertThat(loaded.origin(AgentConfig.SENT_HISTORY)).isEqualTo("the command line");
        assertThat(loaded.origin(AgentConfig.IDLE_THRESHOLD)).isEqualTo("default");
    }

    @Test
    void missingFilesAreNoErrorAndGiveTheDefaults() throws Exception {
        LayeredConfig loaded = layers(Map.of()).load(Optional.empty(), Map.of());

        assertThat(loaded.config()).isEqualTo(AgentConfig.defaults());
        assertThat(loaded.origins().values()).containsOnly("default");
    }

    @Test
    void aBadValueIsRefusedNamingTheKeyAndTheFileItCameFrom() throws Exception {
        ConfigLayers layers = layers(Map.of());
        Files.writeString(system, "poll-interval = often\n");

        assertThatThrownBy(() -> layers.load(Optional.empty(), Map.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(system.toString()).hasMessageContaining("poll-interval");
    }

    @Test
    void anUnknownKeyInAFileAndAnUnknownVariableAreRefusedByName() throws Exception {
        Files.writeString(layers(Map.of()).userFile().orElseThrow(), "pol-interval = 1s\n");
        assertThatThrownBy(() -> layers(Map.of()).load(Optional.empty(), Map.of()))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("pol-interval")
                .hasMessageContaining(user.toString());

        Files.delete(user);
        assertThatThrownBy(() -> layers(Map.of("XT_AGENT_SERVER_URI", "https://x")).load(Optional.empty(), Map.of()))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("XT_AGENT_SERVER_URI")
                .hasMessageContaining("XT_AGENT_SERVER_URL");
        // other programs' variables are none of the agent's business
        assertThat(layers(Map.of("XT_HTTPS_PORT", "8443", "PATH", "/bin")).load(Optional.empty(), Map.of()).config())
                .isEqualTo(AgentConfig.defaults());
    }

    @Test
    void theSystemFileNamesTheServerAndRelativeFilesAreRelativeToIt() throws Exception {
        ConfigLayers layers = layers(Map.of());
        Files.writeString(system, """
                # written by the installer
                server-url = https://tracker.example.com:8443
                server-ca-file = server-ca.pem
                enrollment-token-file = enrollment.token
                data-dir = /var/lib/xentracker-agent/%u
                """);

        AgentConfig config = layers.load(Optional.empty(), Map.of()).config();

        EnrollmentSettings enrollment = config.enrollment();
        assertThat(enrollment.serverUrl()).hasValueSatisfying(url -> assertThat(url).hasToString(
                "https://tracker.example.com:8443"));
        assertThat(enrollment.serverCa()).contains(new EnrollmentSettings.FromFile(system.resolveSibling(
                "server-ca.pem")));
        assertThat(enrollment.token()).contains(new EnrollmentSettings.FromFile(system.resolveSibling(
                "enrollment.token")));
        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/xentracker-agent", System.getProperty("user.name")));
    }

    @Test
    void aTokenInTheEnvironmentReplacesTheSystemFilesTokenFileAndNeverShows() throws Exception {
        ConfigLayers layers = layers(Map.of("XT_AGENT_ENROLLMENT_TOKEN", "token-from-the-environment"));
        Files.writeString(system, "server-url = https://tracker.example.com\nenrollment-token-file = /etc/token\n");

        LayeredConfig loaded = layers.load(Optional.empty(), Map.of());

        assertThat(loaded.config().enrollment().readToken()).isEqualTo("token-from-the-environment");
        assertThat(loaded.origin(EnrollmentSettings.TOKEN_FILE)).isEqualTo("default");
        assertThat(loaded.config().toString()).doesNotContain("token-from-the-environment")
                .contains("enrollment-token-file=(none)");
    }

    @Test
    void oneLayerMayNotNameTheTokenTwice() throws Exception {
        ConfigLayers layers = layers(Map.of());
        Files.writeString(system, "enrollment-token-file = /etc/token\nenrollment-token = abc\n");

        assertThatThrownBy(() -> layers.load(Optional.empty(), Map.of()))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("not both")
                .hasMessageContaining(system.toString());
    }

    @Test
    void theFilesAreTheUsersXdgConfigAndEtcUnlessVariablesNameOthersOrNone() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"));

        ConfigLayers standard = ConfigLayers.forEnvironment(Map.of("XDG_CONFIG_HOME", "/home/ann/.cfg"));
        assertThat(standard.userFile()).contains(Path.of("/home/ann/.cfg/xentracker/agent.conf"));
        assertThat(standard.systemFile()).contains(Path.of("/etc/xentracker/agent.conf"));

        ConfigLayers chosen = ConfigLayers.forEnvironment(Map.of(ConfigLayers.SYSTEM_FILE_VARIABLE, "/srv/agent.conf",
                ConfigLayers.USER_FILE_VARIABLE, "none"));
        assertThat(chosen.systemFile()).contains(Path.of("/srv/agent.conf"));
        assertThat(chosen.userFile()).isEmpty();
        assertThat(ConfigLayers.variable("browser-shared-token")).isEqualTo("XT_AGENT_BROWSER_SHARED_TOKEN");
    }

    @Test
    void aSectionLineAsWindowsWritesItIsIgnored() throws Exception {
        ConfigLayers layers = layers(Map.of());
        Files.writeString(system, "[agent]\r\nserver-url=https://tracker.example.com\r\nenrollment-token=abc\r\n");

        AgentConfig config = layers.load(Optional.empty(), Map.of()).config();

        assertThat(config.enrollment().serverUrl()).isPresent();
        assertThat(config.enrollment().readToken()).isEqualTo("abc");
    }
}
