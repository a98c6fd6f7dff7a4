package com.xentracker.collector.browser;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A stretch of time on one web page (domain, or URL and title when the policy collects them) in one browser.
 *
 * @param open whether the span is still being extended by heartbeats
 */
public record WebSpan(Instant start, Instant end, WebSpanState state, String browserName, String browserVersion,
        String domain, Optional<String> url, Optional<String> title, boolean audible, boolean open) {

    public WebSpan {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(browserName, "browserName");
        Objects.requireNonNull(browserVersion, "browserVersion");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(title, "title");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("web span ends (" + end + ") before it starts (" + start + ")");
        }
    }
}
