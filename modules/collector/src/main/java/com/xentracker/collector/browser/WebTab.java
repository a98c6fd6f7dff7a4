package com.xentracker.collector.browser;

import java.util.Objects;
import java.util.Optional;

/**
 * The tab an event is about.
 *
 * @param domain   the host name, lower case, without port; empty when {@code excluded}
 * @param url      the URL without credentials, query or fragment, only when the policy collects full URLs
 * @param audible  whether the tab was playing sound
 * @param excluded the domain is excluded by policy: only the time is kept, never the domain or URL
 *
 * <p>No page title: the agent never keeps one (the browser window's title is the page title already, and it is
 * governed by the policy's window-title rules).
 */
public record WebTab(String domain, Optional<String> url, boolean audible, boolean excluded) {

    public WebTab {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(url, "url");
        if (excluded && (!domain.isEmpty() || url.isPresent())) {
            throw new IllegalArgumentException("an excluded tab carries no domain or URL");
        }
        if (!excluded && domain.isEmpty()) {
            throw new IllegalArgumentException("a tab that is not excluded has a domain");
        }
    }

    /** A tab known by its domain only (the default collection). */
    public static WebTab of(String domain, boolean audible) {
        return new WebTab(domain, Optional.empty(), audible, false);
    }

    /** A tab on an excluded domain. */
    public static WebTab excluded(boolean audible) {
        return new WebTab("", Optional.empty(), audible, true);
    }
}
