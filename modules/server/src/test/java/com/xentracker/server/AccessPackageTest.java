package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.core.activity.WebPage;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.server.ServerFixture.EnrolledDevice;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.export.ExportReceipt;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.organization.RetentionSettings;
import com.xentracker.testing.https.Https;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.EnrollmentRequest;
import com.xentracker.transport.wire.EnrollmentResponse;
import com.xentracker.transport.wire.Routes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The GDPR Art. 15 access package on real data: one ZIP with the person's data in every dataset and nobody else's, a
 * processing notice made from the organization's actual settings, who viewed or exported their data, and a manifest
 * whose hashes match the files; the request itself is audit-logged with the SHA-256 of the ZIP sent.
 */
class AccessPackageTest {

    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-06-22T11:05:00Z"));

    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();

    @Test
    void thePackageHoldsAllOfThePersonsDataNobodyElsesWhoSawItAndAMatchingManifest() throws IOException {
        Organization organization = server.newOrganization(ZoneId.of("Europe/Paris"));
        Actor operator = server.operator(organization.id());
        server.services().organizations().updatePolicy(operator, new CollectionPolicy(0, true, List.of(), Set.of(),
                Optional.empty(), true, Duration.ofMinutes(5), false, false));
        server.services().organizations().updateRetention(operator, new RetentionSettings(30, 12, 400));
        EnrolledDevice aliceDevice = enrollAs(organization, "alice");
        EnrolledDevice bobDevice = enrollAs(organization, "bob");
        upload(aliceDevice, span("editor", "2026-06-21T08:00:00Z", "2026-06-21T09:00:00Z"),
                span("=cmd|' /C calc'!A0", "2026-06-21T09:00:00Z", "2026-06-21T09:05:00Z"),
                Span.of(Instant.parse("2026-06-21T09:05:00Z"), Instant.parse("2026-06-21T09:20:00Z"),
                        Activity.active("firefox", "/usr/bin/firefox", Optional.of("Docs"))
                                .withPage(WebPage.ofDomain("docs.example"))));
        upload(bobDevice, span("bob's editor", "2026-06-21T08:00:00Z", "2026-06-21T08:30:00Z"));
        UUID alice = person(organization, "alice");
        UUID bob = person(organization, "bob");
        UUID team = server.services().groups().create(operator, "Support").id();
        server.services().groups().addMember(operator, team, alice);
        String ownerEmail = "owner-" + UUID.randomUUID() + "@example.org";
        Actor owner = signIn(organization, ownerEmail, Role.OWNER);
        Actor auditor = signIn(organization, "auditor-" + UUID.randomUUID() + "@example.org", Role.AUDITOR);
        String token = server.services().apiTokens().create(auditor, "audit", Duration.ofDays(1)).secret();
        ExportClient client = ExportClient.of(server);
        assertThat(client.get("/api/v1/exports/spans.csv?person=" + alice, token).status()).isEqualTo(200);
        assertThat(client.get("/api/v1/exports/people.csv", token).status()).isEqualTo(200);
        assertThat(client.get("/api/v1/exports/spans.csv?person=" + bob, token).status()).isEqualTo(200);
        server.services().people().directory(auditor);

        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ExportReceipt receipt = server.services().exports().accessPackage(owner, alice, (file, type) -> {
            assertThat(file).isEqualTo("access-package-" + alice + ".zip");
            assertThat(type).isEqualTo("application/zip");
            return zip;
        });

        Map<String, byte[]> files = unzip(zip.toByteArray());
        assertThat(files.keySet()).containsExactly("README.txt", "person.csv", "groups.csv", "devices.csv",
                "spans.csv", "rollups.csv", "accesses.csv", "manifest.csv");
        String everything = new String(zip.toByteArray(), StandardCharsets.ISO_8859_1) + files.values().stream()
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8)).reduce("", String::concat);
        assertThat(everything).doesNotContain(bob.toString(), bobDevice.id().toString(), "bob's editor");

        assertThat(csv(files.get("person.csv"))).singleElement().satisfies(row ->
                assertThat(row.subList(0, 3)).containsExactly(alice.toString(), "alice", "alice"));
        assertThat(csv(files.get("groups.csv"))).singleElement().satisfies(row ->
                assertThat(row).containsExactly(team.toString(), "Support", alice.toString(), "alice"));
        assertThat(csv(files.get("devices.csv"))).extracting(row -> row.get(0))
                .containsExactly(aliceDevice.id().toString());
        List<List<String>> spans = csv(files.get("spans.csv"));
        assertThat(spans).hasSize((int) server.count("SELECT count(*) FROM spans WHERE person_id = ?", alice));
        assertThat(spans).extracting(row -> row.get(4)).containsExactly("editor", "'=cmd|' /C calc'!A0", "firefox");
        assertThat(spans).extracting(row -> row.get(11)).first().isEqualTo("2026-06-21T10:00:00.000+02:00");
        assertThat(csv(files.get("rollups.csv"))).extracting(row -> row.get(1)).containsOnly(alice.toString());

        // who saw it: the export about her, the organization-wide one (it held her data too), not the one about Bob
        List<List<String>> accesses = csv(files.get("accesses.csv"));
        assertThat(accesses).filteredOn(row -> row.get(5).equals("export-data")).extracting(row -> row.get(8))
                .hasSize(2).anySatisfy(subject -> assertThat(subject).startsWith("spans.csv; person " + alice))
                .anySatisfy(subject -> assertThat(subject).startsWith("people.csv; no filter"));
        assertThat(accesses).allSatisfy(row -> assertThat(row.get(6)).isIn(alice.toString(), ""));

        String readme = new String(files.get("README.txt"), StandardCharsets.UTF_8);
        assertThat(readme).contains(organization.name(), ownerEmail, "Europe/Paris", "30 days", "12 months",
                "400 days", "Window titles", "only the web site's domain", "5 minute(s)", "You may pause collection",
                "1 owner(s), 0 administrator(s), 1 auditor(s), 0 viewer(s)");

        List<List<String>> manifest = csv(files.get("manifest.csv"));
        assertThat(manifest).extracting(row -> row.get(0)).containsExactly("README.txt", "person.csv", "groups.csv",
                "devices.csv", "spans.csv", "rollups.csv", "accesses.csv");
        for (List<String> line : manifest) {
            byte[] file = files.get(line.get(0));
            assertThat(line.get(2)).as(line.get(0)).isEqualTo(Integer.toString(file.length));
            assertThat(line.get(3)).as(line.get(0)).isEqualTo(ExportTest.sha256(file));
        }
        assertThat(manifest.get(4).get(1)).isEqualTo("3");

        assertThat(receipt.complete()).isTrue();
        assertThat(receipt.sha256()).isEqualTo(ExportTest.sha256(zip.toByteArray()));
        Map<String, Object> entry = server.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT outcome, subject, subject_person_id FROM audit_log
                        WHERE organization_id = :organization AND action = 'export-access-package'""")
                .bind("organization", organization.id()).mapToMap().one());
        assertThat(entry.get("outcome")).isEqualTo("SUCCESS");
        assertThat(entry.get("subject_person_id")).isEqualTo(alice);
        assertThat((String) entry.get("subject")).contains("access package", "8 files",
                zip.size() + " bytes, sha256 " + receipt.sha256());
    }

    @Test
    void administratorsMayRequestItAuditorsNotAndAnotherOrganizationsPersonIsNotFound() {
        Organization organization = server.newOrganization();
        UUID person = server.services().people().create(server.operator(organization.id()), "Carol").id();
        UUID stranger = server.services().people().create(server.operator(server.newOrganization().id()), "Dan").id();
        Actor admin = signIn(organization, "admin-" + UUID.randomUUID() + "@example.org", Role.ADMIN);
        Actor auditor = signIn(organization, "auditor-" + UUID.randomUUID() + "@example.org", Role.AUDITOR);

        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        assertThat(server.services().exports().accessPackage(admin, person, (file, type) -> zip).complete()).isTrue();
        assertThat(zip.size()).isPositive();
        assertThatThrownBy(() -> server.services().exports().accessPackage(auditor, person,
                (file, type) -> new ByteArrayOutputStream())).isInstanceOf(NotPermittedException.class);
        ByteArrayOutputStream nothing = new ByteArrayOutputStream();
        assertThatThrownBy(() -> server.services().exports().accessPackage(admin, stranger, (file, type) -> nothing))
                .isInstanceOf(NotFoundException.class);
        assertThat(nothing.size()).as("nothing is sent before the person is found").isZero();
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                files.put(entry.getName(), in.readAllBytes());
            }
        }
        return files;
    }

    /** The rows after the header. */
    private static List<List<String>> csv(byte[] file) throws IOException {
        List<CSVRecord> records = CSVFormat.RFC4180.parse(new StringReader(new String(file,
                StandardCharsets.UTF_8))).getRecords();
        return records.subList(1, records.size()).stream().map(CSVRecord::toList).toList();
    }

    private static Actor signIn(Organization organization, String email, Role role) {
        server.server().administration().createAccount(organization.id(), email, PASSWORD.clone(), role);
        return server.signIn(email, PASSWORD.clone()).orElseThrow();
    }

    private static UUID person(Organization organization, String login) {
        return server.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT id FROM people WHERE organization_id = :organization AND login = :login")
                .bind("organization", organization.id()).bind("login", login).mapTo(UUID.class).one());
    }

    private static Span span(String application, String from, String to) {
        return Span.of(Instant.parse(from), Instant.parse(to), Activity.active(application, "/usr/bin/app",
                Optional.of("a title")));
    }

    private static void upload(EnrolledDevice device, Span... spans) {
        Https.Response response = server.upload(device, 0, List.of(spans));
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
}
