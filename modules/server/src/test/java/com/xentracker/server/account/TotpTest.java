package com.xentracker.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TotpTest {

    /** The shared secret of RFC 4226 appendix D and RFC 6238 appendix B (SHA-1): ASCII "12345678901234567890". */
    private static final byte[] RFC_SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    /** RFC 6238 appendix B, the SHA-1 rows: Unix time and the 8-digit TOTP. */
    @ParameterizedTest
    @CsvSource({
            "59, 94287082",
            "1111111109, 07081804",
            "1111111111, 14050471",
            "1234567890, 89005924",
            "2000000000, 69279037",
            "20000000000, 65353130"})
    void eightDigitCodesAreTheTestVectorsOfRfc6238(long unixTime, String expected) {
        assertThat(Totp.withDigits(8).code(RFC_SECRET, Totp.step(Instant.ofEpochSecond(unixTime))))
                .isEqualTo(expected);
    }

    /** The same times with the 6 digits authenticator apps show: the vectors' last six digits. */
    @ParameterizedTest
    @CsvSource({
            "59, 287082",
            "1111111109, 081804",
            "1111111111, 050471",
            "1234567890, 005924",
            "2000000000, 279037",
            "20000000000, 353130"})
    void sixDigitCodesAreTheLastSixDigitsOfTheVectors(long unixTime, String expected) {
        assertThat(Totp.standard().code(RFC_SECRET, Totp.step(Instant.ofEpochSecond(unixTime)))).isEqualTo(expected);
    }

    /** RFC 4226 appendix D: HOTP by counter, which is what a TOTP step is. */
    @Test
    void codesByStepAreTheHotpValuesOfRfc4226() {
        String[] expected = {"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583",
                "399871", "520489"};
        for (int counter = 0; counter < expected.length; counter++) {
            assertThat(Totp.standard().code(RFC_SECRET, counter)).as("counter %d", counter)
                    .isEqualTo(expected[counter]);
        }
    }

    @Test
    void aStepIsThirtySecondsFromTheEpoch() {
        assertThat(Totp.step(Instant.ofEpochSecond(0))).isZero();
        assertThat(Totp.step(Instant.ofEpochSecond(29))).isZero();
        assertThat(Totp.step(Instant.ofEpochSecond(30))).isOne();
        assertThat(Totp.step(Instant.ofEpochSecond(59).plusMillis(999))).isOne();
    }

    @Test
    void codesOfTheCurrentStepAndOneStepEitherSideAreAcceptedTwoStepsAreNot() {
        Totp totp = Totp.standard();
        Instant now = Instant.parse("2026-11-29T10:15:40Z");
        long step = Totp.step(now);

        for (int offset = -1; offset <= 1; offset++) {
            assertThat(totp.match(RFC_SECRET, totp.code(RFC_SECRET, step + offset), now, OptionalLong.empty()))
                    .as("offset %d", offset).hasValue(step + offset);
        }
        assertThat(totp.match(RFC_SECRET, totp.code(RFC_SECRET, step - 2), now, OptionalLong.empty())).isEmpty();
        assertThat(totp.match(RFC_SECRET, totp.code(RFC_SECRET, step + 2), now, OptionalLong.empty())).isEmpty();
    }

    @Test
    void aCodeOfAStepNotNewerThanTheLastUsedIsRefused() {
        Totp totp = Totp.standard();
        Instant now = Instant.parse("2026-11-29T10:15:40Z");
        long step = Totp.step(now);
        String current = totp.code(RFC_SECRET, step);

        assertThat(totp.match(RFC_SECRET, current, now, OptionalLong.of(step))).as("the same step again").isEmpty();
        assertThat(totp.match(RFC_SECRET, totp.code(RFC_SECRET, step - 1), now, OptionalLong.of(step - 1)))
                .as("the previous step, used").isEmpty();
        assertThat(totp.match(RFC_SECRET, current, now, OptionalLong.of(step - 1))).hasValue(step);
        assertThat(totp.match(RFC_SECRET, totp.code(RFC_SECRET, step + 1), now, OptionalLong.of(step)))
                .as("the next step after the current one was used").hasValue(step + 1);
    }

    @Test
    void aCodeIsTypedAsTheAppsShowIt() {
        Totp totp = Totp.standard();
        Instant now = Instant.parse("2026-11-29T10:15:40Z");
        String code = totp.code(RFC_SECRET, Totp.step(now));

        assertThat(totp.match(RFC_SECRET, code.substring(0, 3) + " " + code.substring(3), now, OptionalLong.empty()))
                .isPresent();
        assertThat(totp.match(RFC_SECRET, " " + code + "\n", now, OptionalLong.empty())).isPresent();
    }

    @Test
    void whatIsNotSixDigitsIsNoCode() {
        Totp totp = Totp.standard();
        Instant now = Instant.parse("2026-11-29T10:15:40Z");
        String code = totp.code(RFC_SECRET, Totp.step(now));

        assertThat(totp.match(RFC_SECRET, code.substring(1), now, OptionalLong.empty())).isEmpty();
        assertThat(totp.match(RFC_SECRET, code + "0", now, OptionalLong.empty())).isEmpty();
        assertThat(totp.match(RFC_SECRET, "abcdef", now, OptionalLong.empty())).isEmpty();
        assertThat(totp.match(RFC_SECRET, null, now, OptionalLong.empty())).isEmpty();
        assertThat(Totp.looksLikeCode("123 456")).isTrue();
        assertThat(Totp.looksLikeCode("abcde-fghij-klmno-p")).isFalse();
    }

    @Test
    void theStepIsThirtySecondsAndTheSecretHas160Bits() {
        assertThat(Totp.STEP).isEqualTo(Duration.ofSeconds(30));
        assertThat(Totp.SECRET_BYTES * 8).isEqualTo(160);
    }
}
