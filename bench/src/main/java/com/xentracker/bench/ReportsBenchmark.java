package com.xentracker.bench;

import com.xentracker.server.ServerConfig;
import com.xentracker.server.XentrackerServer;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.SignIn;
import com.xentracker.server.maintenance.DashboardSummaries;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.usage.Dimension;
import com.xentracker.server.usage.Period;
import com.xentracker.server.usage.UsageFilter;
import com.xentracker.server.usage.UsageQueries;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;

/**
 * The portal's reports on synthetic data, not a test: {@code --people} people (one device each) × {@code --days} days
 * of rollups in an organization in America/Los_Angeles (so the last 90 days hold a daylight-saving change): 8
 * applications a day each, the browser's time split over 5 of 40 sites, 6 categories with ratings (one group rates
 * one differently), groups of {@code --group-size} people. Every day is marked and summarized by the server's own job
 * code, then each report is asked {@code --queries} times through the server's use cases (the guard, its session
 * check for a signed-in viewer and its audit entry included), after 5 untimed runs: p50 and p95 per report.
 * "Today changed": today's marks present for every device, as during a working day (today is then read from the
 * rollups), re-marked before each untimed query because the server's own job summarizes every 30 s. Goal p95 ≤ 100 ms
 * per report over 90 days.
 *
 * <p>{@code --hold-seconds N} keeps the generated database for N seconds before measuring and prints its JDBC URL,
 * so that the reports' statements can be explained on the same data ({@code psql URL}, {@code EXPLAIN ANALYZE}).
 *
 * <pre>bench/run reports [--people 1000] [--days 90] [--group-size 50] [--queries 100] [--hold-seconds 0]
 *                      [--out bench/results/reports.json]</pre>
 */
public final class ReportsBenchmark {

    private static final ZoneId ZONE = ZoneId.of("America/Los_Angeles");
    private static final String[] APPLICATIONS = {"editor", "terminal", "chromium", "mail", "chat", "office", "ide",
        "music"};
    /** Each application's category ('' = no rule matched); the browser's comes from its site. */
    private static final String[] CATEGORIES = {"Development", "Development", "", "Communication", "Communication",
        "Office", "Development", "Entertainment"};
    private static final String[][] RATINGS = {{"Development", "PRODUCTIVE"}, {"Communication", "NEUTRAL"},
        {"Office", "PRODUCTIVE"}, {"Entertainment", "UNPRODUCTIVE"}, {"Research", "PRODUCTIVE"},
        {"News", "UNPRODUCTIVE"}};
    private static final int SITES = 40;
    private static final int SITES_A_DAY = 5;
    private static final char[] PASSWORD = "bench password that is long".toCharArray();

    private final Map<String, String> options;

    private ReportsBenchmark(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        String[] defaults = {"people", "1000", "days", "90", "group-size", "50", "queries", "100",
            "hold-seconds", "0", "out", "bench/results/reports.json"};
        for (int i = 0; i < defaults.length; i += 2) {
            options.put(defaults[i], defaults[i + 1]);
        }
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--") || !options.containsKey(args[i].substring(2))) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + options.keySet());
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        new ReportsBenchmark(options).run();
    }

    private int option(String name) {
        return Integer.parseInt(options.get(name));
    }

    private record Result(String report, double p50, double p95) {
    }

    private void run() throws Exception {
        Path work = Files.createTempDirectory("xt-bench-reports-");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(work.resolve("pg")).setCleanDataDirectory(true)
                .setServerConfig("max_connections", "50").start()) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            ServerConfig config = ServerConfig.forDataDirectory(work.resolve("server")).withHttpsPort(0)
                    .withPoolSize(4).withDatabase(new ServerConfig.ExternalDatabase(url, "postgres", ""));
            try (XentrackerServer server = XentrackerServer.start(config, Clock.systemUTC())) {
                Organization organization = server.administration().createOrganization("Reports bench", ZONE);
                LocalDate today = LocalDate.now(ZONE);
                Data data = generate(url, organization, today);
                Actor operator = server.administration().operator(organization.id());
                Actor viewer = viewer(server, organization, data);
                UsageQueries usage = server.services().usage();
                if (option("hold-seconds") > 0) {
                    System.out.printf(Locale.ROOT, "holding for %d s: psql '%s' (organization %s, group %s)%n",
                            option("hold-seconds"), url, organization.id(), data.groups().get(0));
                    Thread.sleep(option("hold-seconds") * 1000L);
                }

                UsageFilter ninety = UsageFilter.of(Period.lastDays(option("days")));
                UsageFilter team = ninety.inGroup(data.groups().get(0));
                Map<String, Supplier<Object>> reports = new LinkedHashMap<>();
                reports.put("overview", () -> usage.overview(operator, ninety));
                reports.put("applications", () -> usage.applications(operator, ninety));
                reports.put("sites", () -> usage.sites(operator, ninety));
                reports.put("categories", () -> usage.categories(operator, ninety));
                reports.put("team-overview", () -> usage.overview(operator, team));
                reports.put("team-applications", () -> usage.applications(operator, team));
                reports.put("team-sites", () -> usage.sites(operator, team));
                reports.put("team-categories", () -> usage.categories(operator, team));
                reports.put("viewer-overview", () -> usage.overview(viewer, ninety));
                reports.put("person-applications", () -> usage.applications(operator,
                        ninety.ofPerson(data.people().get(0))));
                reports.put("users-of-application", () -> usage.users(operator, Dimension.APPLICATION, "editor",
                        ninety));
                reports.put("users-of-site", () -> usage.users(operator, Dimension.SITE, "site7.example.com",
                        ninety));
                reports.put("users-of-category", () -> usage.users(operator, Dimension.CATEGORY, "Development",
                        ninety));
                reports.put("overview-7d", () -> usage.overview(operator, UsageFilter.of(Period.lastDays(7))));
                reports.put("overview-today", () -> usage.overview(operator, UsageFilter.of(Period.today())));

                List<Result> results = new ArrayList<>();
                for (boolean todayChanged : new boolean[] {false, true}) {
                    for (Map.Entry<String, Supplier<Object>> report : reports.entrySet()) {
                        double[] millis = new double[option("queries")];
                        for (int q = -5; q < millis.length; q++) {
                            if (todayChanged) {
                                markToday(url, organization, today);
                            }
                            long started = System.nanoTime();
                            report.getValue().get();
                            if (q >= 0) {
                                millis[q] = (System.nanoTime() - started) / 1e6;
                            }
                        }
                        Arrays.sort(millis);
                        Result result = new Result(report.getKey() + (todayChanged ? "-today-changed" : ""),
                                percentile(millis, 0.50), percentile(millis, 0.95));
                        results.add(result);
                        System.out.printf(Locale.ROOT, "%-40s p50 %6.1f ms  p95 %6.1f ms%n", result.report(),
                                result.p50(), result.p95());
                    }
                }
                write(url, data, results);
            }
        } finally {
            try (Stream<Path> paths = Files.walk(work)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private record Data(List<UUID> people, List<UUID> groups, long rollups, double seconds) {
    }

    /** The organization's people, devices, groups, categories and rollups, straight into the tables. */
    private Data generate(String url, Organization organization, LocalDate today) throws Exception {
        int people = option("people");
        int days = option("days");
        int groupSize = option("group-size");
        long started = System.nanoTime();
        String org = organization.id().toString();
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute(String.format(Locale.ROOT, """
                    INSERT INTO enrollment_tokens (organization_id, id, token_hash, created_at, expires_at, max_uses)
                    VALUES ('%1$s', '%1$s', sha256('%1$s'::bytea), now(), now(), 1)""", org));
            statement.execute(String.format(Locale.ROOT, """
                    INSERT INTO people (organization_id, id, display_name, login, created_at)
                    SELECT '%1$s', gen_random_uuid(), 'Person ' || n, 'user' || n, now()
                    FROM generate_series(1, %2$d) n""", org, people));
            // one device per person, numbered 1..people as enrollment numbers them, heard of an hour ago
            statement.execute(String.format(Locale.ROOT, """
                    INSERT INTO devices (organization_id, id, number, public_key_pem, hostname, operating_system,
                                         os_user, agent_version, enrollment_token_id, enrolled_at, last_seen_at)
                    SELECT '%1$s', gen_random_uuid(), substring(p.login FROM 5)::int, 'bench', 'host-' || p.login,
                           'Linux', p.login, 'bench', '%1$s', now(), now() - interval '1 hour'
                    FROM people p WHERE p.organization_id = '%1$s'""", org));
            statement.execute(String.format(Locale.ROOT,
                    "UPDATE organizations SET device_numbers = %d WHERE id = '%s'", people, org));
            statement.execute(String.format(Locale.ROOT, """
                    INSERT INTO device_users (organization_id, device_id, os_user, person_id)
                    SELECT d.organization_id, d.id, d.os_user, p.id FROM devices d
                    JOIN people p ON p.organization_id = d.organization_id AND p.login = d.os_user
                    WHERE d.organization_id = '%s'""", org));
            // groups of group-size people in login order: Team 1 = user1..user50, …
            statement.execute(String.format(Locale.ROOT, """
                    INSERT INTO groups (organization_id, id, name, created_at)
                    SELECT '%1$s', gen_random_uuid(), 'Team ' || g, now() FROM generate_series(1, %2$d) g""",
                    org, Math.max(1, people / groupSize)));
            statement.execute(String.format(Locale.ROOT, """
                    INSERT INTO group_members (organization_id, group_id, person_id)
                    SELECT p.organization_id, g.id, p.id FROM people p
                    JOIN groups g ON g.organization_id = p.organization_id
                     AND g.name = 'Team ' || ((substring(p.login FROM 5)::int - 1) / %2$d + 1)
                    WHERE p.organization_id = '%1$s'""", org, groupSize));
            StringBuilder ratings = new StringBuilder();
            for (String[] rating : RATINGS) {
                ratings.append(ratings.isEmpty() ? "" : ", ").append("('").append(rating[0]).append("', '")
                        .append(rating[1]).append("')");
            }
            statement.execute(String.format(Locale.ROOT, """
                    INSERT INTO categories (organization_id, id, name, productivity)
                    SELECT '%s', gen_random_uuid(), r.name, r.productivity FROM (VALUES %s) r(name, productivity)""",
                    org, ratings));
            // Team 1 rates the news as research
            statement.execute(String.format(Locale.ROOT, """
                    INSERT INTO category_group_ratings (organization_id, group_id, category_id, productivity)
                    SELECT c.organization_id, g.id, c.id, 'PRODUCTIVE' FROM categories c
                    JOIN groups g ON g.organization_id = c.organization_id AND g.name = 'Team 1'
                    WHERE c.organization_id = '%s' AND c.name = 'News'""", org));
            // Per person and day: the 7 applications other than the browser, 20–90 minutes each, and the
            // browser's time on 5 of the 40 sites (a different 5 each day), categorised by site.
            StringBuilder applications = new StringBuilder();
            for (int a = 0; a < APPLICATIONS.length; a++) {
                applications.append(applications.isEmpty() ? "" : ", ").append("(").append(a).append(", '")
                        .append(APPLICATIONS[a]).append("', '").append(CATEGORIES[a]).append("')");
            }
            statement.execute(String.format(Locale.ROOT, """
                    INSERT INTO rollups (organization_id, day, person_id, device_id, application, domain, category,
                                         active_ms, idle_ms, locked_ms)
                    SELECT '%1$s', DATE '%2$s' - d, u.person_id, u.device_id, a.name, '', a.category,
                           (20 + (d * 7 + a.n * 13 + (hashtext(u.device_id::text) & 1023)) %% 70) * 60000, 600000, 0
                    FROM device_users u, generate_series(0, %3$d) d, (VALUES %4$s) a(n, name, category)
                    WHERE u.organization_id = '%1$s' AND a.name <> 'chromium'""",
                    org, today, days - 1, applications));
            statement.execute(String.format(Locale.ROOT, """
                    INSERT INTO rollups (organization_id, day, person_id, device_id, application, domain, category,
                                         active_ms, idle_ms, locked_ms)
                    SELECT '%1$s', DATE '%2$s' - d, u.person_id, u.device_id, 'chromium',
                           'site' || ((d + s * 8 + (hashtext(u.device_id::text) & 1023)) %% %4$d) || '.example.com',
                           CASE WHEN s %% 3 = 0 THEN 'Research' WHEN s %% 3 = 1 THEN 'News' ELSE '' END,
                           (5 + (d + s * 11) %% 30) * 60000, 0, 0
                    FROM device_users u, generate_series(0, %3$d) d, generate_series(0, %5$d) s
                    WHERE u.organization_id = '%1$s'""", org, today, days - 1, SITES, SITES_A_DAY - 1));
            // every day marked, as ingest marks them, then summarized by the job's own code
            statement.execute(String.format(Locale.ROOT, """
                    INSERT INTO rollup_changes (organization_id, day, device_id)
                    SELECT DISTINCT organization_id, day, device_id FROM rollups
                    WHERE organization_id = '%s' AND active_ms > 0 ON CONFLICT DO NOTHING""", org));
            // as autovacuum would after a bulk insert: statistics, and the visibility map for index-only scans
            statement.execute("VACUUM (ANALYZE) rollups");
        }
        Jdbi jdbi = Jdbi.create(url, "postgres", "");
        long summarizing = System.nanoTime();
        int summarized = 0;
        int done;
        do {
            done = jdbi.withHandle(handle -> DashboardSummaries.run(handle, Instant.now(), DashboardSummaries.BUDGET));
            summarized += done;
        } while (done > 0 && marks(jdbi) > 0);
        System.out.printf(Locale.ROOT, "summaries: %d days in %.1f s%n", summarized,
                (System.nanoTime() - summarizing) / 1e9);
        long rollups;
        List<UUID> peopleIds;
        List<UUID> groupIds;
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            for (String table : List.of("app_days", "site_days", "category_days", "rollup_changes", "people",
                    "devices", "group_members", "groups")) {
                statement.execute("VACUUM (ANALYZE) " + table);
            }
            rollups = count(statement, "SELECT count(*) FROM rollups WHERE organization_id = '" + org + "'");
            peopleIds = ids(statement, "SELECT id FROM people WHERE organization_id = '" + org + "' ORDER BY login");
            groupIds = ids(statement, "SELECT id FROM groups WHERE organization_id = '" + org
                    + "' ORDER BY length(name), name");
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "data: %d people × %d days, %,d rollup rows, %d groups of %d, in %.1f s%n",
                people, days, rollups, groupIds.size(), groupSize, seconds);
        return new Data(peopleIds, groupIds, rollups, seconds);
    }

    /** A signed-in viewer given the first two groups without individual detail. */
    private static Actor viewer(XentrackerServer server, Organization organization, Data data) {
        String email = "viewer@bench.example";
        var account = server.administration().createAccount(organization.id(), email, PASSWORD.clone(),
                Role.VIEWER);
        Actor operator = server.administration().operator(organization.id());
        for (UUID group : data.groups().subList(0, Math.min(2, data.groups().size()))) {
            server.services().groups().grantViewer(operator, group, account.id(), false);
        }
        return ((SignIn.SignedIn) server.services().signIn().withPassword(email, PASSWORD.clone(), "127.0.0.1"))
                .actor();
    }

    private static long marks(Jdbi jdbi) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM rollup_changes")
                .mapTo(Long.class).one());
    }

    private static void markToday(String url, Organization organization, LocalDate today) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute(String.format(Locale.ROOT, """
                    INSERT INTO rollup_changes (organization_id, day, device_id)
                    SELECT DISTINCT organization_id, day, device_id FROM rollups
                    WHERE organization_id = '%s' AND day = DATE '%s' AND active_ms > 0
                    ON CONFLICT DO NOTHING""", organization.id(), today));
        }
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[(int) Math.ceil(p * sorted.length) - 1];
    }

    private static long count(Statement statement, String sql) throws Exception {
        try (ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<UUID> ids(Statement statement, String sql) throws Exception {
        List<UUID> ids = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
        }
        return ids;
    }

    private void write(String url, Data data, List<Result> results) throws Exception {
        StringBuilder json = new StringBuilder("{\n");
        json.append("  \"benchmark\": \"reports\",\n");
        json.append("  \"date\": \"").append(Instant.now()).append("\",\n");
        json.append("  \"java\": \"").append(System.getProperty("java.runtime.version")).append("\",\n");
        json.append("  \"cpus\": ").append(Runtime.getRuntime().availableProcessors()).append(",\n");
        json.append("  \"loadAverage\": ").append(String.format(Locale.ROOT, "%.1f",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()))
                .append(",\n");
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SHOW server_version")) {
            rs.next();
            json.append("  \"postgresql\": \"embedded (zonky) ").append(rs.getString(1)).append("\",\n");
        }
        json.append(String.format(Locale.ROOT, "  \"data\": {\"people\": %d, \"days\": %d, \"groupSize\": %d,"
                + " \"groups\": %d, \"rollupRows\": %d, \"zone\": \"%s\", \"generatedSeconds\": %.1f},%n",
                option("people"), option("days"), option("group-size"), data.groups().size(), data.rollups(),
                ZONE.getId(), data.seconds()));
        json.append(String.format(Locale.ROOT, "  \"queries\": %d,%n  \"goalP95Ms\": 100,%n", option("queries")));
        json.append("  \"reports\": {\n");
        for (int i = 0; i < results.size(); i++) {
            Result result = results.get(i);
            json.append(String.format(Locale.ROOT, "    \"%s\": {\"p50Ms\": %.2f, \"p95Ms\": %.2f}%s%n",
                    result.report(), result.p50(), result.p95(), i + 1 < results.size() ? "," : ""));
        }
        json.append("  }\n}\n");
        Path out = Path.of(options.get("out"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json);
        System.out.println("results: " + out);
    }
}
