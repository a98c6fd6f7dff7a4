package com.xentracker.portal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PortalWebModuleTest {

    @Test
    void serverFindsThePortalThroughServiceLoader() {
        assertThat(PortalFixture.webModule()).isInstanceOf(PortalWebModule.class);
    }
}
