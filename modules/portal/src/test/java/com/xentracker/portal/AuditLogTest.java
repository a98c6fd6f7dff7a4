package com.xentracker.portal;

import static com.xentracker.portal.PortalServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.audit.AuditEntry;
import com.xentracker.server.audit.Outcome;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.people.Person;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The audit log viewer and the chain verification page against the real server: who may see them (the server
 * decides), filters, pages, that reading the log is itself logged, and a chain changed in PostgreSQL.
 */
class AuditLogTest {

    @RegisterExtension
    static final PortalServer server = new PortalServer();

    private static final Pattern ROW = Pattern.compile("<tr data-seq=\"(\\d+)\">");
    private static final Pattern OLDER = Pattern.compile("<a href=\"([^\"]+)\" rel=\"next\">Older entries</a>");

    private final Portal portal = server.portal();

    /** The sequence numbers of the entries a page lists, in its order. */
    private static List<Long> sequences(String html) {
        List<Long> sequences = new ArrayList<>();
        Matcher matcher = ROW.matcher(html);
        while (matcher.find()) {
            sequences.add(Long.parseLong(matcher.group(1)));
        }
        return sequences;
    }

    /** The cells of one column of the log's table, in order. */
    private static List<String> column(String html, String cssClass) {
        List<String> cells = new ArrayList<>();
        Matcher matcher = Pattern.compile("<td class=\"" + cssClass + "\">([^<]*)</td>").matcher(html);
        while (matcher.find()) {
            cells.add(matcher.group(1));
        }
        return cells;
    }

    /** Each row's actor and action, "who action". */
    private static List<String> whoDidWhat(String html) {
        List<String> actors = column(html, "actor");
        List<String> actions = column(html, "action");
        assertThat(actors).hasSameSizeAs(actions);
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < actors.size(); i++) {
            pairs.add(actors.get(i) + " " + actions.get(i));
        }
        return pairs;
    }

    private String signIn(Account account) {
        return portal.signIn(account.email(), PASSWORD);
    }

    @Test
    void anAuditorAndAnOwnerSeeWhoDidWhatToWhomNewestFirst() {
        Organization organization = server.newOrganization();
        Account owner = server.account(organization, Role.OWNER);
        Account auditor = server.account(organization, Role.AUDITOR);
        Person ada = server.services().people().create(server.operator(organization), "Ada Lovelace");
        String ownerSession = signIn(owner);
        assertThat(portal.get("/people", ownerSession).statusCode()).isEqualTo(200);

        for (String session : List.of(signIn(auditor), ownerSession)) {
            HttpResponse<String> response = portal.get("/audit", session);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
            String html = response.body();
            assertThat(whoDidWhat(html)).contains(owner.email() + " view-people",
                    "operator (command line) create-person", owner.email() + " sign-in");
            assertThat(html).contains("<a href=\"/audit\" aria-current=\"page\">Audit log</a>")
                    .contains("<td class=\"person id\">" + ada.id() + "</td>")
                    .contains("<span class=\"state success\">Done</span>")
                    .contains("<a class=\"action-link\" href=\"/audit/verify\">Verify the log</a>")
                    .doesNotContain("Ada Lovelace")
                    .doesNotContain("<script", "<style", "style=\"");
            List<Long> sequences = sequences(html);
            assertThat(sequences).isNotEmpty().isSortedAccordingTo((a, b) -> Long.compare(b, a));
        }
    }

    @Test
    void anAdministratorAndAViewerAreRefusedAndNotOfferedTheLog() {
        Organization organization = server.newOrganization();
        for (Role role : List.of(Role.ADMIN, Role.VIEWER)) {
            Account account = server.account(organization, role);
            String session = signIn(account);

            HttpResponse<String> log = portal.get("/audit", session);
            HttpResponse<String> verify = portal.get("/audit/verify", session);

            assertThat(log.statusCode()).as("%s", role).isEqualTo(403);
            assertThat(verify.statusCode()).as("%s", role).isEqualTo(403);
            assertThat(portal.get("/overview", session).body()).as("%s", role).doesNotContain("href=\"/audit\"");
            assertThat(server.audit(organization, "view-audit-log"))
                    .filteredOn(entry -> entry.actorAccount().equals(Optional.of(account.id())))
                    .singleElement().extracting(AuditEntry::outcome).isEqualTo(Outcome.DENIED);
        }
        HttpResponse<String> anonymous = portal.get("/audit");
        assertThat(anonymous.statusCode()).isEqualTo(303);
        assertThat(anonymous.headers().firstValue("Location")).hasValue("/login");
    }

    @Test
    void filtersSelectByAccountActionPersonAndPeriod() {
        Organization organization = server.newOrganization();
        Account owner = server.account(organization, Role.OWNER);
        Account auditor = server.account(organization, Role.AUDITOR);
        var operator = server.operator(organization);
        Person ada = server.services().people().create(operator, "Ada");
        LocalDate firstDay = LocalDate.ofInstant(server.clock().instant(), ZoneOffset.UTC);
        server.clock().advance(Duration.ofDays(2));
        Person grace = server.services().people().create(operator, "Grace");
        String ownerSession = signIn(owner);
        portal.get("/people", ownerSession);
        String session = signIn(auditor);

        String byOwner = portal.get("/audit?actor=" + owner.id(), session).body();
        String byAction = portal.get("/audit?action=create-person", session).body();
        String byPerson = portal.get("/audit?person=" + grace.id(), session).body();
        String firstDayOnly = portal.get("/audit?from=" + firstDay + "&to=" + firstDay, session).body();

        assertThat(column(byOwner, "actor")).isNotEmpty().containsOnly(owner.email());
        assertThat(byOwner).contains("<option value=\"" + owner.id() + "\" selected>" + owner.email() + "</option>");
        assertThat(column(byAction, "action")).containsExactly("create-person", "create-person");
        assertThat(byAction).contains("<option value=\"create-person\" selected>create-person</option>");
        assertThat(column(byPerson, "person id")).containsExactly(grace.id().toString());
        assertThat(column(firstDayOnly, "person id")).contains(ada.id().toString())
                .doesNotContain(grace.id().toString());
        assertThat(firstDayOnly).contains("value=\"" + firstDay + "\"").doesNotContain(owner.email() + "</td>");

        for (String bad : List.of("?actor=someone", "?action=delete-everything", "?person=12", "?from=29.11.2026",
                "?from=" + firstDay.plusDays(1) + "&to=" + firstDay, "?before=-3")) {
            HttpResponse<String> refused = portal.get("/audit" + bad, session);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.body()).as(bad).contains("<h1>400 ");
        }
    }

    @Test
    void olderEntriesArePagedWithTheFiltersKept() {
        Organization organization = server.newOrganization();
        Account auditor = server.account(organization, Role.AUDITOR);
        var operator = server.operator(organization);
        for (int i = 0; i < 120; i++) {
            server.services().people().create(operator, "Person " + i);
        }
        String session = signIn(auditor);

        List<Long> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String href = "/audit?action=create-person";
        String html = "";
        while (href != null) {
            html = portal.get(href.replace("&amp;", "&"), session).body();
            List<Long> sequences = sequences(html);
            pageSizes.add(sequences.size());
            seen.addAll(sequences);
            assertThat(column(html, "action")).containsOnly("create-person");
            Matcher older = OLDER.matcher(html);
            href = older.find() ? older.group(1) : null;
            if (href != null) {
                assertThat(href).startsWith("/audit?action=create-person&amp;before=");
            }
        }

        assertThat(pageSizes).containsExactly(50, 50, 20);
        assertThat(seen).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(html).contains("<a href=\"/audit?action=create-person\" rel=\"first\">Newest entries</a>");
    }

    @Test
    void readingTheLogIsItselfLoggedWithItsFilters() {
        Organization organization = server.newOrganization();
        Account auditor = server.account(organization, Role.AUDITOR);
        String session = signIn(auditor);

        assertThat(portal.get("/audit?action=sign-in", session).statusCode()).isEqualTo(200);

        assertThat(server.audit(organization, "view-audit-log")).singleElement().satisfies(entry -> {
            assertThat(entry.actorAccount()).contains(auditor.id());
            assertThat(entry.outcome()).isEqualTo(Outcome.SUCCESS);
            assertThat(entry.subject().text()).contains("action sign-in");
        });
        // the page names accounts by e-mail: reading the account list is recorded too
        assertThat(server.audit(organization, "view-accounts")).extracting(AuditEntry::actorAccount)
                .containsExactly(Optional.of(auditor.id()));
    }

    @Test
    void theVerificationPageSaysIntactAndShowsWhereAChangedChainBreaks() throws Exception {
        Organization organization = server.newOrganization();
        Account owner = server.account(organization, Role.OWNER);
        var operator = server.operator(organization);
        for (int i = 0; i < 4; i++) {
            server.services().people().create(operator, "Person " + i);
        }
        String session = signIn(owner);

        HttpResponse<String> intact = portal.get("/audit/verify", session);
        assertThat(intact.statusCode()).isEqualTo(200);
        assertThat(intact.body()).contains("<p class=\"verdict intact\" role=\"status\">Intact")
                .doesNotContain("<table class=\"breaks\">")
                .doesNotContain("<script", "<style", "style=\"");

        try (Connection database = Database.of(server.dataDirectory());
                PreparedStatement edit = database.prepareStatement(
                        "UPDATE audit_log SET action = 'view-usage' WHERE organization_id = ? AND seq = 3")) {
            edit.setObject(1, organization.id());
            assertThat(edit.executeUpdate()).isOne();
        }
        HttpResponse<String> broken = portal.get("/audit/verify", session);

        assertThat(broken.statusCode()).isEqualTo(200);
        assertThat(broken.body()).contains("<p class=\"verdict broken\" role=\"status\">Not intact: 1 place(s)")
                .contains("<tr data-kind=\"EDITED\" data-seq=\"3\">")
                .contains("<td class=\"kind\">Edited</td>");
        assertThat(server.audit(organization, "verify-audit-trail")).extracting(entry -> entry.subject().text())
                .anySatisfy(text -> assertThat(text).contains("1 break(s), the first EDITED at 3"));
    }

    /**
     * The server's embedded PostgreSQL, reached as someone with the host's files would: its port from
     * {@code postmaster.pid}, the superuser's password derived from the master key file as the server derives it.
     */
    private static final class Database {

        static Connection of(Path dataDirectory) throws IOException, GeneralSecurityException, SQLException {
            int port = Integer.parseInt(Files.readAllLines(dataDirectory.resolve("postgres/postmaster.pid")).get(3)
                    .strip());
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Files.readAllBytes(dataDirectory.resolve("master.key")), "HmacSHA256"));
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal("xentracker embedded postgres superuser".getBytes(StandardCharsets.UTF_8)));
            return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/xentracker", "postgres",
                    password);
        }
    }
}
