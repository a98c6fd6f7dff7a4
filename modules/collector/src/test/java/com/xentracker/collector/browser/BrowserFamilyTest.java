package com.xentracker.collector.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Telling the foreground application's browser from the extension's browser name, on every platform's names. */
class BrowserFamilyTest {

    @Test
    void theProbesNamesOfEachPlatformMatchTheExtensionsBrandName() {
        assertThat(BrowserFamily.matches("Chromium", "chromium", Optional.of(Path.of("/usr/lib/chromium/chromium"))))
                .isTrue();
        assertThat(BrowserFamily.matches("Google Chrome", "google-chrome", Optional.empty())).isTrue();
        assertThat(BrowserFamily.matches("Google Chrome", "chrome", Optional.empty())).isTrue(); // Windows
        assertThat(BrowserFamily.matches("Google Chrome", "google chrome", Optional.empty())).isTrue(); // macOS
        assertThat(BrowserFamily.matches("Microsoft Edge", "microsoft-edge", Optional.empty())).isTrue();
        assertThat(BrowserFamily.matches("Microsoft Edge", "msedge", Optional.empty())).isTrue();
        assertThat(BrowserFamily.matches("Chromium", "chromium-browser", Optional.empty())).isTrue(); // Debian's class
        assertThat(BrowserFamily.matches("Brave", "brave-browser", Optional.empty())).isTrue();
    }

    @Test
    void theExecutableDecidesWhenTheWindowClassSaysNothing() {
        assertThat(BrowserFamily.matches("Google Chrome", "crx_abcdef",
                Optional.of(Path.of("/opt/google/chrome/chrome")))).isTrue();
    }

    @Test
    void anotherBrowserOrApplicationDoesNotMatch() {
        assertThat(BrowserFamily.matches("Google Chrome", "chromium", Optional.empty())).isFalse();
        assertThat(BrowserFamily.matches("Chromium", "google-chrome", Optional.empty())).isFalse();
        assertThat(BrowserFamily.matches("Microsoft Edge", "google-chrome", Optional.empty())).isFalse();
        assertThat(BrowserFamily.matches("Chromium", "xterm", Optional.of(Path.of("/usr/bin/xterm")))).isFalse();
        assertThat(BrowserFamily.matches("Lynx", "xterm", Optional.empty())).isFalse();
        assertThat(BrowserFamily.matches("Lynx", "", Optional.empty())).isFalse();
        // whole words only
        assertThat(BrowserFamily.matches("Microsoft Edge", "knowledge-base", Optional.empty())).isFalse();
        assertThat(BrowserFamily.matches("Google Chrome", "chromebook-tool", Optional.empty())).isFalse();
    }
}
