/**
 * What the tests of the other modules share, so that each exists once: a clock the test sets ({@code clock}), a
 * database of its own on the external PostgreSQL ({@code database}), the skip-or-fail rule for missing tools
 * ({@code prerequisite}), a real HTTPS server and client ({@code https}), an enrolled device that seals and uploads
 * batches as the agent does ({@code device}), a TCP proxy that drops, stalls, resets and truncates connections
 * ({@code network}) and a real X server ({@code x11}). Test scope only; never shipped.
 *
 * <p>The other modules' tests run patched into their own module, with this jar on the class path (surefire puts
 * test-scoped jars that the module under test does not require there), so this descriptor is checked when this
 * module compiles and when its own tests run.
 */
module com.xentracker.testing {
    // The device's API takes and returns wire records (SpanBatch, EnrollmentResponse), the HTTPS server takes a
    // CertificateAuthority: users get transport (and core, through it) without declaring it.
    requires transitive com.xentracker.transport;
    // The fixtures are JUnit extensions (callbacks in their signatures) and skip tests with JUnit's assumptions.
    requires transitive org.junit.jupiter.api;
    // The HTTPS server is the JDK's own; its handlers (HttpHandler, HttpExchange) are part of the server's API.
    requires transitive jdk.httpserver;
    // CREATE and DROP DATABASE on the external PostgreSQL, over plain JDBC.
    requires java.sql;
    // The driver (an automatic module) is found through DriverManager; requiring it makes sure it is resolved.
    requires org.postgresql.jdbc;

    // Fuzz targets draw their inputs from jqwik's arbitraries (its API is in the driver's signature).
    requires transitive net.jqwik.api;

    exports com.xentracker.testing.clock;
    exports com.xentracker.testing.database;
    exports com.xentracker.testing.device;
    exports com.xentracker.testing.fuzz;
    exports com.xentracker.testing.https;
    exports com.xentracker.testing.network;
    exports com.xentracker.testing.prerequisite;
    exports com.xentracker.testing.x11;
}
