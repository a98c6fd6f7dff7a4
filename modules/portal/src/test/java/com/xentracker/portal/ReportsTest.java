package com.xentracker.portal;

import static com.xentracker.portal.PortalServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.core.activity.WebPage;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.audit.AuditEntry;
import com.xentracker.server.organization.CategoryRule;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.people.Person;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Applications, Sites and Categories reports and who used what, against the real server: ranked tables with a
 * bar chart, filters, links to who used it for the roles that may see individuals, and an audit entry per view.
 */
class ReportsTest {

    @RegisterExtension
    static final PortalServer server = new PortalServer();

    private static final Instant NINE = Instant.parse("2026-11-29T09:00:00Z");
    private static final String ODD_NAME = "Tom & Jerry <3";

    private static Organization organization;
    private static Person ada;
    private static Person bob;

    private final Portal portal = server.portal();

    @BeforeAll
    static void anOrganization() {
        organization = server.newOrganization();
        Actor operator = server.operator(organization);
        var development = server.services().organizations().createCategory(operator, "Development");
        server.services().organizations().addCategoryRule(operator, development.id(), CategoryRule.Kind.APPLICATION,
                "editor");
        server.deviceWith(organization, "ada-laptop", "ada", List.of(active("editor", 0, 60),
                browsing("docs.example.org", 60, 80), active(ODD_NAME, 80, 85)));
        server.deviceWith(organization, "bob-laptop", "bob", List.of(active("editor", 0, 30),
                browsing("news.example.com", 30, 35)));
        List<Person> people = server.services().people().directory(operator).people();
        ada = people.stream().filter(p -> p.login().equals(Optional.of("ada"))).findFirst().orElseThrow();
        bob = people.stream().filter(p -> p.login().equals(Optional.of("bob"))).findFirst().orElseThrow();
    }

    private static Span active(String application, int fromMinute, int toMinute) {
        return Span.of(NINE.plus(Duration.ofMinutes(fromMinute)), NINE.plus(Duration.ofMinutes(toMinute)),
                Activity.active(application, "/usr/bin/app", Optional.empty()));
    }

    private static Span browsing(String domain, int fromMinute, int toMinute) {
        return Span.of(NINE.plus(Duration.ofMinutes(fromMinute)), NINE.plus(Duration.ofMinutes(toMinute)),
                Activity.active("firefox", "/usr/bin/firefox", Optional.empty()).withPage(WebPage.ofDomain(domain)));
    }

    private String signedIn(Role role) {
        return portal.signIn(server.account(organization, role).email(), PASSWORD);
    }

    @Test
    void applicationsAreRankedWithAChartAndEachRowLinksToWhoUsedIt() {
        String body = portal.get("/reports/applications", signedIn(Role.ADMIN)).body();

        assertThat(body)
                .contains("<a href=\"/reports/applications\" aria-current=\"page\">Applications</a>")
                .contains("<svg class=\"bar-chart rows\"")
                .contains("<title id=\"applications-chart-title\">Applications by active time</title>")
                .contains(">Active time (minutes)</text>", ">Application</text>")
                .contains("<th scope=\"row\" class=\"name\">editor</th>")
                .contains("<td class=\"num active\" data-seconds=\"5400\">1h 30m 00s</td>")
                .contains("<a class=\"users\" href=\"/reports/users?of=application&amp;name=editor\">People")
                .contains("<strong class=\"total\">2h 00m 00s</strong>")
                .contains("<td class=\"num\">75 %</td>");
        assertThat(body.indexOf(">editor</th>")).isLessThan(body.indexOf(">firefox</th>"));
    }

    @Test
    void sitesAndCategoriesAreRankedTooWithTheirRatings() {
        String session = signedIn(Role.AUDITOR);

        String sites = portal.get("/reports/sites", session).body();
        String categories = portal.get("/reports/categories", session).body();

        assertThat(sites).contains("<th scope=\"row\" class=\"name\">docs.example.org</th>",
                "<th scope=\"row\" class=\"name\">news.example.com</th>", ">Site</text>")
                .contains("href=\"/reports/users?of=site&amp;name=docs.example.org\"")
                .doesNotContain("class=\"name\">editor</th>");
        assertThat(categories).contains("<th scope=\"row\" class=\"name\">Development</th>",
                "<td><span class=\"swatch neutral\"></span>Neutral</td>",
                "<th scope=\"row\" class=\"name\">Uncategorised</th>",
                "href=\"/reports/users?of=category&amp;name=\"");
    }

    @Test
    void whoUsedItListsThePeopleLinkingToTheirOwnApplicationsAndIsAuditedAsIndividualUsage() {
        String session = signedIn(Role.OWNER);
        String name = URLEncoder.encode(ODD_NAME, StandardCharsets.UTF_8);

        String editor = portal.get("/reports/users?of=application&name=editor&period=last-7-days", session).body();
        String odd = portal.get("/reports/users?of=application&name=" + name, session).body();
        String adas = portal.get("/reports/applications?person=" + ada.id(), session).body();

        assertThat(editor).contains("<h1>Who used editor</h1>")
                .contains("<a href=\"/reports/applications?period=last-7-days&amp;person=" + ada.id() + "\">"
                        + ada.displayName() + "</a>")
                .contains("<td class=\"num active\" data-seconds=\"3600\">1h 00m 00s</td>")
                .contains("<td class=\"num active\" data-seconds=\"1800\">0h 30m 00s</td>")
                .contains("<input type=\"hidden\" name=\"of\" value=\"application\">")
                .contains("<input type=\"hidden\" name=\"name\" value=\"editor\">");
        assertThat(editor.indexOf(">" + ada.displayName() + "</a>")).isLessThan(editor.indexOf(">" + bob.displayName() + "</a>"));
        assertThat(odd).contains("<h1>Who used Tom &amp; Jerry &lt;3</h1>").doesNotContain("<3");
        assertThat(adas).contains("Applications: " + ada.displayName())
                .contains("<th scope=\"row\" class=\"name\">" + "Tom &amp; Jerry &lt;3" + "</th>")
                .doesNotContain("Who used it", "news.example.com");
        assertThat(server.audit(organization, "view-individual-usage"))
                .filteredOn(entry -> entry.subject().person().isPresent())
                .extracting(AuditEntry::subject).extracting(subject -> subject.person().orElseThrow())
                .contains(ada.id());
        assertThat(server.audit(organization, "view-individual-usage")).extracting(entry -> entry.subject().text())
                .contains("users of application 2026-11-23/2026-11-29");
    }

    @Test
    void aViewerWithIndividualDetailSeesOnlyThePeopleOfItsGroup() {
        Actor operator = server.operator(organization);
        var group = server.services().groups().create(operator, "Just Bob " + System.nanoTime());
        server.services().groups().addMember(operator, group.id(), bob.id());
        var viewer = server.account(organization, Role.VIEWER);
        server.services().groups().grantViewer(operator, group.id(), viewer.id(), true);
        String session = portal.signIn(viewer.email(), PASSWORD);

        String editor = portal.get("/reports/users?of=application&name=editor", session).body();
        HttpResponse<String> adas = portal.get("/reports/applications?person=" + ada.id(), session);

        assertThat(editor).contains(">" + bob.displayName() + "</a>").doesNotContain(ada.displayName() + "</a>");
        assertThat(adas.statusCode()).isEqualTo(404);
        assertThat(adas.body()).doesNotContain("docs.example.org");
    }

    @Test
    void whoUsedItNeedsToKnowWhatItIsAbout() {
        String session = signedIn(Role.OWNER);

        assertThat(portal.get("/reports/users?name=editor", session).statusCode()).isEqualTo(400);
        assertThat(portal.get("/reports/users?of=application", session).statusCode()).isEqualTo(400);
        assertThat(portal.get("/reports/users?of=site&name=", session).statusCode()).isEqualTo(400);
    }
}
