package com.xentracker.collector.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** The fixture's promise: a missing tool skips, or with XT_REQUIRE_ALL=1 fails, and either way names the tool. */
class XServerExtensionTest {

    @Test
    void aMissingToolSkipsOrUnderRequireAllFailsNamingTheTool() {
        boolean requireAll = "1".equals(System.getenv("XT_REQUIRE_ALL"));

        assertThatThrownBy(() -> XServerExtension.requireTools(List.of("xt-no-such-tool")))
                .isInstanceOf(requireAll ? IllegalStateException.class : TestAbortedException.class)
                .hasMessageContaining("'xt-no-such-tool' is not installed");
    }
}
