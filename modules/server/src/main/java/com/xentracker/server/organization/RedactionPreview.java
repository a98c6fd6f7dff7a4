package com.xentracker.server.organization;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A sample title after a policy's redaction rules, as an agent would store it.
 *
 * @param steps  the text after each rule, in order (up to the one that failed)
 * @param stored what the agent would store; empty when it would store no title (a rule failed, or nothing is left)
 * @param reason why no title would be stored, when none would
 */
public record RedactionPreview(String sample, List<String> steps, Optional<String> stored, Optional<String> reason) {

    /** As long as a sample may be. */
    public static final int MAX_SAMPLE = 1000;

    public RedactionPreview {
        Objects.requireNonNull(sample, "sample");
        steps = List.copyOf(steps);
        Objects.requireNonNull(stored, "stored");
        Objects.requireNonNull(reason, "reason");
    }
}
