/**
 * The desktop agent: observes the foreground application and idle time, merges the samples into spans, keeps them
 * in a local SQLite buffer and uploads them, signed and encrypted, to the organization's server.
 *
 * <p>It never reads keystrokes, typed text, the clipboard, screen contents or form input (see README.md).
 */
module com.xentracker.collector {
    // Span and Activity appear in the buffer and recorder API; ServerClient appears in the uploader API.
    requires transitive com.xentracker.core;
    requires transitive com.xentracker.transport;
    // JNA for Xlib and libXss. jna-platform (automatic module) maps most of Xlib; javac also needs com.sun.jna
    // itself to see NativeLong, Structure and Library, which jna-platform does not re-export.
    requires com.sun.jna;
    requires com.sun.jna.platform;
    // The span buffer: JDBC plus the SQLite driver, which we configure through its own SQLiteConfig.
    requires java.sql;
    requires org.xerial.sqlitejdbc;
    requires org.slf4j;
    // The SLF4J provider; required here so jlink puts it into the agent's runtime image.
    requires ch.qos.logback.classic;
    // ... and its core, for the console appender and encoder that AgentLogConfigurator sets up.
    requires ch.qos.logback.core;
    // Command line of AgentMain.
    requires info.picocli;
    // The browser extension's loopback endpoint (package browser) runs on the JDK's own small HTTP server, so the
    // agent's memory budget gains no web framework.
    requires jdk.httpserver;
    // The endpoint parses the extension's JSON with Jackson's tree model only: nothing is bound reflectively, so no
    // package is opened to Jackson.
    requires com.fasterxml.jackson.databind;

    exports com.xentracker.collector;
    exports com.xentracker.collector.probe;
    exports com.xentracker.collector.buffer;
    exports com.xentracker.collector.enrollment;
    exports com.xentracker.collector.recording;
    exports com.xentracker.collector.policy;
    exports com.xentracker.collector.upload;
    exports com.xentracker.collector.browser;

    // JNA reads and writes the fields of our Structure (XScreenSaverInfo) and builds proxies for our Library
    // interfaces reflectively. Only the Xlib binding package, and only to JNA.
    opens com.xentracker.collector.probe.x11 to com.sun.jna;
    // The same for the Windows probe's Library interface (desktop functions) and its EnumChildWindows callback, and
    // for the macOS probe's libobjc/CoreGraphics/ApplicationServices interfaces. Not exported: ForegroundProbes
    // creates these probes.
    opens com.xentracker.collector.probe.windows to com.sun.jna;
    opens com.xentracker.collector.probe.macos to com.sun.jna;
    // picocli injects options into the private fields of the command classes.
    opens com.xentracker.collector.cli to info.picocli;

    // Logging configured in code (no logback.xml: the XML stack would cost memory all day); found by logback's
    // ServiceLoader. The package is not exported.
    provides ch.qos.logback.classic.spi.Configurator with com.xentracker.collector.logging.AgentLogConfigurator;

    // cli.SecurityProviders finds the JDK's elliptic-curve provider by its type among the platform's modules (so that
    // the JCA never instantiates Bouncy Castle's full provider while looking for it by name)
    uses java.security.Provider;
}
