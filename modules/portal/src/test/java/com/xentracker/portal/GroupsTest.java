package com.xentracker.portal;

import static com.xentracker.portal.PortalServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.audit.AuditEntry;
import com.xentracker.server.audit.Outcome;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.people.Group;
import com.xentracker.server.people.GroupMember;
import com.xentracker.server.people.Person;
import com.xentracker.server.people.VisibleGroup;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The groups page and what a viewer sees anywhere in the portal, against the real server with usage uploaded by
 * enrolled devices: a viewer's dashboard adds up its groups' people only (each once), its people page shows only the
 * people of groups given with individual detail, the devices page refuses it; owners and administrators manage
 * groups through the forms, only owners give them to viewers.
 */
class GroupsTest {

    @RegisterExtension
    static final PortalServer server = new PortalServer();

    /** 09:00 UTC on the fixture's day, Sunday 29 November 2026 ("today" on the dashboard). */
    private static final Instant NINE = Instant.parse("2026-11-29T09:00:00Z");
    private static final Pattern DASHBOARD_ROW = Pattern.compile(
            "<td class=\"application\">([^<]+)</td>\\s*<td class=\"num active\" data-seconds=\"(\\d+)\">[^<]*</td>"
                    + "\\s*<td class=\"num devices\">(\\d+)</td>");

    private final Portal portal = server.portal();

    /**
     * An organization where Ada (laptop ada-laptop: editor 60 min), Bob (bob-laptop: editor 30 min, browser 10 min)
     * and Cy (cy-laptop: payroll 20 min) recorded today; Team {Ada, Bob}, Pair {Bob}, Solo {Cy}.
     */
    private record Company(Organization organization, Person ada, Person bob, Person cy, Group team, Group pair,
            Group solo) {

        Actor operator() {
            return server.operator(organization);
        }
    }

    private static Span active(String application, int fromMinute, int toMinute) {
        return Span.of(NINE.plus(Duration.ofMinutes(fromMinute)), NINE.plus(Duration.ofMinutes(toMinute)),
                Activity.active(application, "/usr/bin/" + application, Optional.empty()));
    }

    private static Company company() {
        Organization organization = server.newOrganization();
        server.deviceWith(organization, "ada-laptop", "ada", List.of(active("editor", 0, 60)));
        server.deviceWith(organization, "bob-laptop", "bob", List.of(active("editor", 0, 30),
                active("browser", 30, 40)));
        server.deviceWith(organization, "cy-laptop", "cy", List.of(active("payroll", 0, 20)));
        Actor operator = server.operator(organization);
        List<Person> people = server.services().people().directory(operator).people();
        Person ada = person(people, "ada");
        Person bob = person(people, "bob");
        Person cy = person(people, "cy");
        var groups = server.services().groups();
        Group team = groups.create(operator, "Team");
        Group pair = groups.create(operator, "Pair");
        Group solo = groups.create(operator, "Solo");
        groups.addMember(operator, team.id(), ada.id());
        groups.addMember(operator, team.id(), bob.id());
        groups.addMember(operator, pair.id(), bob.id());
        groups.addMember(operator, solo.id(), cy.id());
        return new Company(organization, ada, bob, cy, team, pair, solo);
    }

    private static Person person(List<Person> people, String login) {
        return people.stream().filter(person -> person.login().equals(Optional.of(login))).findFirst().orElseThrow();
    }

    private Account viewerGiven(Company company, Map<Group, Boolean> grants) {
        Account viewer = server.account(company.organization(), Role.VIEWER);
        grants.forEach((group, detail) -> server.services().groups().grantViewer(company.operator(), group.id(),
                viewer.id(), detail));
        return viewer;
    }

    private String signIn(Account account) {
        return portal.signIn(account.email(), PASSWORD);
    }

    private String signIn(Organization organization, Role role) {
        return signIn(server.account(organization, role));
    }

    /** The dashboard's rows as "application seconds devices". */
    private List<String> dashboard(String session) {
        HttpResponse<String> response = portal.get("/overview", session);
        assertThat(response.statusCode()).isEqualTo(200);
        Matcher rows = DASHBOARD_ROW.matcher(response.body());
        List<String> found = new java.util.ArrayList<>();
        while (rows.find()) {
            found.add(rows.group(1) + " " + rows.group(2) + " " + rows.group(3));
        }
        return found;
    }

    private Optional<VisibleGroup> group(Company company, UUID id) {
        return server.services().groups().list(company.operator()).stream()
                .filter(group -> group.group().id().equals(id)).findFirst();
    }

    // --- what a viewer sees

    @Test
    void aViewerSeesExactlyItsGroupsUsageOnTheDashboardEachPersonOnce() {
        Company company = company();
        // with individual detail: these groups are smaller than the minimum group size, below which totals alone
        // are withheld (TeamsTest)
        Account viewer = viewerGiven(company, Map.of(company.team(), true, company.pair(), true));

        List<String> seen = dashboard(signIn(viewer));

        // Bob is in both groups and counted once; Cy is in neither: no payroll at all
        assertThat(seen).containsExactly("editor 5400 2", "browser 600 1");
        assertThat(dashboard(signIn(company.organization(), Role.AUDITOR)))
                .containsExactly("editor 5400 2", "payroll 1200 1", "browser 600 1");
    }

    @Test
    void aViewerWithoutGrantsSeesAnEmptyDashboardAndNoGroups() {
        Company company = company();
        String session = signIn(viewerGiven(company, Map.of()));

        HttpResponse<String> dashboard = portal.get("/overview", session);
        HttpResponse<String> groups = portal.get("/groups", session);

        assertThat(dashboard.body()).contains("No usage recorded in this period.")
                .doesNotContain("editor", "payroll", "browser");
        assertThat(groups.statusCode()).isEqualTo(200);
        assertThat(groups.body()).contains("No groups to show").doesNotContain("data-group=", ">Team<", ">Pair<",
                ">Solo<");
    }

    @Test
    void aViewerWithoutIndividualDetailIsRefusedThePeoplePageAndOffered() {
        Company company = company();
        String session = signIn(viewerGiven(company, Map.of(company.team(), false)));

        HttpResponse<String> people = portal.get("/people", session);
        String dashboard = portal.get("/overview", session).body();

        assertThat(people.statusCode()).isEqualTo(403);
        assertThat(people.body()).doesNotContain("ada-laptop", "bob-laptop", "cy-laptop");
        assertThat(dashboard).doesNotContain("href=\"/people\"", "href=\"/devices\"").contains("href=\"/groups\"");
        assertThat(server.audit(company.organization(), "view-people")).filteredOn(e -> e.actorAccount().isPresent())
                .singleElement().extracting(AuditEntry::outcome).isEqualTo(Outcome.DENIED);
    }

    @Test
    void aViewerWithIndividualDetailSeesOnlyThosePeopleAndTheirDeviceAccounts() {
        Company company = company();
        // the team with detail; Solo (Cy) as totals only: Cy stays hidden, and so does Cy's usage, a group of one
        // being below the minimum group size
        String session = signIn(viewerGiven(company, Map.of(company.team(), true, company.solo(), false)));

        HttpResponse<String> people = portal.get("/people", session);

        assertThat(people.statusCode()).isEqualTo(200);
        assertThat(people.body())
                .contains("<tr data-person=\"" + company.ada().id() + "\">")
                .contains("<tr data-person=\"" + company.bob().id() + "\">")
                .contains("ada-laptop · ada", "bob-laptop · bob")
                .doesNotContain(company.cy().id().toString(), "cy-laptop", ">cy<")
                .doesNotContain("action=\"/people/assign\"");
        assertThat(dashboard(session)).containsExactly("editor 5400 2", "browser 600 1");
    }

    @Test
    void aViewerIsRefusedTheDevicesPage() {
        Company company = company();
        String session = signIn(viewerGiven(company, Map.of(company.team(), true)));

        HttpResponse<String> devices = portal.get("/devices", session);

        assertThat(devices.statusCode()).isEqualTo(403);
        assertThat(devices.body()).doesNotContain("ada-laptop", "bob-laptop", "cy-laptop");
    }

    @Test
    void aViewerSeesOnlyItsGroupsAndTheirSizesMembersOnlyWithDetailAndNoForms() {
        Company company = company();
        String session = signIn(viewerGiven(company, Map.of(company.team(), false, company.solo(), true)));

        HttpResponse<String> page = portal.get("/groups", session);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
                .contains("<h2 id=\"group-" + company.team().id() + "-name\">Team</h2>")
                .contains("<span class=\"size\" data-size=\"2\">2 people</span>")
                .contains("<h2 id=\"group-" + company.solo().id() + "-name\">Solo</h2>")
                .contains("<span class=\"size\" data-size=\"1\">1 person</span>")
                .contains("<li data-person=\"" + company.cy().id() + "\">")
                .contains("You see this group's usage added up, not who is in it.")
                .doesNotContain("Pair", company.ada().id().toString(), company.bob().id().toString())
                .doesNotContain("<form method=\"post\" action=\"/groups/")
                .doesNotContain("Viewer accounts given this group")
                .contains("<a href=\"/groups\" aria-current=\"page\">Groups</a>")
                .doesNotContain("<script", "<style", "style=\"");
    }

    // --- managing groups

    @Test
    void anAdministratorCreatesRenamesFillsAndDeletesAGroupThroughTheForms() {
        Company company = company();
        String session = signIn(company.organization(), Role.ADMIN);
        String page = portal.get("/groups", session).body();
        String csrf = Portal.csrfIn(page);
        assertThat(page).contains("<label for=\"new-group-name\">New group</label>")
                .contains("<label for=\"add-" + company.team().id() + "\">Add a person</label>")
                .contains("<option value=\"" + company.cy().id() + "\">cy</option>")
                .doesNotContain("Give a viewer account this group", "Viewer accounts given this group");

        HttpResponse<String> created = portal.post("/groups/create", Map.of("csrf", csrf, "name", " Night shift "),
                session);
        UUID night = server.services().groups().list(company.operator()).stream()
                .filter(group -> group.group().name().equals("Night shift")).findFirst().orElseThrow().group().id();
        HttpResponse<String> added = portal.post("/groups/members/add", Map.of("csrf", csrf,
                "groupId", night.toString(), "personId", company.cy().id().toString()), session);
        portal.post("/groups/members/add", Map.of("csrf", csrf, "groupId", night.toString(),
                "personId", company.ada().id().toString()), session);
        HttpResponse<String> removed = portal.post("/groups/members/remove", Map.of("csrf", csrf,
                "groupId", night.toString(), "personId", company.ada().id().toString()), session);
        HttpResponse<String> renamed = portal.post("/groups/rename", Map.of("csrf", csrf,
                "groupId", night.toString(), "name", "Late shift"), session);

        assertThat(created.statusCode()).isEqualTo(303);
        assertThat(created.headers().firstValue("Location")).hasValue("/groups#group-" + night);
        assertThat(List.of(added, removed, renamed)).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(303);
            assertThat(response.headers().firstValue("Location")).hasValue("/groups#group-" + night);
        });
        VisibleGroup late = group(company, night).orElseThrow();
        assertThat(late.group().name()).isEqualTo("Late shift");
        assertThat(late.members().orElseThrow()).extracting(GroupMember::personId)
                .containsExactly(company.cy().id());

        HttpResponse<String> confirmation = portal.get("/groups/delete?group=" + night, session);
        assertThat(confirmation.statusCode()).isEqualTo(200);
        assertThat(confirmation.body()).contains("<h1>Delete Late shift?</h1>")
                .contains("<form method=\"post\" action=\"/groups/delete\"")
                .contains("Its member stays in the organization");
        HttpResponse<String> deleted = portal.post("/groups/delete", Map.of("csrf", Portal.csrfIn(
                confirmation.body()), "groupId", night.toString()), session);

        assertThat(deleted.statusCode()).isEqualTo(303);
        assertThat(deleted.headers().firstValue("Location")).hasValue("/groups");
        assertThat(group(company, night)).isEmpty();
        assertThat(server.audit(company.organization(), "create-group")).filteredOn(e -> e.actorAccount().isPresent())
                .singleElement().satisfies(entry -> {
                    assertThat(entry.outcome()).isEqualTo(Outcome.SUCCESS);
                    assertThat(entry.subject().text()).isEqualTo("group " + night);
                });
    }

    @Test
    void anAdministratorCannotGiveAGroupToAViewer() {
        Company company = company();
        Account viewer = server.account(company.organization(), Role.VIEWER);
        String session = signIn(company.organization(), Role.ADMIN);
        String csrf = Portal.csrfIn(portal.get("/groups", session).body());

        HttpResponse<String> grant = portal.post("/groups/grants/add", Map.of("csrf", csrf,
                "groupId", company.team().id().toString(), "accountId", viewer.id().toString(),
                "individualDetail", "yes"), session);

        assertThat(grant.statusCode()).isEqualTo(403);
        assertThat(group(company, company.team().id()).orElseThrow().grants().orElseThrow()).isEmpty();
        assertThat(server.audit(company.organization(), "grant-viewer-group")).singleElement()
                .extracting(AuditEntry::outcome).isEqualTo(Outcome.DENIED);
    }

    @Test
    void anOwnerGivesAViewerAGroupChangesItsDetailAndTakesItBack() {
        Company company = company();
        Account viewer = server.account(company.organization(), Role.VIEWER);
        Account admin = server.account(company.organization(), Role.ADMIN);
        String owner = signIn(company.organization(), Role.OWNER);
        String page = portal.get("/groups", owner).body();
        String csrf = Portal.csrfIn(page);
        String viewerSession = signIn(viewer);
        assertThat(page).contains("<label for=\"grant-" + company.team().id() + "\">Give a viewer account this group")
                .contains("<option value=\"" + viewer.id() + "\">" + viewer.email() + "</option>")
                .doesNotContain("<option value=\"" + admin.id() + "\">")
                .contains("<input type=\"checkbox\" id=\"grant-detail-" + company.team().id()
                        + "\" name=\"individualDetail\" value=\"yes\">")
                .contains("With 2 people, this group's totals are close to one person's usage.");

        HttpResponse<String> totals = portal.post("/groups/grants/add", Map.of("csrf", csrf,
                "groupId", company.team().id().toString(), "accountId", viewer.id().toString()), owner);
        assertThat(totals.statusCode()).isEqualTo(303);
        // totals only, of two people: below the minimum group size, so withheld, and the overview says why
        assertThat(dashboard(viewerSession)).isEmpty();
        assertThat(portal.get("/overview", viewerSession).body())
                .contains("None of the groups you were given has at least 5 people.");
        assertThat(portal.get("/people", viewerSession).statusCode()).isEqualTo(403);
        assertThat(portal.get("/groups", owner).body()).contains("<td class=\"sees\">Totals only</td>");

        HttpResponse<String> detail = portal.post("/groups/grants/add", Map.of("csrf", csrf,
                "groupId", company.team().id().toString(), "accountId", viewer.id().toString(),
                "individualDetail", "yes"), owner);
        assertThat(detail.statusCode()).isEqualTo(303);
        assertThat(portal.get("/people", viewerSession).body()).contains("ada-laptop", "bob-laptop")
                .doesNotContain("cy-laptop");

        HttpResponse<String> back = portal.post("/groups/grants/revoke", Map.of("csrf", csrf,
                "groupId", company.team().id().toString(), "accountId", viewer.id().toString()), owner);
        assertThat(back.statusCode()).isEqualTo(303);
        assertThat(dashboard(viewerSession)).isEmpty();
        assertThat(portal.get("/people", viewerSession).statusCode()).isEqualTo(403);

        HttpResponse<String> notAViewer = portal.post("/groups/grants/add", Map.of("csrf", csrf,
                "groupId", company.team().id().toString(), "accountId", admin.id().toString()), owner);
        assertThat(notAViewer.statusCode()).isEqualTo(409);
        assertThat(server.audit(company.organization(), "grant-viewer-group")).extracting(AuditEntry::outcome)
                .containsExactly(Outcome.FAILED, Outcome.SUCCESS, Outcome.SUCCESS);
    }

    @Test
    void anotherOrganizationsGroupPersonAndAccountIdsAreRefused() {
        Company mine = company();
        Company theirs = company();
        Account theirViewer = server.account(theirs.organization(), Role.VIEWER);
        String owner = signIn(mine.organization(), Role.OWNER);
        String csrf = Portal.csrfIn(portal.get("/groups", owner).body());
        String theirGroup = theirs.team().id().toString();
        String myGroup = mine.team().id().toString();

        List<Map.Entry<String, Map<String, String>>> attempts = List.of(
                Map.entry("/groups/rename", Map.of("groupId", theirGroup, "name", "Taken over")),
                Map.entry("/groups/delete", Map.of("groupId", theirGroup)),
                Map.entry("/groups/members/add", Map.of("groupId", theirGroup, "personId",
                        mine.cy().id().toString())),
                Map.entry("/groups/members/add", Map.of("groupId", myGroup, "personId",
                        theirs.cy().id().toString())),
                Map.entry("/groups/members/remove", Map.of("groupId", theirGroup, "personId",
                        theirs.ada().id().toString())),
                Map.entry("/groups/grants/add", Map.of("groupId", myGroup, "accountId",
                        theirViewer.id().toString())),
                Map.entry("/groups/grants/revoke", Map.of("groupId", myGroup, "accountId",
                        theirViewer.id().toString())));
        for (var attempt : attempts) {
            Map<String, String> form = new HashMap<>(attempt.getValue());
            form.put("csrf", csrf);
            HttpResponse<String> response = portal.post(attempt.getKey(), form, owner);
            assertThat(response.statusCode()).as("%s %s", attempt.getKey(), form).isEqualTo(404);
        }
        HttpResponse<String> confirmation = portal.get("/groups/delete?group=" + theirGroup, owner);

        assertThat(confirmation.statusCode()).isEqualTo(404);
        // the group is named "Team"; the navigation's own "Teams" section aside, nothing may say it
        assertThat(confirmation.body().replace(">Teams</a>", "")).doesNotContain("Team");
        assertThat(group(theirs, theirs.team().id()).orElseThrow()).satisfies(team -> {
            assertThat(team.group().name()).isEqualTo("Team");
            assertThat(team.members().orElseThrow()).extracting(GroupMember::personId)
                    .containsExactly(theirs.ada().id(), theirs.bob().id());
        });
        assertThat(group(mine, mine.team().id()).orElseThrow().members().orElseThrow())
                .extracting(GroupMember::personId).containsExactly(mine.ada().id(), mine.bob().id());
    }

    @Test
    void formsWithoutTheSessionsCsrfTokenChangeNothing() {
        Company company = company();
        String session = signIn(company.organization(), Role.OWNER);
        Map<String, Map<String, String>> forms = Map.of(
                "/groups/create", Map.of("name", "Forged"),
                "/groups/rename", Map.of("groupId", company.team().id().toString(), "name", "Forged"),
                "/groups/delete", Map.of("groupId", company.team().id().toString()),
                "/groups/members/add", Map.of("groupId", company.team().id().toString(),
                        "personId", company.cy().id().toString()));

        forms.forEach((path, fields) -> {
            Map<String, String> wrong = new HashMap<>(fields);
            wrong.put("csrf", "not-the-token");
            assertThat(portal.post(path, fields, session).statusCode()).as(path).isEqualTo(403);
            assertThat(portal.post(path, wrong, session).statusCode()).as(path).isEqualTo(403);
            assertThat(portal.post(path, fields).statusCode()).as(path).isEqualTo(303); // no session: sign in
        });

        assertThat(server.services().groups().list(company.operator())).extracting(group -> group.group().name())
                .containsExactly("Pair", "Solo", "Team");
        assertThat(group(company, company.team().id()).orElseThrow().size()).isEqualTo(2);
    }

    @Test
    void badInputIsRefusedWithTheServersAnswer() {
        Company company = company();
        String session = signIn(company.organization(), Role.ADMIN);
        String csrf = Portal.csrfIn(portal.get("/groups", session).body());

        assertThat(portal.post("/groups/create", Map.of("csrf", csrf, "name", "  "), session).statusCode())
                .isEqualTo(400);
        assertThat(portal.post("/groups/create", Map.of("csrf", csrf, "name", "x".repeat(101)), session)
                .statusCode()).isEqualTo(400);
        HttpResponse<String> taken = portal.post("/groups/create", Map.of("csrf", csrf, "name", "TEAM"), session);
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(taken.body()).contains("group of that name already");
        assertThat(portal.post("/groups/members/add", Map.of("csrf", csrf, "groupId", "not-a-uuid",
                "personId", company.cy().id().toString()), session).statusCode()).isEqualTo(400);
        assertThat(portal.get("/groups/delete?group=nope", session).statusCode()).isEqualTo(400);
        assertThat(server.services().groups().list(company.operator())).hasSize(3);
    }

    @Test
    void groupAndPeopleNamesAreEscaped() {
        Company company = company();
        var groups = server.services().groups();
        Group evil = groups.create(company.operator(), "<script>alert('g')</script>");
        Person person = server.services().people().create(company.operator(), "<img src=x onerror=alert(1)>");
        groups.addMember(company.operator(), evil.id(), person.id());

        String page = portal.get("/groups", signIn(company.organization(), Role.OWNER)).body();
        String confirmation = portal.get("/groups/delete?group=" + evil.id(),
                signIn(company.organization(), Role.ADMIN)).body();

        assertThat(page).doesNotContain("<script>alert", "<img src=x")
                .contains(">&lt;script&gt;alert('g')&lt;/script&gt;</h2>")
                .contains("<span class=\"member-name\">&lt;img src=x onerror=alert(1)&gt;</span>")
                .contains("value=\"&lt;script>alert(&#39;g&#39;)&lt;/script>\"");
        assertThat(confirmation).doesNotContain("<script>alert").contains("Delete &lt;script&gt;");
    }

    @Test
    void deletingAPersonOrAGroupTakesItOutOfAViewersDashboard() {
        Company company = company();
        Account viewer = viewerGiven(company, Map.of(company.team(), true, company.solo(), true));
        String session = signIn(viewer);
        assertThat(dashboard(session)).containsExactly("editor 5400 2", "payroll 1200 1", "browser 600 1");

        server.services().people().delete(company.operator(), company.bob().id());
        assertThat(dashboard(session)).containsExactly("editor 3600 1", "payroll 1200 1");
        assertThat(portal.get("/groups", session).body())
                .contains("<span class=\"size\" data-size=\"1\">1 person</span>")
                .doesNotContain(company.bob().id().toString());

        server.services().groups().delete(company.operator(), company.solo().id());
        assertThat(dashboard(session)).containsExactly("editor 3600 1");
        assertThat(portal.get("/groups", session).body()).doesNotContain("Solo");
    }
}
