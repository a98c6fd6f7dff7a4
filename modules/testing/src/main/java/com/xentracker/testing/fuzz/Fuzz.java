package com.xentracker.testing.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.sessions.JqwikSession;

/**
 * Runs one fuzz target: inputs drawn from a jqwik {@link Arbitrary} (its generators and edge cases) with a seeded
 * {@link Random}, each given to a property that throws when it does not hold.
 *
 * <p>Why a driver instead of jqwik's {@code @Property}: jqwik takes a property's seed only from its annotation, so a
 * build cannot run the same properties with a fixed seed and few tries (every {@code mvn verify}) and with fresh
 * seeds and many tries ({@code -Pfuzz}). Here the seed and the number of inputs are system properties:
 * {@code xt.fuzz.seed} (default {@link #DEFAULT_SEED}; {@code random} draws one and prints it) and
 * {@code xt.fuzz.scale} (default 1: each target's own small count for CI; {@code -Pfuzz} multiplies it). A failing
 * input is reported with the seed, its index and its value, so that it can be replayed and become a named
 * regression test; there is no shrinking.
 */
public final class Fuzz {

    /** The seed of every normal build: the same inputs each time. */
    public static final long DEFAULT_SEED = 20261203L;
    /** jqwik's size hint for generated collections and strings (its default). */
    private static final int GEN_SIZE = 1000;

    private Fuzz() {
    }

    /** What a run did, for the test's report. */
    public record Run(String target, long seed, int inputs) {
        @Override
        public String toString() {
            return "fuzz " + target + ": " + inputs + " inputs, seed " + seed;
        }
    }

    /** The seed of this run. */
    public static long seed() {
        String configured = System.getProperty("xt.fuzz.seed", Long.toString(DEFAULT_SEED)).strip();
        return configured.equals("random") ? new Random().nextLong() : Long.parseLong(configured);
    }

    /** How many inputs a target with {@code ciInputs} in the normal build gets in this run. */
    public static int inputs(int ciInputs) {
        long scale = Long.parseLong(System.getProperty("xt.fuzz.scale", "1").strip());
        return (int) Math.min(Integer.MAX_VALUE, ciInputs * Math.max(1, scale));
    }

    /**
     * Feeds {@code inputs(ciInputs)} values of {@code arbitrary} to {@code property}; every value that makes it throw
     * is collected (up to ten), then the run fails with all of them.
     *
     * @param describe how a failing input is shown (bytes as hex, strings escaped)
     */
    public static <T> Run run(String target, int ciInputs, Arbitrary<T> arbitrary, Function<T, String> describe,
            Consumer<T> property) {
        Objects.requireNonNull(property, "property");
        long seed = seed();
        int count = inputs(ciInputs);
        Random random = new Random(seed);
        List<String> failures = new ArrayList<>();
        AssertionError first = null;
        // jqwik's generators run only inside its lifecycle; a session provides one for a plain JUnit test
        JqwikSession.start();
        try {
            var generator = arbitrary.generator(GEN_SIZE, true);
            for (int i = 0; i < count && failures.size() < 10; i++) {
                T input = generator.next(random).value();
                try {
                    property.accept(input);
                } catch (AssertionError | RuntimeException e) {
                    failures.add("#" + i + " " + describe.apply(input) + " -> " + e);
                    if (first == null) {
                        first = new AssertionError(e.getMessage(), e);
                    }
                }
            }
        } finally {
            JqwikSession.finish();
        }
        Run run = new Run(target, seed, count);
        System.out.println(run);
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError(run + ": " + failures.size() + " failing input(s) (replay with"
                    + " -Dxt.fuzz.seed=" + seed + "):\n" + String.join("\n", failures), first);
            throw error;
        }
        return run;
    }

    /** Bytes as hex, for reports. */
    public static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 512))
                + (bytes.length > 512 ? "…(" + bytes.length + " bytes)" : "");
    }

    /** A string with control and non-ASCII characters escaped, for reports. */
    public static String escaped(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().limit(400).forEach(c -> {
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                out.append((char) c);
            } else {
                out.append(String.format("\\u{%x}", c));
            }
        });
        return out.append(text.length() > 400 ? "\"…" : "\"").toString();
    }
}
