package com.xentracker.collector.browser;

import java.nio.file.Path;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which browser a desktop application is, and which browser an extension report comes from, so that the agent can
 * tell whether the foreground application is the browser that reported its active tab. The probes name applications
 * differently per platform ({@code chromium}, {@code google-chrome}, {@code microsoft-edge} on X11; {@code chrome},
 * {@code msedge} on Windows; {@code google chrome}, {@code microsoft edge} on macOS); the extension names the
 * browser by its User-Agent Client Hints brand ({@code Chromium}, {@code Google Chrome}, {@code Microsoft Edge}).
 */
final class BrowserFamily {

    // Whole words only, so that an application such as "knowledge-base" is not Edge; "msedge" is Edge's executable.
    private static final Map<String, String> FAMILY_OF_WORD = Map.of("edge", "edge", "msedge", "edge",
            "chromium", "chromium", "chrome", "chrome", "brave", "brave", "opera", "opera", "vivaldi", "vivaldi");
    private static final Pattern WORD_SEPARATORS = Pattern.compile("[^a-z0-9]+");

    private BrowserFamily() {}

    /** The family of a name such as {@code Google Chrome}, {@code msedge}, {@code chromium-browser}. */
    static Optional<String> of(String name) {
        for (String word : WORD_SEPARATORS.split(name.toLowerCase(Locale.ROOT))) {
            String family = FAMILY_OF_WORD.get(word);
            if (family != null) {
                return Optional.of(family);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the application (by its name, or its executable's file name) is the browser the extension named.
     * Browsers outside the known families match only by the exact name.
     */
    static boolean matches(String browserName, String application, Optional<Path> executable) {
        Optional<String> browser = of(browserName);
        if (browser.isEmpty()) {
            return !application.isEmpty() && application.equalsIgnoreCase(browserName);
        }
        if (of(application).equals(browser)) {
            return true;
        }
        return executable.map(Path::getFileName).map(Path::toString).flatMap(BrowserFamily::of).equals(browser);
    }
}
