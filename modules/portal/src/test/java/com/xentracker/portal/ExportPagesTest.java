package com.xentracker.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.audit.AuditEntry;
import com.xentracker.server.organization.Organization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Exports page against the real server: who sees what, a CSV downloaded through the portal (hostile cells
 * neutralised, read back by Commons CSV, audited with the SHA-256 of the bytes received), an API token created in the
 * portal, shown once and working for a script, revoked from the page, and an access package downloaded by an owner.
 */
class ExportPagesTest {

    @RegisterExtension
    static final PortalServer server = new PortalServer();

    private static final Pattern TOKEN = Pattern.compile("<code class=\"token\" data-api-token-id=\"([^\"]+)\">([^<]+)</code>");

    private final Portal portal = server.portal();

    private String signIn(Organization organization, Role role) {
        Account account = server.account(organization, role);
        return portal.signIn(account.email(), PortalServer.PASSWORD);
    }

    private static Span span(String application, String from, String to) {
        return Span.of(Instant.parse(from), Instant.parse(to), Activity.active(application, "/usr/bin/app",
                Optional.empty()));
    }

    @Test
    void theExportsPageIsForOwnersAdministratorsAndAuditorsAndThePackageFormForOwnersAndAdministrators() {
        Organization organization = server.newOrganization();

        HttpResponse<String> owner = portal.get("/exports", signIn(organization, Role.OWNER));
        HttpResponse<String> auditor = portal.get("/exports", signIn(organization, Role.AUDITOR));
        HttpResponse<String> viewer = portal.get("/exports", signIn(organization, Role.VIEWER));

        assertThat(owner.statusCode()).isEqualTo(200);
        assertThat(owner.body()).contains("action=\"/exports/download\"", "action=\"/exports/access-package\"",
                "<option value=\"audit\">", "Authorization: Bearer $XT_TOKEN", "href=\"/exports\"");
        assertThat(auditor.statusCode()).isEqualTo(200);
        assertThat(auditor.body()).contains("action=\"/exports/download\"", "<option value=\"audit\">")
                .doesNotContain("action=\"/exports/access-package\"");
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(portal.get("/dashboard", signIn(organization, Role.VIEWER)).body())
                .doesNotContain("href=\"/exports\"");
    }

    @Test
    void aCsvDownloadedInThePortalIsNeutralisedAndAuditedWithTheSha256OfTheBytesReceived() throws Exception {
        Organization organization = server.newOrganization();
        server.deviceWith(organization, "laptop-1", "erin", List.of(
                span("=1+2", "2026-11-28T09:00:00Z", "2026-11-28T09:30:00Z"),
                span("editor", "2026-11-28T09:30:00Z", "2026-11-28T10:00:00Z")));
        String auditor = signIn(organization, Role.AUDITOR);

        HttpResponse<byte[]> download = portal.download("/exports/download?dataset=spans&from=2026-11-28&to=2026-11-28"
                + "&person=&group=&device=&application=&domain=&category=", Map.of(), auditor);

        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type")).contains("text/csv; charset=utf-8");
        assertThat(download.headers().firstValue("Content-Disposition"))
                .contains("attachment; filename=\"spans.csv\"");
        List<CSVRecord> records = CSVFormat.RFC4180.parse(new StringReader(new String(download.body(),
                StandardCharsets.UTF_8))).getRecords();
        assertThat(records).hasSize(3);
        assertThat(records.get(1).get(4)).isEqualTo("'=1+2");
        assertThat(records.get(1).get(11)).isEqualTo("2026-11-28T10:00:00.000+01:00");
        assertThat(records.get(2).get(4)).isEqualTo("editor");
        AuditEntry entry = server.audit(organization, "export-data").get(0);
        assertThat(entry.subject().text()).contains("from 2026-11-28, to 2026-11-28", "2 rows",
                download.body().length + " bytes, sha256 " + sha256(download.body()));
    }

    @Test
    void aTokenCreatedInThePortalIsShownOnceWorksForAScriptAndIsRevokedFromThePage() {
        Organization organization = server.newOrganization();
        String admin = signIn(organization, Role.ADMIN);
        String csrf = Portal.csrfIn(portal.get("/exports", admin).body());

        HttpResponse<String> created = portal.post("/exports/tokens/create", Map.of("csrf", csrf, "name",
                "Monthly report", "days", "30"), admin);

        assertThat(created.statusCode()).isEqualTo(200);
        Matcher shown = TOKEN.matcher(created.body());
        assertThat(shown.find()).isTrue();
        String id = shown.group(1);
        String token = shown.group(2);
        assertThat(token).startsWith("xtk_");
        HttpResponse<String> page = portal.get("/exports", admin);
        assertThat(page.body()).contains("Monthly report", "data-api-token=\"" + id + "\"", "never")
                .doesNotContain(token);

        HttpResponse<byte[]> script = portal.download("/api/v1/exports/people.csv", Map.of("Authorization",
                "Bearer " + token));
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(new String(script.body(), StandardCharsets.UTF_8)).startsWith("person_id,person,login");
        assertThat(portal.get("/exports", admin).body()).doesNotContain(">never<");

        HttpResponse<String> revoked = portal.post("/exports/tokens/revoke", Map.of("csrf", csrf, "tokenId", id),
                admin);
        assertThat(revoked.statusCode()).isEqualTo(303);
        assertThat(portal.download("/api/v1/exports/people.csv", Map.of("Authorization", "Bearer " + token))
                .statusCode()).isEqualTo(401);
        assertThat(portal.get("/exports", admin).body()).contains("Revoked");
    }

    @Test
    void anOwnerDownloadsAPersonsAccessPackage() throws IOException {
        Organization organization = server.newOrganization();
        server.deviceWith(organization, "laptop-2", "frank", List.of(
                span("editor", "2026-11-28T09:00:00Z", "2026-11-28T09:30:00Z")));
        UUID frank = server.services().people().directory(server.operator(organization)).people().get(0).id();
        String owner = signIn(organization, Role.OWNER);

        HttpResponse<byte[]> download = portal.download("/exports/access-package?person=" + frank, Map.of(), owner);

        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type")).contains("application/zip");
        Map<String, String> files = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(download.body()))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                files.put(entry.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(files.keySet()).contains("README.txt", "spans.csv", "accesses.csv", "manifest.csv");
        assertThat(files.get("spans.csv")).contains(frank.toString(), "editor");
        assertThat(server.audit(organization, "export-access-package")).singleElement().satisfies(entry ->
                assertThat(entry.subject().person()).contains(frank));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
