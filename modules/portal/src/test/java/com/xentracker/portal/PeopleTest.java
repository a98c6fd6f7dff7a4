package com.xentracker.portal;

import static com.xentracker.portal.PortalServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.audit.AuditEntry;
import com.xentracker.server.audit.Outcome;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.people.DeviceAccount;
import com.xentracker.server.people.Person;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The people page against the real server: who is behind each device account, who may change it (the server
 * decides), CSRF, input, and the server's audit entries.
 */
class PeopleTest {

    @RegisterExtension
    static final PortalServer server = new PortalServer();

    private final Portal portal = server.portal();

    /** An organization with Ada's laptop (OS user lovelace, mapped to Ada) and Grace, who has no device. */
    private record Fixture(Organization organization, UUID laptop, Person ada, Person grace) {
    }

    private Fixture organizationWithALaptop() {
        Organization organization = server.newOrganization();
        var operator = server.operator(organization);
        UUID laptop = server.deviceWith(organization, "ada-laptop", "lovelace", List.of(Span.of(
                server.clock().instant().minus(Duration.ofHours(1)), server.clock().instant().minus(Duration.ofMinutes(30)),
                Activity.active("editor", "/usr/bin/editor", Optional.empty())))).id();
        Person ada = server.services().people().create(operator, "Ada Lovelace");
        Person grace = server.services().people().create(operator, "Grace Hopper");
        server.services().people().assign(operator, laptop, "lovelace", ada.id());
        return new Fixture(organization, laptop, ada, grace);
    }

    private static Map<String, String> assignTo(Fixture fixture, Person person, String csrf) {
        return Map.of("csrf", csrf, "deviceId", fixture.laptop().toString(), "osUser", "lovelace",
                "personId", person.id().toString());
    }

    private String signIn(Organization organization, Role role) {
        return portal.signIn(server.account(organization, role).email(), PASSWORD);
    }

    private Optional<UUID> personBehindTheLaptop(Fixture fixture) {
        return server.services().people().directory(server.operator(fixture.organization())).accounts().stream()
                .filter(account -> account.deviceId().equals(fixture.laptop())).findFirst()
                .flatMap(DeviceAccount::person);
    }

    @Test
    void peopleWithoutASessionRedirectsToLoginAndAssignsNothing() {
        Fixture fixture = organizationWithALaptop();

        HttpResponse<String> page = portal.get("/people");
        HttpResponse<String> post = portal.post("/people/assign", assignTo(fixture, fixture.grace(), "x"));

        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location")).hasValue("/login");
        assertThat(post.statusCode()).isEqualTo(303);
        assertThat(post.headers().firstValue("Location")).hasValue("/login");
        assertThat(personBehindTheLaptop(fixture)).contains(fixture.ada().id());
    }

    @Test
    void anAdministratorSeesWhoIsBehindEachDeviceAccountWithAnAssignForm() {
        Fixture fixture = organizationWithALaptop();

        HttpResponse<String> response = portal.get("/people", signIn(fixture.organization(), Role.ADMIN));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.body())
                .contains("<td class=\"person-name\"><a href=\"/people/person?id=" + fixture.ada().id()
                        + "\">Ada Lovelace</a></td>")
                // the person ingest made for the login was merged into Ada when the account was assigned to her
                .doesNotContain("<td class=\"login\">lovelace</td>")
                .contains("<span class=\"account\" data-device=\"" + fixture.laptop() + "\">ada-laptop · lovelace</span>")
                .contains("\">Grace Hopper</a></td>")
                .contains("<td class=\"person\" data-person=\"" + fixture.ada().id() + "\">Ada Lovelace</td>")
                .contains("<form method=\"post\" action=\"/people/assign\"")
                .contains("<option value=\"" + fixture.grace().id() + "\">Grace Hopper</option>")
                .contains("<a href=\"/people\" aria-current=\"page\">People</a>")
                .doesNotContain("<script", "<style", "style=\"");
    }

    @Test
    void anAuditorSeesThePeopleButNoAssignFormAndTheServerRefusesItsAssign() {
        Fixture fixture = organizationWithALaptop();
        String session = signIn(fixture.organization(), Role.AUDITOR);
        String page = portal.get("/people", session).body();

        HttpResponse<String> post = portal.post("/people/assign", assignTo(fixture, fixture.grace(),
                Portal.csrfIn(page)), session);

        assertThat(page).contains("Ada Lovelace").doesNotContain("action=\"/people/assign\"");
        assertThat(post.statusCode()).isEqualTo(403);
        assertThat(personBehindTheLaptop(fixture)).contains(fixture.ada().id());
        assertThat(server.audit(fixture.organization(), "assign-person"))
                .filteredOn(entry -> entry.actorAccount().isPresent()).singleElement()
                .extracting(AuditEntry::outcome).isEqualTo(Outcome.DENIED);
    }

    @Test
    void anAssignWithoutOrWithAWrongCsrfTokenChangesNothing() {
        Fixture fixture = organizationWithALaptop();
        String session = signIn(fixture.organization(), Role.OWNER);
        Map<String, String> withoutToken = new HashMap<>(assignTo(fixture, fixture.grace(), ""));
        withoutToken.remove("csrf");

        HttpResponse<String> missing = portal.post("/people/assign", withoutToken, session);
        HttpResponse<String> wrong = portal.post("/people/assign", assignTo(fixture, fixture.grace(),
                "not-the-token"), session);

        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(personBehindTheLaptop(fixture)).contains(fixture.ada().id());
        assertThat(server.audit(fixture.organization(), "assign-person"))
                .noneMatch(entry -> entry.actorAccount().isPresent());
    }

    @Test
    void badInputIsRefusedAndChangesNothing() {
        Fixture fixture = organizationWithALaptop();
        String session = signIn(fixture.organization(), Role.ADMIN);
        String csrf = Portal.csrfIn(portal.get("/people", session).body());
        String device = fixture.laptop().toString();
        String grace = fixture.grace().id().toString();
        Organization other = server.newOrganization();
        Person stranger = server.services().people().create(server.operator(other), "Someone else's person");

        // mistakes in the fields: the list again, the message beside the field (see the next test)
        Map<Map<String, String>, String> mistakes = Map.of(
                Map.of("csrf", csrf, "deviceId", device, "osUser", "lovelace"), "personId",
                Map.of("csrf", csrf, "deviceId", device, "osUser", "lovelace", "newPersonName", "   "), "personId",
                Map.of("csrf", csrf, "deviceId", device, "osUser", "lovelace", "newPersonName", "x".repeat(201)),
                "newPersonName",
                Map.of("csrf", csrf, "deviceId", device, "osUser", "lovelace", "personId", grace,
                        "newPersonName", "Alan Turing"), "personId",
                Map.of("csrf", csrf, "deviceId", device, "osUser", "lovelace", "personId", "not-a-uuid"),
                "personId");
        mistakes.forEach((form, field) -> {
            HttpResponse<String> response = portal.post("/people/assign", form, session);
            assertThat(response.statusCode()).as("%s", form).isEqualTo(400);
            assertThat(response.body()).as("%s", form).contains("<h1>People</h1>")
                    .contains("<p class=\"field-error\" id=\"" + field + "-error\">");
        });
        // a person or an account that is not there (or not the organization's), a form not made by the page
        Map<Map<String, String>, Integer> bad = Map.of(
                Map.of("csrf", csrf, "deviceId", device, "osUser", "lovelace", "personId",
                        UUID.randomUUID().toString()), 404,
                Map.of("csrf", csrf, "deviceId", device, "osUser", "lovelace", "personId",
                        stranger.id().toString()), 404,
                Map.of("csrf", csrf, "deviceId", "not-a-uuid", "osUser", "lovelace", "personId", grace), 400,
                Map.of("csrf", csrf, "deviceId", UUID.randomUUID().toString(), "osUser", "lovelace",
                        "personId", grace), 404,
                Map.of("csrf", csrf, "deviceId", device, "osUser", "someone-else", "personId", grace), 404);

        bad.forEach((form, status) -> {
            HttpResponse<String> response = portal.post("/people/assign", form, session);
            assertThat(response.statusCode()).as("%s", form).isEqualTo(status);
            assertThat(response.body()).as("%s", form).contains("<h1>" + status + " ");
        });
        HttpResponse<String> noUser = portal.post("/people/assign", Map.of("csrf", csrf, "deviceId", device,
                "personId", grace), session);
        assertThat(noUser.statusCode()).isEqualTo(400);
        assertThat(personBehindTheLaptop(fixture)).contains(fixture.ada().id());
        assertThat(server.services().people().directory(server.operator(fixture.organization())).people())
                .extracting(Person::displayName).doesNotContain("Alan Turing", "x".repeat(201));
    }

    @Test
    void aMistakeInTheAssignFormIsShownBesideItsFieldInThatAccountsFormWithWhatWasTyped() {
        Fixture fixture = organizationWithALaptop();
        String session = signIn(fixture.organization(), Role.ADMIN);
        String csrf = Portal.csrfIn(portal.get("/people", session).body());
        String tooLong = "Ada " + "x".repeat(200);

        HttpResponse<String> both = portal.post("/people/assign", Map.of("csrf", csrf,
                "deviceId", fixture.laptop().toString(), "osUser", "lovelace",
                "personId", fixture.grace().id().toString(), "newPersonName", "Alan Turing"), session);
        HttpResponse<String> long_ = portal.post("/people/assign", Map.of("csrf", csrf,
                "deviceId", fixture.laptop().toString(), "osUser", "lovelace", "newPersonName", tooLong), session);

        assertThat(both.statusCode()).isEqualTo(400);
        assertThat(both.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/html"));
        String form = formOf(both.body(), fixture.laptop());
        assertThat(form)
                .contains("aria-invalid=\"true\" aria-describedby=\"personId-error\"")
                .contains("<p class=\"field-error\" id=\"personId-error\">Choose a person or type a new person's"
                        + " name (one of them).</p>")
                // what was chosen and typed is still there
                .contains("<option value=\"" + fixture.grace().id() + "\" selected>Grace Hopper</option>")
                .contains("value=\"Alan Turing\"");
        assertThat(both.body()).contains("role=\"alert\">Nothing was assigned")
                // the navigation and the rest of the page are the page's own
                .contains("<h1>People</h1>").contains("Ada Lovelace");

        assertThat(long_.statusCode()).isEqualTo(400);
        assertThat(formOf(long_.body(), fixture.laptop()))
                .contains("aria-invalid=\"true\" aria-describedby=\"newPersonName-error\"")
                .contains("<p class=\"field-error\" id=\"newPersonName-error\">A person's name has at most 200"
                        + " characters.</p>")
                .contains("value=\"" + tooLong + "\"");
        assertThat(personBehindTheLaptop(fixture)).contains(fixture.ada().id());
        // both refused before the server was asked: nothing changed, no assignment was logged
        assertThat(server.audit(fixture.organization(), "assign-person"))
                .filteredOn(entry -> entry.actorAccount().isPresent()).isEmpty();
    }

    /** The assign form of the device's account row. */
    private static String formOf(String page, UUID device) {
        int row = page.indexOf("<tr data-device=\"" + device + "\">");
        assertThat(row).as("the account's row").isNotNegative();
        return page.substring(row, page.indexOf("</tr>", row));
    }

    @Test
    void everyViewAndEveryChangeIsAuditLoggedByTheServerWithIdsOnly() {
        Fixture fixture = organizationWithALaptop();
        Account admin = server.account(fixture.organization(), Role.ADMIN);
        String session = portal.signIn(admin.email(), PASSWORD);
        String csrf = Portal.csrfIn(portal.get("/people", session).body());

        HttpResponse<String> existing = portal.post("/people/assign", assignTo(fixture, fixture.grace(), csrf),
                session);
        assertThat(personBehindTheLaptop(fixture)).contains(fixture.grace().id());
        HttpResponse<String> created = portal.post("/people/assign", Map.of("csrf", csrf,
                "deviceId", fixture.laptop().toString(), "osUser", "lovelace", "newPersonName", "  Alan Turing "),
                session);

        assertThat(existing.statusCode()).isEqualTo(303);
        assertThat(existing.headers().firstValue("Location")).hasValue("/people");
        assertThat(created.statusCode()).isEqualTo(303);
        Person alan = server.services().people().directory(server.operator(fixture.organization())).people().stream()
                .filter(person -> person.displayName().equals("Alan Turing")).findFirst().orElseThrow();
        assertThat(personBehindTheLaptop(fixture)).contains(alan.id());
        List<AuditEntry> byAdmin = server.services().audit().search(server.operator(fixture.organization()),
                com.xentracker.server.audit.AuditQuery.newest(50).byActor(admin.id())).entries();
        assertThat(byAdmin).extracting(AuditEntry::action)
                .containsExactly("assign-person", "assign-person", "view-people", "sign-in");
        assertThat(byAdmin).allSatisfy(entry -> {
            assertThat(entry.outcome()).isEqualTo(Outcome.SUCCESS);
            assertThat(entry.subject().text()).doesNotContain("lovelace", "Ada", "Alan", "Grace");
        });
        assertThat(byAdmin.get(1).subject().person()).contains(fixture.grace().id());
        assertThat(byAdmin.get(1).subject().device()).contains(fixture.laptop());
        assertThat(byAdmin.get(0).subject().person()).contains(alan.id());
    }
}
