package com.xentracker.server.account;

import com.eatthepath.otp.HmacOneTimePasswordGenerator;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords as authenticator apps make them (RFC 6238): HMAC-SHA-1, 6 digits, 30-second steps
 * counted from the Unix epoch. The HOTP computation of RFC 4226 is java-otp's (a small, well-kept library on the
 * JDK's {@code Mac}); what a step is, which steps are accepted and replay are decided here.
 *
 * <p>A code is accepted for the current step and one step either side (RFC 6238 section 5.2 recommends at most one:
 * phones' clocks drift and people type slowly), and only for a step newer than the last one accepted, so a code that
 * was seen (over a shoulder, in a proxy log) cannot be used a second time, not even within its own 30 seconds.
 */
final class Totp {

    static final Duration STEP = Duration.ofSeconds(30);
    static final int DIGITS = 6;
    /** Steps accepted either side of the current one. */
    static final int TOLERANCE = 1;
    /** RFC 4226 recommends a shared secret of 160 bits, SHA-1's output length. */
    static final int SECRET_BYTES = 20;

    private static final Pattern WELL_FORMED = Pattern.compile("[0-9]{" + DIGITS + "}");
    private static final String ALGORITHM = "HmacSHA1";

    private final HmacOneTimePasswordGenerator hotp;

    private Totp(int digits) {
        // HMAC-SHA-1, RFC 4226's (and the apps') default; thread-safe: it clones a prototype Mac for every code
        this.hotp = new HmacOneTimePasswordGenerator(digits);
    }

    /** The authenticator apps' TOTP: 6 digits. */
    static Totp standard() {
        return new Totp(DIGITS);
    }

    /** Another number of digits, for RFC 6238's test vectors (8 digits). */
    static Totp withDigits(int digits) {
        return new Totp(digits);
    }

    /** The step {@code instant} falls in: whole 30-second periods since the Unix epoch. */
    static long step(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), STEP.getSeconds());
    }

    /** The code for {@code step}, zero-padded. */
    String code(byte[] secret, long step) {
        try {
            return String.format(Locale.ROOT, "%0" + hotp.getPasswordLength() + "d",
                    hotp.generateOneTimePassword(new SecretKeySpec(secret, ALGORITHM), step));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("an HMAC-SHA1 key of " + secret.length + " bytes was refused", e);
        }
    }

    /** Whether {@code text} looks like a code at all (6 digits once spaces are removed), so not a recovery code. */
    static boolean looksLikeCode(String text) {
        return WELL_FORMED.matcher(normalize(text)).matches();
    }

    /**
     * The step whose code {@code presented} is, among the current step and {@value #TOLERANCE} either side that are
     * newer than {@code lastUsed}; empty when there is none (wrong, too old or too new, or used already).
     */
    OptionalLong match(byte[] secret, String presented, Instant now, OptionalLong lastUsed) {
        String code = normalize(presented);
        if (!WELL_FORMED.matcher(code).matches()) {
            return OptionalLong.empty();
        }
        long current = step(now);
        long oldest = lastUsed.isPresent() ? Math.max(current - TOLERANCE, lastUsed.getAsLong() + 1)
                : current - TOLERANCE;
        OptionalLong matched = OptionalLong.empty();
        // every candidate is computed and compared in constant time: the time taken does not say which one matched
        for (long step = current - TOLERANCE; step <= current + TOLERANCE; step++) {
            boolean equal = MessageDigest.isEqual(code(secret, step).getBytes(StandardCharsets.US_ASCII),
                    code.getBytes(StandardCharsets.US_ASCII));
            if (equal && step >= oldest && matched.isEmpty()) {
                matched = OptionalLong.of(step);
            }
        }
        return matched;
    }

    /** People type codes as the apps show them, often with a space in the middle. */
    private static String normalize(String text) {
        return text == null ? "" : text.replaceAll("[\\s-]", "");
    }
}
