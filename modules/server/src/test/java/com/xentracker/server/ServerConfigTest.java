package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {

    @TempDir
    Path directory;

    @Test
    void defaultsAreLocalAndEmbedded() {
        ServerConfig config = ServerConfig.load(Optional.empty(), Map.of(), Map.of());

        assertThat(config.dataDirectory()).isEqualTo(Path.of(System.getProperty("user.home"), ".xentracker",
                "server"));
        assertThat(config.httpsPort()).isEqualTo(8443);
        assertThat(config.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(config.publicHostnames()).isEmpty();
        assertThat(config.database()).isEqualTo(new ServerConfig.EmbeddedDatabase());
        assertThat(config.masterKeyFile()).isEqualTo(config.dataDirectory().resolve("master.key"));
    }

    @Test
    void theCommandLineBeatsTheEnvironmentWhichBeatsTheFile() throws IOException {
        Path file = directory.resolve("server.properties");
        Files.writeString(file, "https-port=9000\nbind-address=0.0.0.0\npool-size=5\ndata-dir=" + directory + "\n");

        ServerConfig config = ServerConfig.load(Optional.of(file),
                Map.of("XT_HTTPS_PORT", "9100", "XT_POOL_SIZE", "7", "XT_OWNER_PASSWORD", "not a config key"),
                Map.of("https-port", "9200"));

        assertThat(config.httpsPort()).isEqualTo(9200);
        assertThat(config.poolSize()).isEqualTo(7);
        assertThat(config.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(config.dataDirectory()).isEqualTo(directory);
        assertThat(config.masterKeyFile()).isEqualTo(directory.resolve("master.key"));
    }

    @Test
    void anExternalDatabaseReadsItsPasswordFromAFileAndNeverShowsIt() throws IOException {
        Path secret = directory.resolve("db-password");
        Files.writeString(secret, "s3cret-value\n");

        ServerConfig config = ServerConfig.fromSettings(Map.of("jdbc-url",
                "jdbc:postgresql://db.example/xt?password=inline-secret", "jdbc-user", "xt",
                "jdbc-password-file", secret.toString(), "public-hostnames", "xt.example.org, 10.0.0.5"));

        assertThat(config.database()).isEqualTo(new ServerConfig.ExternalDatabase(
                "jdbc:postgresql://db.example/xt?password=inline-secret", "xt", "s3cret-value"));
        assertThat(config.publicHostnames()).containsExactly("xt.example.org", "10.0.0.5");
        assertThat(config.toString()).doesNotContain("s3cret-value").doesNotContain("inline-secret")
                .contains("jdbc-password=****");
        assertThat(config.database().toString()).doesNotContain("s3cret-value").doesNotContain("inline-secret");
    }

    @Test
    void mistakesAreReportedWithTheirKey() {
        assertThatThrownBy(() -> ServerConfig.fromSettings(Map.of("https-prot", "1")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("https-prot");
        assertThatThrownBy(() -> ServerConfig.fromSettings(Map.of("https-port", "70000")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("https-port");
        assertThatThrownBy(() -> ServerConfig.fromSettings(Map.of("pool-size", "many")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("pool-size");
        assertThatThrownBy(() -> ServerConfig.fromSettings(Map.of("jdbc-url", "jdbc:mysql://x/y", "jdbc-user", "u")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("jdbc-url");
        assertThatThrownBy(() -> ServerConfig.fromSettings(Map.of("jdbc-user", "u")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("jdbc-url");
        assertThatThrownBy(() -> ServerConfig.fromSettings(Map.of("public-hostnames", "a b")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("public-hostnames");
    }

    @Test
    void environmentVariablesFollowTheKeys() {
        assertThat(ServerConfig.KEYS).allSatisfy(key -> assertThat(key).matches("[a-z]+(-[a-z]+)*"));
        assertThat(ServerConfig.environmentVariable("master-key-file")).isEqualTo("XT_MASTER_KEY_FILE");
        assertThat(ServerConfig.forDataDirectory(directory).withPublicHostnames(List.of("x")).publicHostnames())
                .containsExactly("x");
    }

    @Test
    void trustedProxiesAreIpAddressesOnly() {
        ServerConfig config = ServerConfig.fromSettings(Map.of("trusted-proxies", "10.0.0.1, 2001:db8::1"));

        assertThat(config.trustedProxies()).containsExactly("10.0.0.1", "2001:db8::1");
        assertThat(config.describe()).containsEntry("trusted-proxies", "10.0.0.1,2001:db8::1");
        assertThat(ServerConfig.forDataDirectory(java.nio.file.Path.of("/tmp/x")).trustedProxies()).isEmpty();
        assertThatThrownBy(() -> ServerConfig.fromSettings(Map.of("trusted-proxies", "proxy.example.org")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("trusted-proxies");
        assertThatThrownBy(() -> ServerConfig.fromSettings(Map.of("trusted-proxies", "10.0.0.0/8")))
                .isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void aReadReplicaTakesThePrimarysCredentialsUnlessGivenItsOwnAndNeverShowsThem() throws IOException {
        Path secret = directory.resolve("replica-password");
        Files.writeString(secret, "replica-s3cret\n");

        ServerConfig inherited = ServerConfig.fromSettings(Map.of("jdbc-url", "jdbc:postgresql://primary/xt",
                "jdbc-user", "xt", "jdbc-password", "primary-s3cret", "jdbc-read-url", "jdbc:postgresql://standby/xt"));
        ServerConfig own = ServerConfig.fromSettings(Map.of("jdbc-url", "jdbc:postgresql://primary/xt",
                "jdbc-user", "xt", "jdbc-password", "primary-s3cret", "jdbc-read-url", "jdbc:postgresql://standby/xt",
                "jdbc-read-user", "reader", "jdbc-read-password-file", secret.toString(), "read-max-lag", "2m"));

        assertThat(inherited.readReplica()).hasValue(new ServerConfig.ReadReplica(new ServerConfig.ExternalDatabase(
                "jdbc:postgresql://standby/xt", "xt", "primary-s3cret"), Duration.ofSeconds(30)));
        assertThat(own.readReplica()).hasValue(new ServerConfig.ReadReplica(new ServerConfig.ExternalDatabase(
                "jdbc:postgresql://standby/xt", "reader", "replica-s3cret"), Duration.ofMinutes(2)));
        assertThat(ServerConfig.fromSettings(Map.of()).readReplica()).isEmpty();
        assertThat(own.toString() + own.describe()).doesNotContain("replica-s3cret").doesNotContain("primary-s3cret");
    }

    @Test
    void aReadReplicaNeedsAPrimaryAndASensibleLagBound() {
        assertThatThrownBy(() -> ServerConfig.fromSettings(Map.of("jdbc-read-url", "jdbc:postgresql://standby/xt")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("jdbc-url");
        Map<String, String> primary = Map.of("jdbc-url", "jdbc:postgresql://primary/xt", "jdbc-user", "xt",
                "jdbc-read-url", "jdbc:postgresql://standby/xt");
        for (String lag : List.of("500ms", "25h", "soon", "-5s")) {
            Map<String, String> settings = new java.util.HashMap<>(primary);
            settings.put("read-max-lag", lag);
            assertThatThrownBy(() -> ServerConfig.fromSettings(settings)).as(lag)
                    .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("read-max-lag");
        }
    }
}
