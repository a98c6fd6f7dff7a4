package com.xentracker.collector.browser;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One event of a browser extension, after the endpoint applied the organization's {@link WebPolicy}.
 *
 * @param at             when the extension observed it (the device's own clock)
 * @param state          focus and idle state of the browser
 * @param browserName    e.g. {@code Google Chrome}, {@code Microsoft Edge}, {@code Chromium}
 * @param browserVersion e.g. {@code 126.0.6478.126}; empty when unknown
 * @param tab            the active tab (when {@code ACTIVE}) or a tab playing audio (otherwise); empty when there is
 *                       no web page to report (a browser page, an incognito window, nothing playing)
 */
public record BrowserActivity(Instant at, BrowserState state, String browserName, String browserVersion,
        Optional<WebTab> tab) {

    public BrowserActivity {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(browserName, "browserName");
        Objects.requireNonNull(browserVersion, "browserVersion");
        Objects.requireNonNull(tab, "tab");
        if (browserName.isBlank()) {
            throw new IllegalArgumentException("browser name is blank");
        }
    }

    BrowserActivity withTab(Optional<WebTab> newTab) {
        return new BrowserActivity(at, state, browserName, browserVersion, newTab);
    }
}
