package com.xentracker.collector.browser;

import java.util.Objects;
import java.util.Optional;

/**
 * The tab an event is about.
 *
 * @param domain   the host name, lower case, without port; empty when {@code excluded}
 * @param url      the URL without credentials, query or fragment, only when the policy collects full URLs
 * @param title    the page title, only when the policy collects titles
 * @param audible  whether the tab was playing sound
 * @param excluded the domain is excluded by policy: only the time is kept, never the domain, URL or title
 */
public record WebTab(String domain, Optional<String> url, Optional<String> title, boolean audible, boolean excluded) {

    public WebTab {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(title, "title");
        if (excluded && (!domain.isEmpty() || url.isPresent() || title.isPresent())) {
            throw new IllegalArgumentException("an excluded tab carries no domain, URL or title");
        }
        if (!excluded && domain.isEmpty()) {
            throw new IllegalArgumentException("a tab that is not excluded has a domain");
        }
    }

    /** A tab known by its domain only (the default collection). */
    public static WebTab of(String domain, boolean audible) {
        return new WebTab(domain, Optional.empty(), Optional.empty(), audible, false);
    }

    /** A tab on an excluded domain. */
    public static WebTab excluded(boolean audible) {
        return new WebTab("", Optional.empty(), Optional.empty(), audible, true);
    }
}
