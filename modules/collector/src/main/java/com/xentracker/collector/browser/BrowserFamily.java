package com.xentracker.collector.browser;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which browser a desktop application is, and which browser an extension report comes from, so that the agent can
 * tell whether the foreground application is the browser that reported its active tab. The probes name applications
 * differently per platform ({@code chromium}, {@code google-chrome}, {@code microsoft-edge} on X11; {@code chrome},
 * {@code msedge} on Windows; {@code google chrome}, {@code microsoft edge} on macOS); the extension names the
 * browser by its User-Agent Client Hints brand ({@code Chromium}, {@code Google Chrome}, {@code Microsoft Edge}).
 */
final class BrowserFamily {

    // Most specific first: "chromium" is not "chrome", and Edge's executable mentions neither.
    private static final List<String> FAMILIES = List.of("edge", "chromium", "chrome", "brave", "opera", "vivaldi");

    private BrowserFamily() {}

    /** The family of a name such as {@code Google Chrome}, {@code msedge}, {@code chromium-browser}. */
    static Optional<String> of(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (String family : FAMILIES) {
            if (n.contains(family)) {
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
