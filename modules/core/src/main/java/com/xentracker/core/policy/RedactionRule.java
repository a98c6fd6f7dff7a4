package com.xentracker.core.policy;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One title redaction rule: every match of {@code pattern} is replaced by {@code replacement} before a title is
 * stored. Patterns are Java regular expressions; the replacement may use {@code $1} group references.
 */
public record RedactionRule(String pattern, String replacement) {
    public RedactionRule {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(replacement, "replacement");
        try {
            Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("redaction pattern is not a valid regular expression: "
                    + e.getDescription(), e);
        }
    }

    public static RedactionRule of(String pattern, String replacement) {
        return new RedactionRule(pattern, replacement);
    }
}
