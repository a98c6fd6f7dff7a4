package com.xentracker.collector.browser;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Domain and URL hygiene shared by the policy and the parser. */
final class UrlRules {

    /** Longest URL path kept; longer paths are cut (they are usually generated, not meaningful). */
    static final int MAX_PATH_LENGTH = 1024;

    // A DNS name (letters, digits, hyphens, underscores seen in the wild, dots) or an IPv4 address. IPv6 literals
    // and internationalized names arrive from the browser already in ASCII (punycode) form or in brackets.
    private static final Pattern HOST = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,62})(\\.[a-z0-9_]([a-z0-9_-]{0,62}))*");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]{2,45}\\]");

    private UrlRules() {}

    /** The domain in canonical form (lower case, no trailing dot), or empty when it is not a host name. */
    static Optional<String> normalizeDomain(String domain) {
        if (domain == null) {
            return Optional.empty();
        }
        String d = domain.strip().toLowerCase(Locale.ROOT);
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        if (d.isEmpty() || d.length() > 253) {
            return Optional.empty();
        }
        return HOST.matcher(d).matches() || IPV6.matcher(d).matches() ? Optional.of(d) : Optional.empty();
    }

    /**
     * The URL reduced to {@code scheme://host[:port]/path}: never credentials, never the query or fragment (search
     * terms, session tokens and personal identifiers live there). Empty unless it is an http(s) URL on
     * {@code domain}, so an extension cannot attribute one site's URL to another's domain.
     */
    static Optional<String> sanitizeUrl(String url, String domain) {
        try {
            URI uri = new URI(url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                return Optional.empty();
            }
            Optional<String> host = normalizeDomain(uri.getHost());
            if (host.isEmpty() || !host.get().equals(domain)) {
                return Optional.empty();
            }
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (path.length() > MAX_PATH_LENGTH) {
                path = path.substring(0, MAX_PATH_LENGTH);
            }
            String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
            return Optional.of(scheme + "://" + host.get() + port + path);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
