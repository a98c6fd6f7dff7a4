/**
 * The Xentracker server: enrollment and batch ingest over HTTPS, PostgreSQL storage, accounts, sessions, usage
 * queries and the audit log, and the SPI through which web front ends (the portal) plug in.
 */
module com.xentracker.server {
    // WebRoutes takes Javalin's Handler (and so its Context), so front ends must see Javalin without asking.
    requires transitive io.javalin;
    // Javalin's context resolvers (ctx.ip() behind trusted proxies) are Kotlin function types.
    requires kotlin.stdlib;
    // Key material, sealed batches and wire records; brings com.xentracker.core (Span, Activity) transitively.
    // Transitive because Organizations hands out CollectionPolicy (core) and DeviceSummary its CaptureState, and the
    // exceptions carry transport's ErrorCode.
    requires transitive com.xentracker.transport;
    // Argon2id password hashing (Argon2BytesGenerator).
    requires org.bouncycastle.provider;
    requires java.sql;
    // Jdbi is an automatic module; it needs geantyref at run time, which nothing else would resolve.
    requires org.jdbi.v3.core;
    requires io.leangen.geantyref;
    requires com.zaxxer.hikari;
    // The JDBC driver is found through DriverManager; requiring it makes sure it is resolved and linked.
    requires org.postgresql.jdbc;
    // Automatic modules named after their jars. Flyway finds its PostgreSQL support with ServiceLoader; nothing
    // would require it, so without this line a launcher that resolves only what is required (surefire's class path
    // split, jlink) leaves it out and Flyway fails with "Unsupported Database: PostgreSQL".
    requires flyway.core;
    requires flyway.database.postgresql;
    // zonky's embedded PostgreSQL (automatic module named after its jar); the linux-amd64 binaries jar is another
    // automatic module and is resolved with it, its .txz read as a non-package resource.
    requires embedded.postgres;
    // ...which, being automatic, cannot declare its own dependencies: nothing would resolve these explicit modules
    // on a real module path (surefire's test run hides this), and unpacking the binaries fails with
    // NoClassDefFoundError. commons-compress brings commons-io, -lang3 and -codec; it needs xz only statically.
    requires org.apache.commons.compress;
    requires org.tukaani.xz;
    requires org.slf4j;
    // The SLF4J provider; required here so that a jlink image of the server includes it.
    requires ch.qos.logback.classic;
    requires info.picocli;
    // Two-factor sign-in. java-otp (RFC 4226/6238 on the JDK's Mac) is an automatic module; its manifest names it
    // com.eatthepath.otp (Automatic-Module-Name), so the name does not change with the jar's file name. qrcodegen
    // has a real module descriptor.
    requires com.eatthepath.otp;
    requires io.nayuki.qrcodegen;
    // Metrics: the Prometheus Java client 1.x. Automatic modules, named in their manifests (Automatic-Module-Name),
    // so the names do not change with the jar's file name. The text format's jar calls itself io.prometheus.writer.text.
    requires io.prometheus.metrics.core;
    requires io.prometheus.metrics.model;
    requires io.prometheus.metrics.config;
    requires io.prometheus.metrics.instrumentation.jvm;
    requires io.prometheus.writer.text;
    requires io.prometheus.metrics.exporter.httpserver;
    // ...and what that exporter uses but, being automatic, cannot require: without these lines a module-path launch
    // fails with NoClassDefFoundError when the metrics listener starts (ServerMainTest starts one that way).
    requires io.prometheus.metrics.exporter.common;
    // ...whose HTTP server is the JDK's: an automatic module declares no requires, so without this line a module-path
    // launch (and jlink) would leave jdk.httpserver out and the metrics listener fail with NoClassDefFoundError.
    requires jdk.httpserver;
    // Logback's own JSON encoder for log-format=json (no further library).
    requires ch.qos.logback.core;
    // CSV exports: FastCSV writes RFC 4180 (quoting, CRLF) fast and has no dependencies; a real module descriptor.
    requires de.siegmar.fastcsv;

    // What front ends (web modules) and the command line may use: the use cases' interfaces and records, and the SPI.
    // Each of these packages also holds its package-private database implementation and one public class the
    // server wires it with; that class needs the database (Jdbi) or the master key, neither of which a front end can
    // reach, and front ends are never handed it. An Actor has no public constructor: front ends get one only from a
    // session. The packages not exported (database, crypto, http, ingest, maintenance, metrics, rollup, tls, cli) are
    // the server's alone.
    exports com.xentracker.server;
    exports com.xentracker.server.spi;
    exports com.xentracker.server.access;
    exports com.xentracker.server.account;
    exports com.xentracker.server.audit;
    exports com.xentracker.server.organization;
    exports com.xentracker.server.people;
    exports com.xentracker.server.device;
    exports com.xentracker.server.usage;
    exports com.xentracker.server.export;
    exports com.xentracker.server.apitoken;

    // picocli sets the command's @Option fields reflectively; nobody else gets deep access.
    opens com.xentracker.server.cli to info.picocli;

    // Front ends (the portal) provide WebModules; the server finds them with ServiceLoader.
    uses com.xentracker.server.spi.WebModule;
}
