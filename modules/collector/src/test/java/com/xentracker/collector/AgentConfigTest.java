package com.xentracker.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {

    @TempDir
    Path dir;

    @Test
    void defaultsArePollEverySecondUploadEveryThirtySecondsAndTitlesAsThePolicySays() {
        AgentConfig config = AgentConfig.defaults();

        assertThat(config.dataDir()).isEqualTo(Path.of(System.getProperty("user.home"), ".xentracker", "agent"));
        assertThat(config.pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.idleThreshold()).isEqualTo(Duration.ofMinutes(3));
        assertThat(config.uploadInterval()).isEqualTo(Duration.ofSeconds(30));
        // not "collect titles": the device only refrains from refusing what the organization's policy collects
        assertThat(config.collectWindowTitles()).isTrue();
        assertThat(config.recorder().localLimits().windowTitles()).isTrue();
        assertThat(config.bufferFile()).isEqualTo(config.dataDir().resolve("buffer.db"));
    }

    @Test
    void aPropertiesFileOverridesTheDefaults() throws Exception {
        Path file = Files.writeString(dir.resolve("agent.properties"), """
                data-dir = ~/tracked
                poll-interval = 500ms
                idle-threshold = PT2M
                upload-interval = 1m
                collect-window-titles = FALSE
                """);

        AgentConfig config = AgentConfig.load(file);

        assertThat(config.dataDir()).isEqualTo(Path.of(System.getProperty("user.home"), "tracked"));
        assertThat(config.pollInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.idleThreshold()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.uploadInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.collectWindowTitles()).isFalse();
        assertThat(config.recorder().localLimits().windowTitles()).isFalse();
        assertThat(config.uploader().uploadInterval()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void theEffectiveConfigurationListsEveryKey() {
        AgentConfig config = AgentConfig.defaults().with(AgentConfig.DATA_DIR, "/var/lib/xt");

        assertThat(config).hasToString("data-dir=/var/lib/xt, poll-interval=1s, idle-threshold=3m,"
                + " upload-interval=30s, collect-window-titles=true, buffer-max-size=512MiB, buffer-max-age=90d,"
                + " sent-history=7d, browser-endpoint-enabled=true, trust-system-store=false, log-format=text,"
                + " browser-endpoint-port=47291,"
                + " browser-extension-ids=fdhcaekpadpfibodbaohegojndhejhco, browser-shared-token=(none),"
                + " browser-max-body-bytes=16384, browser-requests-per-second=5, browser-request-burst=20,"
                + " server-url=(none), server-ca-file=(none), server-ca=(none), enrollment-token-file=(none),"
                + " enrollment-token=(none)");
        assertThat(config.describe()).containsOnlyKeys(AgentConfig.KEYS);
        assertThat(config.with(AgentConfig.TRUST_SYSTEM_STORE, "true").trustSystemStore()).isTrue();
    }

    @Test
    void theBrowserEndpointIsConfiguredThroughTheAgentsKeysAndItsTokenNeverShows() {
        Properties properties = new Properties();
        properties.setProperty("browser-endpoint-port", "50123");
        properties.setProperty("browser-extension-ids", "fdhcaekpadpfibodbaohegojndhejhco,abcdefghijklmnopabcdefghijklmnop");
        properties.setProperty("browser-shared-token", "s3cret-token-0123456789");

        AgentConfig config = AgentConfig.defaults().with(properties);

        assertThat(config.browserEndpointEnabled()).isTrue();
        assertThat(config.browserEndpoint().port()).isEqualTo(50123);
        assertThat(config.browserEndpoint().allowedExtensionIds()).containsExactlyInAnyOrder(
                "fdhcaekpadpfibodbaohegojndhejhco", "abcdefghijklmnopabcdefghijklmnop");
        assertThat(config.browserEndpoint().sharedToken()).contains("s3cret-token-0123456789");
        assertThat(config.toString()).doesNotContain("s3cret").contains("browser-shared-token=****");
        assertThat(config.with(AgentConfig.BROWSER_ENDPOINT_ENABLED, "false").browserEndpointEnabled()).isFalse();
        assertThatThrownBy(() -> config.with("browser-endpoint-port", "70000"))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("browser-endpoint-port");
    }

    @Test
    void anUnknownKeyIsRejectedByName() {
        assertThatThrownBy(() -> AgentConfig.defaults().with("poll_interval", "1s"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("poll_interval").hasMessageContaining("poll-interval");
    }

    @Test
    void malformedValuesAreRejectedNamingTheKey() {
        assertThatThrownBy(() -> AgentConfig.defaults().with(AgentConfig.POLL_INTERVAL, "fast"))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("poll-interval");
        assertThatThrownBy(() -> AgentConfig.defaults().with(AgentConfig.COLLECT_WINDOW_TITLES, "yes"))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("collect-window-titles");
        assertThatThrownBy(() -> AgentConfig.defaults().with(AgentConfig.UPLOAD_INTERVAL, "10ms"))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("upload-interval");
    }

    @Test
    void anIdleThresholdShorterThanThePollIntervalIsRejected() {
        assertThatThrownBy(() -> AgentConfig.defaults().with(AgentConfig.POLL_INTERVAL, "5s")
                .with(AgentConfig.IDLE_THRESHOLD, "2s"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("idle-threshold").hasMessageContaining("poll-interval");
    }

    @Test
    void keysChangedTogetherAreValidatedTogetherAndOtherPartsAreNotRebuilt() {
        AgentConfig base = AgentConfig.defaults().with(java.util.Map.of(AgentConfig.POLL_INTERVAL, "50s",
                AgentConfig.IDLE_THRESHOLD, "1m"));

        // one key at a time, idle-threshold 40s would first meet poll-interval 50s and be refused
        AgentConfig config = base.with(java.util.Map.of(AgentConfig.IDLE_THRESHOLD, "40s",
                AgentConfig.POLL_INTERVAL, "20s"));

        assertThat(config.recorder().pollInterval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.recorder().idleThreshold()).isEqualTo(Duration.ofSeconds(40));
        assertThat(config.buffer()).isSameAs(base.buffer());
        assertThat(config.uploader()).isSameAs(base.uploader());
    }

    @Test
    void theDataDirectoryMayNameTheUserSoThatOneSystemSettingServesEveryUser() {
        AgentConfig config = AgentConfig.defaults().with(AgentConfig.DATA_DIR, "/var/lib/xentracker-agent/%u");

        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/xentracker-agent", System.getProperty("user.name")));
        assertThat(AgentConfig.defaults().with(AgentConfig.DATA_DIR, "/srv/100%%/a").dataDir())
                .isEqualTo(Path.of("/srv/100%/a"));
    }

    @Test
    void theEnrollmentSettingsAreReadAndTheInlineTokenNeverShows() throws Exception {
        AgentConfig config = AgentConfig.defaults().with(java.util.Map.of(
                "server-url", "https://tracker.example:8443", "enrollment-token", "secret-token-value-123"));

        assertThat(config.enrollment().serverUrl()).contains(java.net.URI.create("https://tracker.example:8443"));
        assertThat(config.enrollment().readToken()).isEqualTo("secret-token-value-123");
        assertThat(config.enrollment().complete()).isFalse();
        assertThat(config.enrollment().missing()).containsExactly("server-ca-file or server-ca");
        assertThat(config.toString()).doesNotContain("secret-token-value").contains("enrollment-token=****");
        assertThatThrownBy(() -> AgentConfig.defaults().with("server-url", "http://tracker.example"))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("https://");
    }
}
