package com.xentracker.bench;

import com.xentracker.server.ServerConfig;
import com.xentracker.server.XentrackerServer;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.SignIn;
import com.xentracker.server.organization.Organization;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.postgresql.PGConnection;

/**
 * The CSV export's throughput and memory, not a test. A real server (in this JVM, on an embedded PostgreSQL) holds
 * one organization's spans in steps of {@code --steps} rows (default 100k, 1M and 10M); at each step the whole
 * {@code spans.csv} is fetched over HTTPS with an API token, as {@code curl} would, and read to the end, then the
 * same rows are read with a raw {@code COPY (SELECT ...) TO STDOUT} through the same driver, in the same run.
 * Reported per step: rows/s of both and their ratio (goal ≥ 300,000 rows/s), and the heap's high-water mark during
 * the export: the most heap in use right after a garbage collection (what live data needs; goal: flat whatever the
 * row count), and the most in use at all. Run with a small fixed heap ({@code bench/run export} uses -Xmx256m): an
 * export that held its rows would run out of it long before 10M rows.
 *
 * <pre>bench/run export [--steps 100000,1000000,10000000] [--out bench/results/export.json]</pre>
 */
public final class ExportBenchmark {

    private static final char[] PASSWORD = "benchmark password long enough".toCharArray();

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of("steps", "100000,1000000,10000000",
                "out", "bench/results/export.json"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--") || !options.containsKey(args[i].substring(2))) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + options.keySet());
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        List<Long> steps = new ArrayList<>();
        for (String step : options.get("steps").split(",")) {
            steps.add(Long.parseLong(step.strip()));
        }
        Path work = Files.createTempDirectory("xt-bench-export-");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(work.resolve("pg")).setCleanDataDirectory(true).start()) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            ServerConfig config = ServerConfig.forDataDirectory(work.resolve("server")).withHttpsPort(0)
                    .withPoolSize(4).withDatabase(new ServerConfig.ExternalDatabase(url, "postgres", ""));
            try (XentrackerServer server = XentrackerServer.start(config, Clock.systemUTC())) {
                Organization organization = server.administration().createOrganization("Export benchmark",
                        ZoneId.of("Europe/Berlin"));
                String email = "auditor@bench.example";
                server.administration().createAccount(organization.id(), email, PASSWORD.clone(), Role.AUDITOR);
                Actor auditor = ((SignIn.SignedIn) server.services().signIn().withPassword(email, PASSWORD.clone(),
                        "127.0.0.1")).actor();
                String token = server.services().apiTokens().create(auditor, "bench", Duration.ofDays(1)).secret();
                UUID person = server.services().people().create(server.administration().operator(organization.id()),
                        "Bench person").id();
                UUID device = UUID.randomUUID();
                SSLContext tls = trusting(server.certificateAuthority());
                URI export = server.baseUri().resolve("/api/v1/exports/spans.csv");
                StringBuilder json = new StringBuilder("{\"steps\":[");
                long loaded = 0;
                // warm-up: the JIT compiles the export's path on a small table first (untimed)
                load(url, organization.id(), person, device, 0, 50_000);
                fetch(export, token, tls);
                copy(url, organization.id());
                try (Connection connection = DriverManager.getConnection(url, "postgres", "")) {
                    connection.createStatement().execute("DELETE FROM spans");
                }
                for (long step : steps) {
                    long started = System.nanoTime();
                    load(url, organization.id(), person, device, loaded, step - loaded);
                    loaded = step;
                    System.out.printf(Locale.ROOT, "%,d rows in the table (loaded in %.0f s)%n", loaded,
                            (System.nanoTime() - started) / 1e9);
                    HeapWatch heap = HeapWatch.start();
                    long exportStarted = System.nanoTime();
                    long[] fetched = fetch(export, token, tls);
                    double exportSeconds = (System.nanoTime() - exportStarted) / 1e9;
                    HeapWatch.Peaks peaks = heap.stop();
                    long copyStarted = System.nanoTime();
                    long[] copied = copy(url, organization.id());
                    double copySeconds = (System.nanoTime() - copyStarted) / 1e9;
                    double exportRate = (fetched[0] - 1) / exportSeconds;
                    double copyRate = copied[0] / copySeconds;
                    System.out.printf(Locale.ROOT, "  export over HTTPS: %,d rows, %,d bytes in %.1f s = %,.0f rows/s;"
                                    + " raw COPY TO STDOUT: %,d rows, %,d bytes in %.1f s = %,.0f rows/s; ratio %.2f%n"
                                    + "  heap during the export: after GC at most %.1f MiB, in use at most %.1f MiB"
                                    + " (max heap %.0f MiB)%n",
                            fetched[0] - 1, fetched[1], exportSeconds, exportRate, copied[0], copied[1], copySeconds,
                            copyRate, exportRate / copyRate, peaks.afterGc() / 1048576.0, peaks.used() / 1048576.0,
                            Runtime.getRuntime().maxMemory() / 1048576.0);
                    json.append(String.format(Locale.ROOT, "%s{\"rows\":%d,\"exportRowsPerSecond\":%.0f,"
                                    + "\"exportBytes\":%d,\"copyRowsPerSecond\":%.0f,\"ratio\":%.3f,"
                                    + "\"heapAfterGcMaxBytes\":%d,\"heapUsedMaxBytes\":%d}",
                            json.charAt(json.length() - 1) == '[' ? "" : ",", fetched[0] - 1, exportRate, fetched[1],
                            copyRate, exportRate / copyRate, peaks.afterGc(), peaks.used()));
                }
                json.append("],\"maxHeapBytes\":").append(Runtime.getRuntime().maxMemory()).append('}');
                Path out = Path.of(options.get("out"));
                Files.createDirectories(out.toAbsolutePath().getParent());
                Files.writeString(out, json.toString());
                System.out.println("results: " + out);
            }
        }
    }

    /** Adds {@code count} spans after the first {@code from}, a quarter second each, ending before now. */
    private static void load(String url, UUID organization, UUID person, UUID device, long from, long count)
            throws Exception {
        Instant base = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(30));
        try (Connection connection = DriverManager.getConnection(url, "postgres", "")) {
            long chunk = 1_000_000;
            for (long done = 0; done < count; done += chunk) {
                try (PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO spans (organization_id, device_id, person_id, batch_sequence, start_at, end_at,
                                           state, application, executable, title, domain)
                        SELECT ?, ?, ?, 0, ?::timestamptz + n * INTERVAL '250 milliseconds',
                               ?::timestamptz + n * INTERVAL '250 milliseconds' + INTERVAL '200 milliseconds',
                               'ACTIVE', 'application ' || (n % 50), '/usr/bin/application', 'Window title ' || n,
                               CASE WHEN n % 3 = 0 THEN 'site' || (n % 20) || '.example' END
                        FROM generate_series(?::bigint, ?::bigint) AS n""")) {
                    insert.setObject(1, organization);
                    insert.setObject(2, device);
                    insert.setObject(3, person);
                    insert.setString(4, base.toString());
                    insert.setString(5, base.toString());
                    insert.setLong(6, from + done);
                    insert.setLong(7, from + Math.min(count, done + chunk) - 1);
                    insert.executeUpdate();
                }
            }
            connection.createStatement().execute("ANALYZE spans");
        }
    }

    /** Fetches the export as curl would and reads it to the end: lines (header included) and bytes. */
    private static long[] fetch(URI uri, String token, SSLContext tls) throws Exception {
        HttpsURLConnection connection = (HttpsURLConnection) uri.toURL().openConnection();
        connection.setSSLSocketFactory(tls.getSocketFactory());
        connection.setRequestProperty("Authorization", "Bearer " + token);
        connection.setReadTimeout(600_000);
        if (connection.getResponseCode() != 200) {
            throw new IllegalStateException("export answered " + connection.getResponseCode());
        }
        long lines = 0;
        long bytes = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = connection.getInputStream()) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                bytes += read;
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        return new long[] {lines, bytes};
    }

    /** The same rows (the organization's spans in start order) as a raw COPY TO STDOUT in CSV: rows and bytes. */
    private static long[] copy(String url, UUID organization) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "")) {
            AtomicLong bytes = new AtomicLong();
            OutputStream counting = new OutputStream() {
                @Override
                public void write(int b) {
                    bytes.incrementAndGet();
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    bytes.addAndGet(len);
                }
            };
            long rows = connection.unwrap(PGConnection.class).getCopyAPI().copyOut("""
                    COPY (SELECT person_id, device_id, application, domain, title, url, state, start_at, end_at,
                                 end_at - start_at
                          FROM spans WHERE organization_id = '%s' ORDER BY start_at, device_id)
                    TO STDOUT (FORMAT csv)""".formatted(organization), counting);
            return new long[] {rows, bytes.get()};
        }
    }

    private static SSLContext trusting(X509Certificate ca) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, factory.getTrustManagers(), null);
        return tls;
    }

    /** Samples the heap every 20 ms while an export runs. */
    private static final class HeapWatch {

        record Peaks(long afterGc, long used) {
        }

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong afterGc = new AtomicLong();
        private final AtomicLong used = new AtomicLong();
        private final Thread thread;

        private HeapWatch() {
            List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
            System.gc();
            heap.forEach(MemoryPoolMXBean::resetPeakUsage);
            thread = new Thread(() -> {
                while (running.get()) {
                    long collected = heap.stream().filter(pool -> pool.getCollectionUsage() != null)
                            .mapToLong(pool -> pool.getCollectionUsage().getUsed()).sum();
                    afterGc.accumulateAndGet(collected, Math::max);
                    used.accumulateAndGet(heap.stream().mapToLong(pool -> pool.getUsage().getUsed()).sum(),
                            Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-watch");
            thread.setDaemon(true);
        }

        static HeapWatch start() {
            HeapWatch watch = new HeapWatch();
            watch.thread.start();
            return watch;
        }

        Peaks stop() throws InterruptedException {
            running.set(false);
            thread.join();
            return new Peaks(afterGc.get(), used.get());
        }
    }
}
