package com.xentracker.portal;

import static com.xentracker.portal.PortalServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.people.Group;
import com.xentracker.server.people.Person;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Team views with the minimum group size (5 by default) against the real server: a group of four shows nothing and
 * says why, a group of five shows its aggregates; a viewer sees only the groups it was given, and people only with
 * individual detail.
 */
class TeamsTest {

    @RegisterExtension
    static final PortalServer server = new PortalServer();

    private static final Instant NINE = Instant.parse("2026-11-29T09:00:00Z");

    private final Portal portal = server.portal();

    /** Five people who each used the editor for ten minutes today, and Eve, who used the payroll tool. */
    private static Organization organization;
    /** Four of the five. */
    private static Group four;
    /** All five. */
    private static Group five;
    /** Eve alone. */
    private static Group solo;
    private static Person eve;

    @BeforeAll
    static void aCompany() {
        organization = server.newOrganization();
        for (int i = 1; i <= 5; i++) {
            server.deviceWith(organization, "laptop-" + i, "member" + i, List.of(active("editor", 0, 10)));
        }
        server.deviceWith(organization, "eve-laptop", "eve", List.of(active("payroll", 0, 30)));
        Actor operator = server.operator(organization);
        List<Person> people = server.services().people().directory(operator).people();
        var groups = server.services().groups();
        four = groups.create(operator, "Four");
        five = groups.create(operator, "Five");
        solo = groups.create(operator, "Solo");
        for (Person person : people) {
            String login = person.login().orElseThrow();
            if (login.equals("eve")) {
                eve = person;
                groups.addMember(operator, solo.id(), person.id());
                continue;
            }
            groups.addMember(operator, five.id(), person.id());
            if (!login.equals("member5")) {
                groups.addMember(operator, four.id(), person.id());
            }
        }
    }

    private static Span active(String application, int fromMinute, int toMinute) {
        return Span.of(NINE.plus(Duration.ofMinutes(fromMinute)), NINE.plus(Duration.ofMinutes(toMinute)),
                Activity.active(application, "/usr/bin/" + application, Optional.empty()));
    }

    private String signedIn(Role role) {
        return portal.signIn(server.account(organization, role).email(), PASSWORD);
    }

    private String viewerOf(Group group, boolean individualDetail) {
        Account viewer = server.account(organization, Role.VIEWER);
        server.services().groups().grantViewer(server.operator(organization), group.id(), viewer.id(),
                individualDetail);
        return portal.signIn(viewer.email(), PASSWORD);
    }

    @Test
    void theTeamsPageOffersTeamViewsOnlyForGroupsOfTheMinimumSize() {
        String body = portal.get("/teams", signedIn(Role.AUDITOR)).body();

        assertThat(body).contains("<strong class=\"minimum\">5</strong>")
                .contains("<th scope=\"row\" class=\"team\">Five</th>")
                .contains("<a href=\"/overview?group=" + five.id() + "\">Overview")
                .contains("<th scope=\"row\" class=\"team\">Four</th>")
                .contains("Fewer than 5 people: no team view")
                .doesNotContain("href=\"/overview?group=" + four.id(), "href=\"/overview?group=" + solo.id());
    }

    @Test
    void aGroupOfFourShowsNothingAndSaysWhyAGroupOfFiveShowsItsAggregates() {
        String session = signedIn(Role.OWNER);

        HttpResponse<String> small = portal.get("/overview?group=" + four.id(), session);
        HttpResponse<String> large = portal.get("/overview?group=" + five.id(), session);
        HttpResponse<String> smallReport = portal.get("/reports/applications?group=" + four.id(), session);

        assertThat(small.statusCode()).isEqualTo(200);
        assertThat(small.body()).contains("Team view: Four", "No figures for this group",
                        "Four has 4 people. Team views show a group's figures only when it has at least 5 people")
                .doesNotContain("<td class=\"application\">", "<svg", "editor");
        assertThat(smallReport.body()).contains("Four has 4 people.").doesNotContain("editor");
        assertThat(large.statusCode()).isEqualTo(200);
        assertThat(large.body()).contains("Team view: Five", "5 people; team views show groups of at least 5.")
                .contains("<td class=\"application\">editor</td>")
                .contains("<td class=\"num active\" data-seconds=\"3000\">0h 50m 00s</td>")
                .contains("<td class=\"num devices\">5</td>")
                .contains("<title id=\"productivity-title\">Productivity, with the group's own ratings</title>")
                .doesNotContain("payroll");
        assertThat(server.audit(organization, "view-usage")).extracting(entry -> entry.subject().text())
                .contains("overview 2026-11-29/2026-11-29; group " + five.id(),
                        "overview 2026-11-29/2026-11-29; group " + four.id());
    }

    @Test
    void aViewerSeesOnlyItsGroupsAndNoPeopleWithoutIndividualDetail() {
        String session = viewerOf(five, false);

        String teams = portal.get("/teams", session).body();
        String overview = portal.get("/overview", session).body();
        String report = portal.get("/reports/applications", session).body();
        HttpResponse<String> notGiven = portal.get("/overview?group=" + four.id(), session);
        HttpResponse<String> whoUsedIt = portal.get("/reports/users?of=application&name=editor", session);
        HttpResponse<String> aPerson = portal.get("/reports/applications?person=" + eve.id(), session);

        assertThat(teams).contains("class=\"team\">Five</th>").doesNotContain("Four", "Solo");
        assertThat(overview).contains("<td class=\"application\">editor</td>").doesNotContain("payroll")
                .doesNotContain("name=\"person\"", "Devices that stopped reporting");
        assertThat(report).contains("<th scope=\"row\" class=\"name\">editor</th>")
                .doesNotContain("Who used it", "/reports/users");
        assertThat(notGiven.statusCode()).isEqualTo(404);
        assertThat(notGiven.body()).doesNotContain("Four", "editor");
        assertThat(whoUsedIt.statusCode()).isEqualTo(403);
        assertThat(aPerson.statusCode()).isEqualTo(403);
        assertThat(aPerson.body()).doesNotContain("payroll");
    }

    @Test
    void aViewerGivenOnlyASmallGroupSeesWhyNothingIsShownUnlessItHasIndividualDetail() {
        String totalsOnly = portal.get("/overview", viewerOf(solo, false)).body();
        String withDetail = portal.get("/overview", viewerOf(solo, true)).body();

        assertThat(totalsOnly).contains("None of the groups you were given has at least 5 people.")
                .doesNotContain("payroll");
        // with individual detail the viewer may see Eve herself anyway: her usage is shown
        assertThat(withDetail).contains("<td class=\"application\">payroll</td>")
                .doesNotContain("None of the groups", "editor");
    }
}
