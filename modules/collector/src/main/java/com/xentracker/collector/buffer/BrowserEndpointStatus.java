package com.xentracker.collector.buffer;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the agent last noted about its loopback endpoint for the browser extension, for {@code status}.
 *
 * @param listening  whether the endpoint listens
 * @param detail     plain words: where it listens, or why not (turned off, port in use)
 * @param since      when the agent noted this
 * @param lastReport when an extension last delivered events (agent's clock); empty when none did
 */
public record BrowserEndpointStatus(boolean listening, String detail, Instant since, Optional<Instant> lastReport) {

    public BrowserEndpointStatus {
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(lastReport, "lastReport");
    }
}
