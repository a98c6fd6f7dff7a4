package com.xentracker.collector.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BrowserEndpointConfigTest {

    @Test
    void defaultsAllowThisRepositorysExtensionOnTheDocumentedPort() {
        BrowserEndpointConfig defaults = BrowserEndpointConfig.defaults();

        assertThat(defaults.port()).isEqualTo(47291);
        assertThat(defaults.allowedExtensionIds()).containsExactly(BrowserEndpointConfig.REPOSITORY_EXTENSION_ID);
        assertThat(defaults.sharedToken()).isEmpty();
        assertThat(defaults.maxBodyBytes()).isEqualTo(16 * 1024);
    }

    @Test
    void keysReplaceValues() {
        BrowserEndpointConfig config = BrowserEndpointConfig.defaults()
                .with("browser-endpoint-port", "50000")
                .with("browser-extension-ids", "abcdefghijklmnopabcdefghijklmnop, ponmlkjihgfedcbaponmlkjihgfedcba")
                .with("browser-shared-token", "a-long-enough-secret")
                .with("browser-requests-per-second", "2")
                .with("browser-request-burst", "4")
                .with("browser-max-body-bytes", "4096");

        assertThat(config).isEqualTo(new BrowserEndpointConfig(50000,
                Set.of("abcdefghijklmnopabcdefghijklmnop", "ponmlkjihgfedcbaponmlkjihgfedcba"),
                Optional.of("a-long-enough-secret"), 4096, 2, 4));
    }

    @Test
    void tokenIsNeverShown() {
        BrowserEndpointConfig config = BrowserEndpointConfig.defaults().with("browser-shared-token", "a-long-enough-secret");

        assertThat(config.toString()).doesNotContain("secret").contains("browser-shared-token=****");
        assertThat(config.describe()).containsEntry("browser-shared-token", "****");
        assertThatThrownBy(() -> config.with("browser-shared-token", "short secret"))
                .isInstanceOf(IllegalArgumentException.class).message().doesNotContain("short secret");
    }

    @Test
    void invalidValuesAreRefused() {
        BrowserEndpointConfig defaults = BrowserEndpointConfig.defaults();

        assertThatThrownBy(() -> defaults.with("browser-endpoint-port", "70000")).hasMessageContaining("browser-endpoint-port");
        assertThatThrownBy(() -> defaults.with("browser-endpoint-port", "http")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> defaults.with("browser-extension-ids", "")).hasMessageContaining("at least one");
        assertThatThrownBy(() -> defaults.with("browser-extension-ids", "chrome-extension://abc"))
                .hasMessageContaining("not an extension ID");
        assertThatThrownBy(() -> defaults.with("browser-max-body-bytes", "10")).hasMessageContaining("1024");
        assertThatThrownBy(() -> defaults.with("browser-bind", "0.0.0.0")).hasMessageContaining("unknown");
    }
}
