package com.xentracker.server.http;

import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.ServerConfig;
import com.xentracker.server.ServerStartupException;
import com.xentracker.server.database.Database;
import com.xentracker.server.device.DeviceEnrollment;
import com.xentracker.server.ingest.BatchIngest;
import com.xentracker.server.metrics.MetricsEndpoint;
import com.xentracker.server.metrics.ServerMetrics;
import com.xentracker.server.spi.ServerServices;
import com.xentracker.server.spi.WebModule;
import com.xentracker.transport.pki.ServerIdentity;
import com.xentracker.transport.wire.DeviceKeyRotation;
import com.xentracker.transport.wire.EnrollmentRequest;
import com.xentracker.transport.wire.Routes;
import com.xentracker.transport.wire.UploadReceipt;
import com.xentracker.transport.wire.WireCodec;
import io.javalin.Javalin;
import io.javalin.http.Handler;
import io.javalin.http.Context;
import io.javalin.http.UnsupportedMediaTypeResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's HTTPS endpoint: the agent API under {@code /api/v1} plus whatever the web modules add. There is no
 * plain-HTTP connector at all, so nothing, not even a redirect, is ever served unencrypted.
 */
public final class HttpApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    /** Larger than any batch an agent makes (it seals at most a few thousand spans); protects memory. */
    public static final long MAX_REQUEST_BYTES = 8L * 1024 * 1024;
    public static final String HEALTH = "/api/v1/health";
    /** Liveness: the process answers. */
    public static final String HEALTHZ = "/healthz";
    /** Readiness: the database answers and has this node's schema version; load balancers route by it. */
    public static final String READYZ = "/readyz";
    private static final String JSON = "application/json";
    /** How long an upload waits for an ingest permit before it is answered 503 (server-busy). */
    private static final java.time.Duration INGEST_WAIT = java.time.Duration.ofSeconds(1);
    /** How long browsers remember to use only HTTPS for this host (Strict-Transport-Security). */
    static final java.time.Duration HSTS_MAX_AGE = java.time.Duration.ofDays(365);

    private final Javalin javalin;
    private final Optional<MetricsEndpoint> metricsEndpoint;

    private HttpApi(Javalin javalin, Optional<MetricsEndpoint> metricsEndpoint) {
        this.javalin = javalin;
        this.metricsEndpoint = metricsEndpoint;
    }

    /** Configures the routes and the web modules, then starts listening. */
    public static HttpApi start(ServerConfig config, ServerIdentity identity, Database database,
            DeviceEnrollment enrollment, BatchIngest ingest, ServerServices services, List<WebModule> modules,
            SecureRandom random) {
        WireCodec codec = WireCodec.create();
        // Twice the pool: decrypting and verifying overlap with other batches' database work; more would only wait.
        IngestGate gate = IngestGate.of(2 * config.poolSize(), INGEST_WAIT);
        ServerMetrics metrics = ServerMetrics.create(database::poolState, gate::inProgress);
        database.trackPool(metrics.poolTimings());
        database.readReplica().ifPresent(replica -> metrics.watchReadReplica(replica::metrics));
        Javalin javalin = Javalin.create(javalinConfig -> {
            javalinConfig.startup.showJavalinBanner = false;
            javalinConfig.http.maxRequestSize = MAX_REQUEST_BYTES;
            javalinConfig.jetty.addConnector((server, http) -> httpsConnector(server, http, config, identity,
                    random));
            javalinConfig.jetty.modifyServer(server -> server.setErrorHandler(
                    new TransportSecurityErrors(HSTS_MAX_AGE)));
            // ctx.ip() is the client: its TCP peer, or what a trusted reverse proxy says (see ClientAddress)
            ClientAddress clients = ClientAddress.trusting(config.trustedProxies());
            javalinConfig.contextResolver.ip = ctx -> clients.of(ctx.req().getRemoteAddr(),
                    Optional.ofNullable(ctx.header("X-Forwarded-For")));
            javalinConfig.requestLogger.http((ctx, millis) -> LOG.debug("{} {} -> {} in {} ms", ctx.method(),
                    ctx.path(), ctx.status().getCode(), millis.longValue()));
            // the page a web module gives to unknown paths outside /api/, set while the modules add their routes
            AtomicReference<Handler> notFound = new AtomicReference<>();
            ApiErrors.register(javalinConfig.routes, codec, notFound::get);
            // before any route decodes a path parameter, query string or form: malformed escapes are a 400
            javalinConfig.routes.before(RequestEscapes::check);
            javalinConfig.routes.get(HEALTH, ctx -> health(ctx, database));
            javalinConfig.routes.post(Routes.ENROLL, ctx -> {
                EnrollmentRequest request = codec.decode(ctx.bodyAsBytes(), EnrollmentRequest.class);
                json(ctx, codec.encode(enrollment.enroll(request)));
            });
            javalinConfig.routes.get(HEALTHZ, ctx -> json(ctx, "{\"status\":\"alive\"}".getBytes(
                    StandardCharsets.UTF_8)));
            javalinConfig.routes.get(READYZ, ctx -> {
                boolean ready = database.isReady();
                ctx.status(ready ? 200 : 503);
                // With a read replica configured, where reads go: a replica down or lagging does not make the node
                // unready (it serves them from the primary), but an operator should see it (docs/decisions/0050).
                String reads = database.readReplica().map(replica -> ",\"reads\":\"" + replica.describe() + "\"")
                        .orElse("");
                json(ctx, ("{\"status\":\"" + (ready ? "ready" : "not-ready") + "\"" + reads + "}")
                        .getBytes(StandardCharsets.UTF_8));
            });
            // CSV exports for scripts, with a personal API token (a session cookie opens nothing here)
            ExportApi exportApi = ExportApi.of(services.exports(), services.apiTokens());
            javalinConfig.routes.get(ExportApi.EXPORTS, exportApi::export);
            javalinConfig.routes.post(Routes.BATCH, ctx -> {
                long started = System.nanoTime();
                try {
                    String type = ctx.contentType();
                    if (type == null || !type.startsWith(Routes.SEALED_BATCH_MEDIA_TYPE)) {
                        throw new UnsupportedMediaTypeResponse("a batch is sent as "
                                + Routes.SEALED_BATCH_MEDIA_TYPE);
                    }
                    UUID deviceId = uuid(ctx.pathParam("device-id"));
                    long sequence = sequence(ctx.pathParam("sequence"));
                    byte[] body = ctx.bodyAsBytes();
                    Optional<Instant> deviceTime = deviceTime(ctx.header(Routes.DEVICE_TIME_HEADER));
                    UploadReceipt receipt = gate.run(() -> ingest.ingest(deviceId, sequence, body, deviceTime));
                    metrics.batchAccepted(receipt.duplicate(), receipt.acceptedSpans());
                    json(ctx, codec.encode(receipt));
                } catch (Exception e) {
                    metrics.batchRejected(ApiErrors.codeOf(e).code());
                    throw e;
                } finally {
                    metrics.batchLatency(System.nanoTime() - started);
                }
            });
            javalinConfig.routes.post(Routes.DEVICE_KEY, ctx -> json(ctx, codec.encode(enrollment.rotateKey(
                    uuid(ctx.pathParam("device-id")), codec.decode(ctx.bodyAsBytes(), DeviceKeyRotation.class)))));
            javalinConfig.routes.get(Routes.ORGANIZATION_CERTIFICATE, ctx ->
                    json(ctx, codec.encode(ingest.organizationCertificate(uuid(ctx.pathParam("device-id"))))));
            // Web modules get a facade that only adds GET/POST routes under paths the server does not own; the
            // server's own routes are claimed first, so no module can shadow them.
            // /metrics is not served here at all (see MetricsEndpoint) and stays claimed, so no module serves it
            Set<String> taken = new HashSet<>(Set.of("GET " + HEALTH, "POST " + Routes.ENROLL, "GET " + HEALTHZ,
                    "GET " + READYZ, "GET " + MetricsEndpoint.PATH, "GET " + ExportApi.EXPORTS));
            for (WebModule module : modules) {
                module.routes(new ModuleRoutes(module.name(), javalinConfig.routes, taken, notFound), services);
            }
        });
        try {
            javalin.start();
        } catch (RuntimeException e) {
            throw new ServerStartupException("HTTPS could not listen on " + config.bindAddress() + ":"
                    + config.httpsPort() + ": " + e.getMessage(), e);
        }
        // Apart from the HTTPS port, on loopback by default: whoever reaches the port agents and browsers use must
        // not read the node's internals (docs/decisions/0044)
        ServerConfig.Observability watched = config.observability();
        try {
            Optional<MetricsEndpoint> endpoint = watched.metricsPort().isPresent()
                    ? Optional.of(MetricsEndpoint.start(metrics, watched.metricsBindAddress(),
                            watched.metricsPort().getAsInt()))
                    : Optional.empty();
            return new HttpApi(javalin, endpoint);
        } catch (RuntimeException e) {
            javalin.stop();
            throw e;
        }
    }

    /** The device's clock from its upload; a malformed value is ignored (it only feeds the skew measurement). */
    private static Optional<Instant> deviceTime(String header) {
        if (header == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(header.strip()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The port actually listened on (useful when configured as 0). */
    public int port() {
        return javalin.port();
    }

    /** Where Prometheus scrapes this node, when a metrics listener is configured. */
    public Optional<java.net.URI> metricsUri() {
        return metricsEndpoint.map(MetricsEndpoint::uri);
    }

    @Override
    public void close() {
        metricsEndpoint.ifPresent(MetricsEndpoint::close);
        javalin.stop();
    }

    private static Connector httpsConnector(Server server, HttpConfiguration http, ServerConfig config,
            ServerIdentity identity, SecureRandom random) {
        // The key store lives only in memory; its password only protects it there, so a random one will do.
        byte[] passwordBytes = new byte[18];
        random.nextBytes(passwordBytes);
        String password = Base64.getUrlEncoder().encodeToString(passwordBytes);
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(identity.toKeyStore("xentracker-server", password.toCharArray()));
        tls.setKeyStorePassword(password);
        tls.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        HttpConfiguration https = new HttpConfiguration(http);
        https.setSecureScheme("https");
        // no "Server: Jetty(x.y.z)" header: do not advertise versions to scanners
        https.setSendServerVersion(false);
        // sets isSecure()/scheme on requests; agents that reach us by IP send no SNI, which must stay allowed
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        // HSTS on every answer of this port: a browser that reached the portal once never tries http:// for it
        // again (there is no plain-HTTP listener to answer, but a network attacker could). One year, the usual
        // minimum; no includeSubDomains, because other services may live on subdomains of the server's name.
        secure.setStsMaxAge(HSTS_MAX_AGE.toSeconds());
        https.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.setHost(config.bindAddress());
        connector.setPort(config.httpsPort());
        return connector;
    }

    private static void health(Context ctx, Database database) {
        boolean healthy = database.isHealthy();
        ctx.status(healthy ? 200 : 503);
        json(ctx, (healthy ? "{\"status\":\"up\"}" : "{\"status\":\"down\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static void json(Context ctx, byte[] body) {
        ctx.contentType(JSON).result(body);
    }

    private static UUID uuid(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("the device id in the path is not a UUID");
        }
    }

    private static long sequence(String value) {
        try {
            long sequence = Long.parseLong(value);
            if (sequence < 0) {
                throw new InvalidRequestException("a batch sequence is not negative");
            }
            return sequence;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("the batch sequence in the path is not a number");
        }
    }
}
