package com.xentracker.testing.prerequisite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** The rule's promise: a missing prerequisite skips, or with XT_REQUIRE_ALL=1 fails, and either way names it. */
class PrerequisitesTest {

    @Test
    void aMissingToolSkipsOrUnderRequireAllFailsNamingTheToolAndHowToGetIt() {
        assertThatThrownBy(() -> Prerequisites.requireTools(List.of("xt-no-such-tool"), "apt-get install xt"))
                .isInstanceOf(Prerequisites.requireAll() ? MissingPrerequisiteException.class
                        : TestAbortedException.class)
                .hasMessageContaining("'xt-no-such-tool'")
                .hasMessageContaining("apt-get install xt");
    }

    @Test
    void whatIsPresentPassesQuietly() {
        assertThat(Prerequisites.onPath("sh")).isPresent();
        assertThatCode(() -> Prerequisites.requireTools(List.of("sh"), "always there")).doesNotThrowAnyException();
        assertThatCode(() -> Prerequisites.require(true, "something")).doesNotThrowAnyException();
    }
}
