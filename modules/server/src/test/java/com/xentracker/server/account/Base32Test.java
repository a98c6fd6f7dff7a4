package com.xentracker.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Base32Test {

    /** RFC 4648 section 10, without the padding authenticator apps do not want. */
    @ParameterizedTest
    @CsvSource({
            "'', ''",
            "f, MY",
            "fo, MZXQ",
            "foo, MZXW6",
            "foob, MZXW6YQ",
            "fooba, MZXW6YTB",
            "foobar, MZXW6YTBOI"})
    void encodesTheTestVectorsOfRfc4648(String text, String expected) {
        assertThat(Base32.encode(text.getBytes(StandardCharsets.US_ASCII))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"20, 32", "10, 16"})
    void aSecretAndARecoveryCodeEncodeToWholeCharacters(int bytes, int characters) {
        assertThat(Base32.encode(new byte[bytes])).hasSize(characters).matches("A+");
    }
}
