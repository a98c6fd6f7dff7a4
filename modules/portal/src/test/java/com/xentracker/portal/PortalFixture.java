package com.xentracker.portal;

import com.xentracker.server.spi.WebModule;
import io.javalin.Javalin;
import java.util.ServiceLoader;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts a real Javalin server per test, configured only by the portal's {@link WebModule} as found by
 * {@link ServiceLoader} (the way the server will find it), and hands the test a {@link Portal}.
 */
final class PortalFixture implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PortalFixture.class);

    /** The portal found by ServiceLoader, as the server finds it. */
    static WebModule webModule() {
        // The portal's descriptor has no "uses" (only the server looks modules up); the tests, patched into the
        // portal module, add it for themselves.
        PortalFixture.class.getModule().addUses(WebModule.class);
        return ServiceLoader.load(WebModule.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(module -> module.name().equals("portal"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no WebModule named portal found by ServiceLoader"));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        TestServices services = new TestServices();
        WebModule module = webModule();
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            module.configure(config, services);
        }).start("127.0.0.1", 0);
        context.getStore(NAMESPACE).put(Javalin.class, app);
        context.getStore(NAMESPACE).put(Portal.class, new Portal(services, app.port()));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Javalin app = context.getStore(NAMESPACE).remove(Javalin.class, Javalin.class);
        if (app != null) {
            app.stop();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Portal.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).get(Portal.class, Portal.class);
    }
}
