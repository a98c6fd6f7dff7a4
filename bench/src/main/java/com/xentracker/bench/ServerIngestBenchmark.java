package com.xentracker.bench;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.core.activity.WebPage;
import com.xentracker.server.ServerConfig;
import com.xentracker.server.XentrackerServer;
import com.xentracker.server.device.IssuedEnrollmentToken;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.usage.UsageQueries;
import com.xentracker.transport.client.ServerClient;
import com.xentracker.transport.envelope.BatchBinding;
import com.xentracker.transport.envelope.BatchSealer;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.EnrollmentRequest;
import com.xentracker.transport.wire.EnrollmentResponse;
import com.xentracker.transport.wire.SpanBatch;
import com.xentracker.transport.wire.WireCodec;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.postgresql.PGConnection;

/**
 * The server's ingest end to end and the dashboard query, not a test.
 *
 * <ol>
 *   <li>Ingest: {@code --devices} simulated devices enroll over HTTPS with the agent's {@link ServerClient}, then
 *       upload {@code --batches} sealed batches of {@code --spans} spans each, {@code --threads} devices at a time:
 *       HTTPS, open, verify, ledger, COPY, rollups, device state. Batches are sealed before the clock starts (that
 *       is the agent's work).</li>
 *   <li>Warm-up: {@code --warmup-devices} other devices do the same (ingest, then raw COPY) untimed first, in
 *       rounds (at most {@code --warmup-rounds}) until the JIT compiled for less than 10 % of a round's time, so
 *       both paths are measured with the JIT's code, as a server that runs for weeks is.</li>
 *   <li>{@code --rounds} measured rounds, each with new devices: ingest, then the raw COPY; the medians count.</li>
 *   <li>Raw COPY: the same rows, in the same batch sizes and concurrency, COPY'd straight into the same
 *       {@code spans} table of the same PostgreSQL (as another organization). Reported: the ratio (goal ≥ 0.5).</li>
 *   <li>Dashboard: {@code --people} people × {@code --days} days of synthetic rollups (8 applications a day each),
 *       then {@code UsageQueries.applications} over 1, 7, 30 and 90 days, {@code --queries} times each: p50/p95
 *       (goal p95 ≤ 100 ms).</li>
 * </ol>
 *
 * <pre>bench/run server [--devices 40] [--batches 10] [--spans 200] [--threads 16] [--warmup-devices 40]
 *                     [--warmup-rounds 20] [--rounds 3] [--people 1000] [--days 90]
 *                     [--queries 100] [--out bench/results/server-ingest.json]</pre>
 */
public final class ServerIngestBenchmark {

    private static final String[] APPLICATIONS = {"editor", "terminal", "chromium", "mail", "chat", "office",
        "ide", "music"};

    private final Map<String, String> options;

    private ServerIngestBenchmark(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        String[] defaults = {"devices", "40", "batches", "10", "spans", "200", "threads", "16", "warmup-devices", "40",
            "warmup-rounds", "20", "rounds", "3", "people", "1000", "days", "90", "queries", "100",
            "out", "bench/results/server-ingest.json"};
        for (int i = 0; i < defaults.length; i += 2) {
            options.put(defaults[i], defaults[i + 1]);
        }
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--") || !options.containsKey(args[i].substring(2))) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + options.keySet());
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        new ServerIngestBenchmark(options).run();
    }

    private int option(String name) {
        return Integer.parseInt(options.get(name));
    }

    private void run() throws Exception {
        int devices = option("devices");
        int batches = option("batches");
        int spans = option("spans");
        int threads = option("threads");
        Path work = Files.createTempDirectory("xt-bench-server-");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(work.resolve("pg")).setCleanDataDirectory(true)
                .setServerConfig("max_connections", "100").start()) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            ServerConfig config = ServerConfig.forDataDirectory(work.resolve("server")).withHttpsPort(0)
                    .withPoolSize(10).withDatabase(new ServerConfig.ExternalDatabase(url, "postgres", ""));
            try (XentrackerServer server = XentrackerServer.start(config, Clock.systemUTC())) {
                X509Certificate ca = server.certificateAuthority();
                ServerClient client = ServerClient.create(server.baseUri(), ca, Duration.ofSeconds(60));
                Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(6));
                int warmup = option("warmup-devices");
                int warmupRounds = 0;
                if (warmup > 0) {
                    // A server runs for weeks: measure it warm. The same work (ingest and raw COPY), untimed, with
                    // devices of another organization, in rounds until the JIT compiler is (nearly) done: it
                    // compiled for seconds after the first hundreds of batches, on the same two cores.
                    java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory
                            .getCompilationMXBean();
                    int maxRounds = option("warmup-rounds");
                    for (int round = 1; round <= maxRounds; round++) {
                        List<Device> warm = fleet(server, client, "Warm-up " + round, warmup, batches, spans, base);
                        long compiledBefore = jit.getTotalCompilationTime();
                        long started = System.nanoTime();
                        timed(threads, warm, device -> upload(client, device));
                        UUID warmCopy = UUID.randomUUID();
                        timed(threads, warm, device -> copy(url, warmCopy, device));
                        double wallMillis = (System.nanoTime() - started) / 1e6;
                        double jitShare = (jit.getTotalCompilationTime() - compiledBefore) / wallMillis;
                        warmupRounds = round;
                        System.out.printf(Locale.ROOT, "warm-up round %d: %d devices × %d batches, ingest and raw"
                                + " COPY in %.1f s; JIT compiling %.0f%% of that time%n", round, warmup, batches,
                                wallMillis / 1000, 100 * jitShare);
                        if (jitShare < 0.10) {
                            break;
                        }
                    }
                }
                // Measured rounds, ingest then raw COPY in each, each round with new devices (enrolled and sealed
                // first: the agent's work is not measured); the machine is shared and noisy, so the medians count.
                long totalSpans = (long) devices * batches * spans;
                System.out.printf(Locale.ROOT, "ingest: %d devices × %d batches × %d spans = %,d spans, %d at a time,"
                        + " %d rounds%n", devices, batches, spans, totalSpans, threads, option("rounds"));
                List<Double> ingestRates = new ArrayList<>();
                List<Double> copyRates = new ArrayList<>();
                List<Double> serverMillis = new ArrayList<>();
                for (int round = 1; round <= option("rounds"); round++) {
                    List<Device> fleet = fleet(server, client, "Bench " + round, devices, batches, spans, base);
                    double[] before = serverBatchTime(server, ca);
                    double ingestSeconds = timed(threads, fleet, device -> upload(client, device));
                    double[] after = serverBatchTime(server, ca);
                    serverMillis.add(1000 * (after[0] - before[0]) / (after[1] - before[1]));
                    ingestRates.add(totalSpans / ingestSeconds);
                    UUID copyOrganization = UUID.randomUUID();
                    double copySeconds = timed(threads, fleet, device -> copy(url, copyOrganization, device));
                    copyRates.add(totalSpans / copySeconds);
                    System.out.printf(Locale.ROOT, "round %d: ingest end to end %,.0f spans/s (server-side %.1f ms per"
                            + " batch, /metrics), raw COPY of the same rows %,.0f spans/s, ratio %.2f%n", round,
                            ingestRates.get(round - 1), serverMillis.get(round - 1), copyRates.get(round - 1),
                            ingestRates.get(round - 1) / copyRates.get(round - 1));
                }
                double ingestRate = median(ingestRates);
                double copyRate = median(copyRates);
                double serverMillisPerBatch = median(serverMillis);
                double ratio = ingestRate / copyRate;
                System.out.printf(Locale.ROOT, "medians: ingest end to end %,.0f spans/s, raw COPY %,.0f spans/s;"
                        + " ingest/COPY = %.2f (goal ≥ 0.5)%n", ingestRate, copyRate, ratio);

                Map<String, double[]> dashboard = dashboard(server, url);

                StringBuilder json = new StringBuilder("{\n");
                json.append("  \"benchmark\": \"server-ingest\",\n");
                json.append("  \"date\": \"").append(Instant.now()).append("\",\n");
                json.append("  \"java\": \"").append(System.getProperty("java.runtime.version")).append("\",\n");
                json.append("  \"cpus\": ").append(Runtime.getRuntime().availableProcessors()).append(",\n");
                json.append("  \"postgresql\": \"embedded (zonky) ").append(version(url)).append("\",\n");
                json.append(String.format(Locale.ROOT, "  \"ingest\": {\"warmupDevices\": %d, \"warmupRounds\": %d,"
                        + " \"devices\": %d, \"batches\": %d, \"spansPerBatch\": %d, \"concurrency\": %d,"
                        + " \"spansPerRound\": %d, \"rounds\": %d, \"roundSpansPerSecond\": %s,"
                        + " \"medianSpansPerSecond\": %.0f},%n", option("warmup-devices"), warmupRounds, devices,
                        batches, spans, threads, totalSpans, option("rounds"), rates(ingestRates), ingestRate));
                json.append(String.format(Locale.ROOT, "  \"serverMillisPerBatch\": %.2f,%n", serverMillisPerBatch));
                json.append(String.format(Locale.ROOT, "  \"rawCopy\": {\"roundSpansPerSecond\": %s,"
                        + " \"medianSpansPerSecond\": %.0f},%n", rates(copyRates), copyRate));
                json.append(String.format(Locale.ROOT, "  \"ingestToCopyRatio\": %.3f,%n", ratio));
                json.append(String.format(Locale.ROOT, "  \"dashboard\": {\"people\": %d, \"days\": %d, \"queries\": %d,"
                        + " \"periods\": {", option("people"), option("days"), option("queries")));
                List<String> periods = new ArrayList<>();
                dashboard.forEach((period, p) -> periods.add(String.format(Locale.ROOT,
                        "\"%s\": {\"p50Ms\": %.2f, \"p95Ms\": %.2f}", period, p[0], p[1])));
                json.append(String.join(", ", periods)).append("}}\n}\n");
                Path out = Path.of(options.get("out"));
                Files.createDirectories(out.toAbsolutePath().getParent());
                Files.writeString(out, json);
                System.out.println("results: " + out);
            }
        } finally {
            try (Stream<Path> paths = Files.walk(work)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** Enrolls {@code devices} devices in a new organization and seals their batches (the agent's work). */
    private static List<Device> fleet(XentrackerServer server, ServerClient client, String name, int devices,
            int batches, int spans, Instant base) {
        Organization organization = server.administration().createOrganization(name, ZoneId.of("UTC"));
        IssuedEnrollmentToken token = server.services().enrollmentTokens().issue(
                server.administration().operator(organization.id()), "bench", Duration.ofHours(1), devices);
        WireCodec codec = WireCodec.create();
        List<Device> fleet = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
            KeyPair keys = DeviceKeys.generate();
            EnrollmentResponse enrolled = client.enroll(new EnrollmentRequest(token.token(),
                    Pem.encodePublicKey(keys.getPublic()), name + "-" + d, "Linux", "user" + d, "bench"));
            BatchSealer sealer = BatchSealer.create(keys.getPrivate(),
                    Pem.certificate(enrolled.organizationCertificatePem()));
            List<byte[]> sealed = new ArrayList<>();
            List<List<Span>> rows = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                List<Span> batch = spans(base, b, spans);
                rows.add(batch);
                sealed.add(sealer.seal(codec.encode(new SpanBatch(enrolled.deviceId(), b, batch)),
                        BatchBinding.of(enrolled.organizationId(), enrolled.deviceId(), b)));
            }
            fleet.add(new Device(enrolled.deviceId(), sealed, rows));
        }
        return fleet;
    }

    private static void upload(ServerClient client, Device device) {
        for (int b = 0; b < device.sealed().size(); b++) {
            client.upload(device.id(), b, device.sealed().get(b));
        }
    }

    /** The server's own figures: seconds spent on batches (request to answer) and batches, so far. */
    private static double[] serverBatchTime(XentrackerServer server, X509Certificate ca) throws Exception {
        String metrics = java.net.http.HttpClient.newBuilder()
                .sslContext(com.xentracker.transport.pki.PinnedTrust.trusting(ca)).build()
                .send(java.net.http.HttpRequest.newBuilder(server.baseUri().resolve("/metrics")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        return new double[] {metric(metrics, "xentracker_batch_duration_seconds_sum"),
            metric(metrics, "xentracker_batch_duration_seconds_count")};
    }

    private record Device(UUID id, List<byte[]> sealed, List<List<Span>> rows) {
    }

    @FunctionalInterface
    private interface Work {
        void run(Device device) throws Exception;
    }

    /** Runs {@code work} for every device, {@code threads} devices at a time; wall seconds. */
    private static double timed(int threads, List<Device> fleet, Work work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long started = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (Device device : fleet) {
                futures.add(pool.submit(() -> {
                    work.run(device);
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
            return (System.nanoTime() - started) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A working day's kind of spans: 8 applications in turn, every third one a browser page, 10 s each. */
    private static List<Span> spans(Instant base, int batch, int count) {
        List<Span> spans = new ArrayList<>(count);
        Instant start = base.plus(Duration.ofSeconds(10L * count * batch));
        for (int i = 0; i < count; i++) {
            String application = APPLICATIONS[i % APPLICATIONS.length];
            Activity activity = Activity.active(application, "/usr/bin/" + application,
                    Optional.of("Window " + (i % 50)));
            if (application.equals("chromium")) {
                activity = activity.withPage(WebPage.ofDomain("site" + (i % 13) + ".example.com"));
            }
            spans.add(Span.of(start, start.plusSeconds(10), activity));
            start = start.plusSeconds(10);
        }
        return spans;
    }

    /** One COPY per batch, one connection per device, as the ingest's transactions are. */
    private static void copy(String url, UUID organization, Device device) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "")) {
            UUID person = UUID.randomUUID();
            for (int b = 0; b < device.rows().size(); b++) {
                StringBuilder csv = new StringBuilder();
                for (Span span : device.rows().get(b)) {
                    Activity a = span.activity();
                    csv.append(organization).append(',').append(device.id()).append(',').append(person).append(',')
                            .append(b).append(',').append(span.start()).append(',').append(span.end()).append(',')
                            .append(a.state()).append(",\"").append(a.application()).append("\",\"")
                            .append(a.executable()).append("\",\"").append(a.title().orElse("")).append("\",")
                            .append(a.page().map(p -> "\"" + p.domain() + "\"").orElse("")).append(",\n");
                }
                connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY spans (organization_id, device_id,"
                        + " person_id, batch_sequence, start_at, end_at, state, application, executable, title, domain,"
                        + " url) FROM STDIN (FORMAT csv)", new StringReader(csv.toString()));
            }
        }
    }

    /**
     * Synthetic devices and rollups straight into the tables, summarized the way production does (every day marked,
     * then the job's summarizer), then the dashboard's query through the server's API in two cases per period:
     * everything summarized, and "today changed" (today's marks present for every device, as during a working day:
     * today is then read from the rollups).
     */
    private Map<String, double[]> dashboard(XentrackerServer server, String url) throws Exception {
        int people = option("people");
        int days = option("days");
        Organization organization = server.administration().createOrganization("Dashboard bench", ZoneId.of("UTC"));
        IssuedEnrollmentToken token = server.services().enrollmentTokens().issue(
                server.administration().operator(organization.id()), "bench", Duration.ofHours(1), 1);
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        long started = System.nanoTime();
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            // one device per person, numbered 1..people in the organization as enrollment numbers them
            statement.execute(String.format(Locale.ROOT, """
                    INSERT INTO devices (organization_id, id, number, public_key_pem, hostname, operating_system,
                                         os_user, agent_version, enrollment_token_id, enrolled_at, last_seen_at)
                    SELECT '%1$s', gen_random_uuid(), n, 'bench', 'bench-' || n, 'Linux', 'user' || n, 'bench',
                           '%2$s', now(), now()
                    FROM generate_series(1, %3$d) n""", organization.id(), token.id(), people));
            statement.execute(String.format(Locale.ROOT,
                    "UPDATE organizations SET device_numbers = %d WHERE id = '%s'", people, organization.id()));
            statement.execute(String.format(Locale.ROOT, """
                    INSERT INTO rollups (organization_id, day, person_id, device_id, application, domain, category,
                                         active_ms, idle_ms, locked_ms)
                    SELECT '%s', '%s'::date - d, p.person, p.device, 'app' || a, '', '', 60000 + a * 1000 + d, 0, 0
                    FROM (SELECT gen_random_uuid() AS person, id AS device FROM devices
                          WHERE organization_id = '%1$s') p,
                         generate_series(0, %d) d, generate_series(1, 8) a""",
                    organization.id(), today, days - 1));
            // as autovacuum would after a bulk insert: the visibility map lets the dashboard use index-only scans
            statement.execute("VACUUM (ANALYZE) rollups");
        }
        System.out.printf(Locale.ROOT, "dashboard data: %d people × %d days × 8 applications in %.1f s%n", people,
                days, (System.nanoTime() - started) / 1e9);
        org.jdbi.v3.core.Jdbi jdbi = org.jdbi.v3.core.Jdbi.create(url, "postgres", "");
        markDays(url, organization, "");
        started = System.nanoTime();
        jdbi.useHandle(handle -> com.xentracker.server.maintenance.DashboardSummaries.run(handle, Instant.now()));
        System.out.printf(Locale.ROOT, "dashboard summaries: %d days summarized in %.1f s%n", days,
                (System.nanoTime() - started) / 1e9);
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("VACUUM (ANALYZE) app_days");
            statement.execute("VACUUM (ANALYZE) rollup_changes");
        }
        UsageQueries usage = server.services().usage();
        var operator = server.administration().operator(organization.id());
        Map<String, double[]> results = new LinkedHashMap<>();
        String todayOnly = " AND day = '" + today + "'";
        for (boolean todayChanged : new boolean[] {false, true}) {
            for (int period : new int[] {1, 7, 30, 90}) {
                com.xentracker.server.usage.UsageFilter lastDays = com.xentracker.server.usage.UsageFilter.of(
                        com.xentracker.server.usage.DayRange.of(today.minusDays(period - 1L), today));
                double[] millis = new double[option("queries")];
                for (int q = -5; q < millis.length; q++) {
                    if (todayChanged) {
                        // untimed: the server's own job summarizes (and unmarks) today every 30 s meanwhile
                        markDays(url, organization, todayOnly);
                    }
                    long t0 = System.nanoTime();
                    // as the portal asks: through the guard (session-less operator here), audit entry included
                    usage.applications(operator, lastDays);
                    if (q >= 0) {
                        millis[q] = (System.nanoTime() - t0) / 1e6;
                    }
                }
                Arrays.sort(millis);
                double p50 = millis[(int) Math.ceil(0.50 * millis.length) - 1];
                double p95 = millis[(int) Math.ceil(0.95 * millis.length) - 1];
                results.put(period + "d" + (todayChanged ? "-today-changed" : ""), new double[] {p50, p95});
                System.out.printf(Locale.ROOT, "dashboard %2d days%s: p50 %.1f ms, p95 %.1f ms (goal p95 ≤ 100 ms)%n",
                        period, todayChanged ? ", today changed" : "", p50, p95);
            }
        }
        started = System.nanoTime();
        jdbi.useHandle(handle -> com.xentracker.server.maintenance.DashboardSummaries.summarize(handle, organization.id(), today));
        System.out.printf(Locale.ROOT, "dashboard summaries: today (%d devices) summarized in %.0f ms%n", people,
                (System.nanoTime() - started) / 1e6);
        return results;
    }

    /** Marks (day, device) of the organization's rollups as changed, as ingest does; {@code where} narrows. */
    private static void markDays(String url, Organization organization, String where) throws java.sql.SQLException {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute(String.format(Locale.ROOT, """
                    INSERT INTO rollup_changes (organization_id, day, device_id)
                    SELECT DISTINCT organization_id, day, device_id FROM rollups
                    WHERE organization_id = '%s' AND active_ms > 0%s
                    ON CONFLICT DO NOTHING""", organization.id(), where));
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String rates(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%.0f", v))
                .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }

    private static double metric(String metrics, String name) {
        return metrics.lines().filter(line -> line.startsWith(name + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(name.length() + 1))).orElse(Double.NaN);
    }

    private static String version(String url) throws IOException {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement();
                var rs = statement.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        } catch (java.sql.SQLException e) {
            throw new IOException(e);
        }
    }
}
