/**
 * The server-rendered admin portal: sign-in with a second factor, usage, people, groups, devices, enrollment,
 * accounts, the audit log and settings, each page calling the server's use cases as the signed-in account. It plugs
 * into the server as a {@link com.xentracker.server.spi.WebModule} found by {@link java.util.ServiceLoader}; it exports no API
 * of its own.
 */
module com.xentracker.portal {
    // The SPI (WebModule, ServerServices) and the account, usage and audit types it hands out.
    // Also the device directory's DeviceSummary, whose CaptureState the server's "requires transitive" brings.
    requires com.xentracker.server;
    // Routes, Context, cookies. Declared directly (not only through the server's "requires transitive") because the
    // portal's own code uses it.
    requires io.javalin;
    // TemplateEngine, the HTML output and escaping used by the precompiled templates.
    requires gg.jte.runtime;
    requires org.slf4j;
    // The generated template classes are annotated @javax.annotation.processing.Generated (java.compiler, source
    // retention): needed to compile them, never at run time, so "static" keeps it out of the runtime image.
    requires static java.compiler;

    // jte-maven-plugin generates the templates into this package; jte's runtime loads and calls them reflectively,
    // so it (and only it) must be able to see them.
    exports gg.jte.generated.precompiled to gg.jte.runtime;

    provides com.xentracker.server.spi.WebModule with com.xentracker.portal.PortalWebModule;
}
