package com.xentracker.core.activity;

import java.util.Objects;
import java.util.Optional;

/**
 * The web page in the foreground browser's active tab, as the browser extension reported it and the organization's
 * policy allows it to be kept: the domain always, the full URL only when the policy collects URLs (after its rules).
 *
 * @param domain the host name, lower-case, without port (e.g. {@code docs.example.com}); never empty
 * @param url    the full URL, only when the policy collects full URLs
 */
public record WebPage(String domain, Optional<String> url) {

    /** Longer domains are not valid DNS names (RFC 1035). */
    public static final int MAX_DOMAIN_LENGTH = 253;
    /** Longer URLs are cut by the agent before they are stored; browsers themselves cap far higher. */
    public static final int MAX_URL_LENGTH = 2048;

    public WebPage {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(url, "url");
        if (domain.isBlank() || domain.length() > MAX_DOMAIN_LENGTH) {
            throw new IllegalArgumentException("a web page's domain is 1 to " + MAX_DOMAIN_LENGTH
                    + " characters, got " + domain.length());
        }
        if (url.isPresent() && url.get().length() > MAX_URL_LENGTH) {
            throw new IllegalArgumentException("a web page's URL is at most " + MAX_URL_LENGTH + " characters");
        }
    }

    /** A page known by its domain only (the default policy). */
    public static WebPage ofDomain(String domain) {
        return new WebPage(domain, Optional.empty());
    }

    /** A page with its full URL (when the policy collects URLs). */
    public static WebPage of(String domain, String url) {
        return new WebPage(domain, Optional.of(url));
    }

    /** The same page without its URL. */
    public WebPage withoutUrl() {
        return url.isEmpty() ? this : new WebPage(domain, Optional.empty());
    }

    @Override
    public String toString() {
        // URLs can carry personal data in paths and queries: keep them out of logs
        return "WebPage[domain=" + domain + (url.isPresent() ? ", url=…]" : "]");
    }
}
