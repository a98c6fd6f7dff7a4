package com.xentracker.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a typed recovery code is read before its hash is looked up. */
class RecoveryCodeFormTest {

    @Test
    void caseHyphensAndSpacesDoNotMatter() {
        assertThat(SecondFactors.canonicalRecoveryCode("ABCDE-fghij klmno-p")).hasValue("abcdefghijklmnop");
        assertThat(SecondFactors.canonicalRecoveryCode(" abcdefghijklmnop\n")).hasValue("abcdefghijklmnop");
    }

    @Test
    void zeroAndOneAreReadAsTheLettersTheyLookLike() {
        assertThat(SecondFactors.canonicalRecoveryCode("g00d1-abcde-fghij-k")).hasValue("goodlabcdefghijk");
    }

    @Test
    void whatIsNotSixteenCharactersOfTheAlphabetIsNoRecoveryCode() {
        assertThat(SecondFactors.canonicalRecoveryCode("abcde-fghij-klmno")).isEmpty();
        assertThat(SecondFactors.canonicalRecoveryCode("abcde-fghij-klmno-pq")).isEmpty();
        assertThat(SecondFactors.canonicalRecoveryCode("abcde-fghij-klmno-8")).as("8 is not base32").isEmpty();
        assertThat(SecondFactors.canonicalRecoveryCode("123456")).isEmpty();
    }
}
