package com.xentracker.bench;

import com.xentracker.server.ServerConfig;
import com.xentracker.server.XentrackerServer;
import com.xentracker.server.access.Actor;
import com.xentracker.server.device.IssuedEnrollmentToken;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.people.People;
import com.xentracker.server.people.PersonActivity;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * A person's page as the server reads it (the day timeline, the period's totals per day, top applications and sites,
 * devices; one use case through the guard, audit entry included), on {@code --people} people × {@code --days} days of
 * synthetic spans, not a test.
 *
 * <ul>
 *   <li>Data: one device per person, {@code --spans} spans a working day per person (from 08:00 local, in the
 *       organization's zone {@code Pacific/Auckland}, far from UTC): applications, a browser on sites, idle, locked
 *       and private stretches, written straight into {@code spans} by SQL and into monthly partitions as the server
 *       makes them, and the daily {@code rollups} summed from those spans; then {@code VACUUM ANALYZE}, as autovacuum
 *       would after a bulk load.</li>
 *   <li>Queries: {@code --queries} pages of a random person on a random day for each period of 7, 30 and 90 days
 *       (taking turns), after {@code --warmup} untimed rounds; p50/p95/max per period. The load average during the
 *       run is recorded with the figures: on a shared machine it says how much they are worth.</li>
 * </ul>
 *
 * <pre>bench/run people [--people 1000] [--days 90] [--spans 120] [--queries 200] [--warmup 100]
 *                  [--out bench/results/person-timeline.json]</pre>
 */
public final class PersonTimelineBenchmark {

    private static final ZoneId ZONE = ZoneId.of("Pacific/Auckland");
    private final Map<String, String> options;

    private PersonTimelineBenchmark(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        String[] defaults = {"people", "1000", "days", "90", "spans", "120", "queries", "200", "warmup", "100",
            "out", "bench/results/person-timeline.json"};
        for (int i = 0; i < defaults.length; i += 2) {
            options.put(defaults[i], defaults[i + 1]);
        }
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--") || !options.containsKey(args[i].substring(2))) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + options.keySet());
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        new PersonTimelineBenchmark(options).run();
    }

    private int option(String name) {
        return Integer.parseInt(options.get(name));
    }

    private void run() throws Exception {
        int people = option("people");
        int days = option("days");
        int spans = option("spans");
        Path work = Files.createTempDirectory("xt-bench-people-");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(work.resolve("pg")).setCleanDataDirectory(true)
                .setServerConfig("max_connections", "50").start()) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            ServerConfig config = ServerConfig.forDataDirectory(work.resolve("server")).withHttpsPort(0)
                    .withPoolSize(4).withDatabase(new ServerConfig.ExternalDatabase(url, "postgres", ""));
            try (XentrackerServer server = XentrackerServer.start(config, Clock.systemUTC())) {
                Organization organization = server.administration().createOrganization("People bench", ZONE);
                LocalDate today = LocalDate.now(ZONE);
                long loaded = load(server, url, organization, people, days, spans, today);
                Actor operator = server.administration().operator(organization.id());
                List<UUID> persons = persons(url, organization);
                long[] spansSeen = new long[1];
                Map<String, double[]> results = measure(server.services().people(), operator, persons, today, days,
                        spansSeen);
                results.forEach((period, millis) -> System.out.printf(Locale.ROOT, "person page, day timeline + %s"
                        + " period: p50 %.1f ms, p95 %.1f ms, max %.1f ms (goal p95 ≤ 50 ms)%n", period, millis[0],
                        millis[1], millis[2]));
                write(url, people, days, spans, loaded, spansSeen[0], results);
            }
        } finally {
            delete(work);
        }
    }

    /**
     * The synthetic organization: people, devices, their mapping, spans and rollups. Returns the spans written.
     * Everything in SQL on the server side: a Java client would spend minutes on ten million rows.
     */
    private static long load(XentrackerServer server, String url, Organization organization, int people, int days,
            int spans, LocalDate today) throws Exception {
        IssuedEnrollmentToken token = server.services().enrollmentTokens().issue(
                server.administration().operator(organization.id()), "bench", Duration.ofHours(1), 1);
        long started = System.nanoTime();
        String org = organization.id().toString();
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            // the bench's oldest day is kept: no retention run may delete it meanwhile
            statement.execute("UPDATE organizations SET span_retention_days = 400, device_numbers = " + people
                    + " WHERE id = '" + org + "'");
            statement.execute(String.format(Locale.ROOT, """
                    CREATE TEMPORARY TABLE bench_people AS
                    SELECT n, gen_random_uuid() AS person, gen_random_uuid() AS device FROM generate_series(1, %d) n""",
                    people));
            statement.execute(String.format(Locale.ROOT, """
                    INSERT INTO people (organization_id, id, display_name, login, created_at)
                    SELECT '%1$s', person, 'Person ' || n, 'user' || n, now() FROM bench_people;
                    INSERT INTO devices (organization_id, id, number, public_key_pem, hostname, operating_system,
                                         os_user, agent_version, enrollment_token_id, enrolled_at, last_seen_at)
                    SELECT '%1$s', device, n, 'bench', 'host-' || n, 'Linux', 'user' || n, 'bench', '%2$s', now(),
                           now()
                    FROM bench_people;
                    INSERT INTO device_users (organization_id, device_id, os_user, person_id)
                    SELECT '%1$s', device, 'user' || n, person FROM bench_people""", org, token.id()));
            // one span in each month first, so that the server's partition job makes the months' partitions and the
            // bulk load lands in them directly (as production data does), not in the default partition
            statement.execute(String.format(Locale.ROOT, """
                    INSERT INTO spans (organization_id, device_id, person_id, batch_sequence, start_at, end_at, state,
                                       application, executable)
                    SELECT '%1$s', device, person, 0, m, m + interval '1 second', 'IDLE', '', ''
                    FROM (SELECT device, person FROM bench_people WHERE n = 1) p,
                         generate_series(date_trunc('month', DATE '%2$s' - %3$d), DATE '%2$s'::timestamp, interval '1 month') m""",
                    org, today, days));
            try (var handle = Jdbi.create(url, "postgres", "").open()) {
                com.xentracker.server.maintenance.Partitions.ensure(handle, Instant.now());
            }
            statement.execute("DELETE FROM spans WHERE organization_id = '" + org + "'");
            // a working day from 08:00 local: each span 4 minutes long (the last 10 s an application switch), every
            // 9th idle, every 23rd locked, every 37th private; the browser's time on one of three sites
            statement.execute(String.format(Locale.ROOT, """
                    INSERT INTO spans (organization_id, device_id, person_id, batch_sequence, start_at, end_at, state,
                                       application, executable, title, domain, url)
                    SELECT '%1$s', p.device, p.person, d,
                           s.start_at, s.start_at + interval '230 seconds', s.state,
                           CASE WHEN s.state = 'ACTIVE' THEN s.app ELSE '' END,
                           CASE WHEN s.state = 'ACTIVE' THEN '/usr/bin/' || s.app ELSE '' END,
                           NULL,
                           CASE WHEN s.state = 'ACTIVE' AND s.app = 'firefox'
                                THEN (ARRAY['docs.example.org', 'news.example.com', 'mail.example.net'])[1 + (i + d) %% 3]
                           END,
                           NULL
                    FROM bench_people p, generate_series(0, %3$d - 1) d, generate_series(0, %4$d - 1) i,
                         LATERAL (SELECT ((DATE '%2$s' - d)::timestamp AT TIME ZONE '%5$s')
                                             + interval '8 hours' + i * interval '4 minutes' AS start_at,
                                         CASE WHEN i %% 37 = 5 THEN 'PAUSED' WHEN i %% 23 = 3 THEN 'LOCKED'
                                              WHEN i %% 9 = 4 THEN 'IDLE' ELSE 'ACTIVE' END AS state,
                                         (ARRAY['code', 'firefox', 'thunderbird', 'slack', 'libreoffice', 'terminal',
                                                'zoom', 'gimp'])[1 + (i / 5 + p.n + d) %% 8] AS app) s""",
                    org, today, days, spans, ZONE.getId()));
            statement.execute(String.format(Locale.ROOT, """
                    INSERT INTO rollups (organization_id, day, person_id, device_id, application, domain, category,
                                         active_ms, idle_ms, locked_ms)
                    SELECT organization_id, (start_at AT TIME ZONE '%2$s')::date, person_id, device_id, application,
                           coalesce(domain, ''), '',
                           coalesce(sum(230000) FILTER (WHERE state = 'ACTIVE'), 0),
                           coalesce(sum(230000) FILTER (WHERE state = 'IDLE'), 0),
                           coalesce(sum(230000) FILTER (WHERE state = 'LOCKED'), 0)
                    FROM spans WHERE organization_id = '%1$s' AND state IN ('ACTIVE', 'IDLE', 'LOCKED')
                    GROUP BY 1, 2, 3, 4, 5, 6""", org, ZONE.getId()));
            statement.execute("VACUUM (ANALYZE) spans");
            statement.execute("VACUUM (ANALYZE) rollups");
            long count;
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM spans")) {
                rows.next();
                count = rows.getLong(1);
            }
            System.out.printf(Locale.ROOT, "data: %d people × %d days × %d spans = %,d spans (and their rollups)"
                    + " in %.0f s%n", people, days, spans, count, (System.nanoTime() - started) / 1e9);
            return count;
        }
    }

    private static List<UUID> persons(String url, Organization organization) throws Exception {
        List<UUID> persons = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id FROM people WHERE organization_id = '"
                        + organization.id() + "'")) {
            while (rows.next()) {
                persons.add(rows.getObject(1, UUID.class));
            }
        }
        return persons;
    }

    /** The periods a person's page offers, in days. */
    private static final int[] PERIODS = {7, 30, 90};

    /**
     * p50, p95 and max per period of {@code --queries} pages each of random people on random days of the data. The
     * periods take turns, query by query, so that each meets the same cache and JIT (measured one after the other,
     * the first would pay for warming the buffer cache).
     */
    private Map<String, double[]> measure(People people, Actor operator, List<UUID> persons, LocalDate today,
            int days, long[] spansSeen) {
        SplittableRandom random = new SplittableRandom(42);
        int queries = option("queries");
        double[][] millis = new double[PERIODS.length][queries];
        for (int q = -option("warmup"); q < queries; q++) {
            for (int p = 0; p < PERIODS.length; p++) {
                int period = PERIODS[p];
                UUID person = persons.get(random.nextInt(persons.size()));
                LocalDate day = today.minusDays(random.nextInt(days));
                long t0 = System.nanoTime();
                // as the portal asks: through the guard (the operator here), one audit entry included
                PersonActivity activity = people.activity(operator, person, day, day.minusDays(period - 1L), day);
                if (q >= 0) {
                    millis[p][q] = (System.nanoTime() - t0) / 1e6;
                    spansSeen[0] = Math.max(spansSeen[0], activity.timeline().spans().size());
                }
            }
        }
        Map<String, double[]> results = new LinkedHashMap<>();
        for (int p = 0; p < PERIODS.length; p++) {
            double[] sorted = millis[p];
            Arrays.sort(sorted);
            results.put(PERIODS[p] + "d", new double[] {sorted[(int) Math.ceil(0.50 * queries) - 1],
                sorted[(int) Math.ceil(0.95 * queries) - 1], sorted[queries - 1]});
        }
        return results;
    }

    private void write(String url, int people, int days, int spans, long loaded, long spansPerDay,
            Map<String, double[]> results) throws Exception {
        StringBuilder json = new StringBuilder("{\n");
        json.append("  \"benchmark\": \"person-timeline\",\n");
        json.append("  \"date\": \"").append(Instant.now()).append("\",\n");
        json.append("  \"java\": \"").append(System.getProperty("java.runtime.version")).append("\",\n");
        json.append("  \"cpus\": ").append(Runtime.getRuntime().availableProcessors()).append(",\n");
        json.append(String.format(Locale.ROOT, "  \"loadAverageAfter\": %.2f,%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SHOW server_version")) {
            rows.next();
            json.append("  \"postgresql\": \"embedded (zonky) ").append(rows.getString(1)).append("\",\n");
        }
        json.append(String.format(Locale.ROOT, "  \"data\": {\"people\": %d, \"days\": %d, \"spansPerDay\": %d,"
                + " \"spans\": %d, \"zone\": \"%s\", \"largestTimeline\": %d},%n", people, days, spans, loaded,
                ZONE.getId(), spansPerDay));
        json.append(String.format(Locale.ROOT, "  \"queries\": %d, \"warmup\": %d,%n", option("queries"),
                option("warmup")));
        List<String> periods = new ArrayList<>();
        results.forEach((period, p) -> periods.add(String.format(Locale.ROOT,
                "\"%s\": {\"p50Ms\": %.2f, \"p95Ms\": %.2f, \"maxMs\": %.2f}", period, p[0], p[1], p[2])));
        json.append("  \"personPage\": {").append(String.join(", ", periods)).append("},\n");
        json.append("  \"goal\": \"p95 <= 50 ms\"\n}\n");
        Path out = Path.of(options.get("out"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json);
        System.out.println("results: " + out);
    }

    private static void delete(Path directory) throws java.io.IOException {
        try (var paths = Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
