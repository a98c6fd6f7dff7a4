package com.xentracker.core.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * A policy's title redaction rules, applied the one way both the agent (before a title is stored) and the server's
 * preview (for an administrator trying a rule) apply them: every rule in order replaces all its matches; a rule that
 * fails, because its replacement names a group the pattern lacks or because matching runs past the time budget (a
 * pattern that backtracks catastrophically), drops the title entirely (better no title than an unredacted one); a
 * title that ends up blank is not stored either.
 */
public final class TitleRedaction {

    /** How long all rules together may take on one title (the agent's budget). */
    public static final Duration BUDGET = Duration.ofMillis(100);

    /** Why a rule failed. */
    public enum Failure {
        /** Matching ran past the time budget. */
        TOO_SLOW,
        /** The replacement could not be applied (a reference to a group the pattern lacks, a dangling $ or \). */
        INVALID_REPLACEMENT
    }

    /**
     * What redaction made of one title.
     *
     * @param steps      the text after each rule that ran, in order
     * @param stored     the title to store; empty when a rule failed or nothing but blanks is left
     * @param failedRule the index (from 0) of the rule that failed, if one did
     */
    public record Result(List<String> steps, Optional<String> stored, OptionalInt failedRule,
            Optional<Failure> failure) {

        public Result {
            steps = List.copyOf(steps);
            Objects.requireNonNull(stored, "stored");
            Objects.requireNonNull(failedRule, "failedRule");
            Objects.requireNonNull(failure, "failure");
        }
    }

    private final List<Pattern> patterns;
    private final List<String> replacements;

    private TitleRedaction(List<Pattern> patterns, List<String> replacements) {
        this.patterns = patterns;
        this.replacements = replacements;
    }

    /** The rules compiled once, for use on many titles. */
    public static TitleRedaction of(List<RedactionRule> rules) {
        return new TitleRedaction(rules.stream().map(rule -> Pattern.compile(rule.pattern())).toList(),
                rules.stream().map(RedactionRule::replacement).toList());
    }

    public int size() {
        return patterns.size();
    }

    /** Applies every rule to {@code title} within {@link #BUDGET}. */
    public Result apply(String title) {
        return apply(title, BUDGET);
    }

    /** Applies every rule to {@code title}; all of them together may take {@code budget}. */
    public Result apply(String title, Duration budget) {
        Objects.requireNonNull(title, "title");
        String text = title;
        List<String> steps = new ArrayList<>(patterns.size());
        long deadline = System.nanoTime() + budget.toNanos();
        for (int i = 0; i < patterns.size(); i++) {
            try {
                text = patterns.get(i).matcher(new BoundedCharSequence(text, deadline)).replaceAll(replacements.get(i));
            } catch (BoundedCharSequence.DeadlineExceeded e) {
                return new Result(steps, Optional.empty(), OptionalInt.of(i), Optional.of(Failure.TOO_SLOW));
            } catch (RuntimeException e) { // IllegalArgumentException, IndexOutOfBoundsException: the replacement
                return new Result(steps, Optional.empty(), OptionalInt.of(i),
                        Optional.of(Failure.INVALID_REPLACEMENT));
            }
            steps.add(text);
        }
        return new Result(steps, text.isBlank() ? Optional.empty() : Optional.of(text), OptionalInt.empty(),
                Optional.empty());
    }
}
