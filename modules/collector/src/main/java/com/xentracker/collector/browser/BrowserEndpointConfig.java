package com.xentracker.collector.browser;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Settings of the loopback endpoint the browser extension reports to; immutable and validated on construction.
 *
 * <p>Keys: {@code browser-endpoint-port} (default {@value #DEFAULT_PORT}; 0 = any free port, for tests),
 * {@code browser-extension-ids} (comma-separated; default the ID of the extension built from this repository, see
 * extension/README.md; add the Chrome Web Store and Edge Add-ons IDs once published), {@code browser-shared-token}
 * (optional; the same value as the extension's managed {@code sharedToken}), {@code browser-max-body-bytes}
 * (16384), {@code browser-requests-per-second} (5) and {@code browser-request-burst} (20).
 *
 * @param port                the TCP port on 127.0.0.1
 * @param allowedExtensionIds extension IDs whose {@code Origin: chrome-extension://<id>} is accepted
 * @param sharedToken         when present, requests must carry it in {@value BrowserEndpoint#TOKEN_HEADER}
 * @param maxBodyBytes        larger request bodies are refused with 413
 * @param requestsPerSecond   sustained rate of accepted requests; above it 429
 * @param requestBurst        requests accepted at once before the rate applies
 */
public record BrowserEndpointConfig(int port, Set<String> allowedExtensionIds, Optional<String> sharedToken,
        int maxBodyBytes, int requestsPerSecond, int requestBurst) {

    /** Chosen from the dynamic range, away from well-known services; documented in extension/README.md. */
    public static final int DEFAULT_PORT = 47291;
    /** The ID of the extension in this repository (from the public key in extension/manifest.json). */
    public static final String REPOSITORY_EXTENSION_ID = "fdhcaekpadpfibodbaohegojndhejhco";
    public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024;
    public static final int DEFAULT_REQUESTS_PER_SECOND = 5;
    public static final int DEFAULT_REQUEST_BURST = 20;

    public static final String PORT = "browser-endpoint-port";
    public static final String EXTENSION_IDS = "browser-extension-ids";
    public static final String SHARED_TOKEN = "browser-shared-token";
    public static final String MAX_BODY_BYTES = "browser-max-body-bytes";
    public static final String REQUESTS_PER_SECOND = "browser-requests-per-second";
    public static final String REQUEST_BURST = "browser-request-burst";
    /** Every key, in the order {@link #describe()} lists them. */
    public static final List<String> KEYS =
            List.of(PORT, EXTENSION_IDS, SHARED_TOKEN, MAX_BODY_BYTES, REQUESTS_PER_SECOND, REQUEST_BURST);

    // Chrome and Edge extension IDs: 32 letters a-p (the hex digits of a SHA-256 prefix, shifted).
    private static final Pattern EXTENSION_ID = Pattern.compile("[a-p]{32}");
    // Printable ASCII without spaces, so that it survives an HTTP header and a policy file unchanged.
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]{16,256}");

    public BrowserEndpointConfig {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(PORT + " must be between 0 and 65535; got " + port);
        }
        Objects.requireNonNull(allowedExtensionIds, EXTENSION_IDS);
        allowedExtensionIds = Set.copyOf(allowedExtensionIds);
        if (allowedExtensionIds.isEmpty()) {
            throw new IllegalArgumentException(EXTENSION_IDS + " must name at least one extension");
        }
        for (String id : allowedExtensionIds) {
            if (!EXTENSION_ID.matcher(id).matches()) {
                throw new IllegalArgumentException(EXTENSION_IDS + ": '" + id + "' is not an extension ID"
                        + " (32 letters a-p)");
            }
        }
        Objects.requireNonNull(sharedToken, SHARED_TOKEN);
        if (sharedToken.isPresent() && !TOKEN.matcher(sharedToken.get()).matches()) {
            // the message never repeats the value: it is a secret
            throw new IllegalArgumentException(SHARED_TOKEN + " must be 16 to 256 printable ASCII characters"
                    + " without spaces");
        }
        if (maxBodyBytes < 1024 || maxBodyBytes > 1024 * 1024) {
            throw new IllegalArgumentException(MAX_BODY_BYTES + " must be between 1024 and 1048576; got "
                    + maxBodyBytes);
        }
        if (requestsPerSecond < 1 || requestsPerSecond > 1000) {
            throw new IllegalArgumentException(REQUESTS_PER_SECOND + " must be between 1 and 1000; got "
                    + requestsPerSecond);
        }
        if (requestBurst < 1 || requestBurst > 10_000) {
            throw new IllegalArgumentException(REQUEST_BURST + " must be between 1 and 10000; got "
                    + requestBurst);
        }
    }

    /** The default port, this repository's extension only, no token, default limits. */
    public static BrowserEndpointConfig defaults() {
        return new BrowserEndpointConfig(DEFAULT_PORT, Set.of(REPOSITORY_EXTENSION_ID), Optional.empty(),
                DEFAULT_MAX_BODY_BYTES, DEFAULT_REQUESTS_PER_SECOND, DEFAULT_REQUEST_BURST);
    }

    /**
     * This configuration with one key replaced.
     *
     * @throws IllegalArgumentException for an unknown key or a value that does not parse or is out of range
     */
    public BrowserEndpointConfig with(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        String v = value.strip();
        return switch (key.strip()) {
            case PORT -> new BrowserEndpointConfig(number(key, v), allowedExtensionIds, sharedToken, maxBodyBytes,
                    requestsPerSecond, requestBurst);
            case EXTENSION_IDS -> new BrowserEndpointConfig(port, Arrays.stream(v.split(","))
                    .map(String::strip).filter(id -> !id.isEmpty()).collect(Collectors.toSet()), sharedToken,
                    maxBodyBytes, requestsPerSecond, requestBurst);
            case SHARED_TOKEN -> new BrowserEndpointConfig(port, allowedExtensionIds,
                    v.isEmpty() ? Optional.empty() : Optional.of(v), maxBodyBytes, requestsPerSecond, requestBurst);
            case MAX_BODY_BYTES -> new BrowserEndpointConfig(port, allowedExtensionIds, sharedToken, number(key, v),
                    requestsPerSecond, requestBurst);
            case REQUESTS_PER_SECOND -> new BrowserEndpointConfig(port, allowedExtensionIds, sharedToken,
                    maxBodyBytes, number(key, v), requestBurst);
            case REQUEST_BURST -> new BrowserEndpointConfig(port, allowedExtensionIds, sharedToken, maxBodyBytes,
                    requestsPerSecond, number(key, v));
            default -> throw new IllegalArgumentException("unknown configuration key '" + key + "'; known keys: "
                    + String.join(", ", KEYS));
        };
    }

    /** Key to value as logged at start; the shared token is masked. */
    public Map<String, String> describe() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(PORT, Integer.toString(port));
        map.put(EXTENSION_IDS, String.join(",", new TreeSet<>(allowedExtensionIds)));
        map.put(SHARED_TOKEN, sharedToken.isPresent() ? "****" : "(none)");
        map.put(MAX_BODY_BYTES, Integer.toString(maxBodyBytes));
        map.put(REQUESTS_PER_SECOND, Integer.toString(requestsPerSecond));
        map.put(REQUEST_BURST, Integer.toString(requestBurst));
        return map;
    }

    /** The description, so that a stray log of the record never shows the token. */
    @Override
    public String toString() {
        return describe().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static int number(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number; got '" + value + "'", e);
        }
    }
}
