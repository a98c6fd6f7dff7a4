package com.xentracker.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.server.spi.WebModule;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class PortalWebModuleTest {

    @Test
    void serverFindsThePortalThroughServiceLoader() {
        // The portal's descriptor has no "uses" (only the server looks modules up); the test adds it for itself.
        PortalWebModuleTest.class.getModule().addUses(WebModule.class);

        assertThat(ServiceLoader.load(WebModule.class).stream().map(ServiceLoader.Provider::get))
                .singleElement().isInstanceOf(PortalWebModule.class);
    }
}
