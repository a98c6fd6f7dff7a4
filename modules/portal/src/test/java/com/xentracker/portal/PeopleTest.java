package com.xentracker.portal;

import static com.xentracker.portal.Portal.EMAIL;
import static com.xentracker.portal.Portal.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.portal.TestServices.RecordingAuditLog.Entry;
import com.xentracker.server.account.Account;
import com.xentracker.server.account.Role;
import com.xentracker.server.admin.DeviceSummary;
import com.xentracker.server.admin.DeviceUser;
import com.xentracker.server.admin.Person;
import com.xentracker.transport.wire.CaptureState;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The people page's checks around the mapping: sign-in, roles, CSRF, input and the audit log. The mapping itself, on
 * the server's real data administration, is {@code endtoend/PeopleEndToEndTest}.
 */
@ExtendWith(PortalFixture.class)
class PeopleTest {

    private static final DeviceSummary LAPTOP = new DeviceSummary(UUID.randomUUID(), "ada-laptop", "Linux 6.1", "lovelace",
            "0.2.0", CaptureState.RECORDING, "", 1, TestServices.NOW, TestServices.NOW, false);
    private static final Person ADA = new Person(UUID.randomUUID(), "Ada Lovelace", Optional.of("lovelace"),
            TestServices.NOW);
    private static final Person GRACE = new Person(UUID.randomUUID(), "Grace Hopper", Optional.empty(),
            TestServices.NOW);

    private static Account organizationWithALaptop(Portal portal, Role role) {
        Account account = portal.services.accounts.add(EMAIL, PASSWORD, role);
        portal.services.devices.put(account.organizationId(), LAPTOP);
        portal.services.people.put(account.organizationId(), List.of(ADA, GRACE),
                List.of(new DeviceUser(LAPTOP.id(), "lovelace", ADA.id())));
        return account;
    }

    private static Map<String, String> assignTo(Person person, String csrf) {
        return Map.of("csrf", csrf, "deviceId", LAPTOP.id().toString(), "osUser", "lovelace",
                "personId", person.id().toString());
    }

    @Test
    void peopleWithoutASessionRedirectsToLoginAndAssignsNothing(Portal portal) {
        HttpResponse<String> page = portal.get("/people");
        HttpResponse<String> post = portal.post("/people/assign", Map.of("csrf", "x", "deviceId",
                LAPTOP.id().toString(), "osUser", "lovelace", "personId", GRACE.id().toString()));

        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location")).hasValue("/login");
        assertThat(post.statusCode()).isEqualTo(303);
        assertThat(post.headers().firstValue("Location")).hasValue("/login");
        assertThat(portal.services.people.changes).isEmpty();
        assertThat(portal.services.audit.entries).isEmpty();
    }

    @Test
    void anAdministratorSeesWhoIsBehindEachDeviceAccountWithAnAssignForm(Portal portal) {
        organizationWithALaptop(portal, Role.ADMIN);
        String session = portal.signIn(EMAIL, PASSWORD);

        HttpResponse<String> response = portal.get("/people", session);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.body())
                .contains("<td class=\"person-name\">Ada Lovelace</td>")
                .contains("<td class=\"login\">lovelace</td>")
                .contains("<span class=\"account\" data-device=\"" + LAPTOP.id() + "\">ada-laptop · lovelace</span>")
                .contains("<td class=\"person-name\">Grace Hopper</td>")
                .contains("<td class=\"person\" data-person=\"" + ADA.id() + "\">Ada Lovelace</td>")
                .contains("<form method=\"post\" action=\"/people/assign\"")
                .contains("<option value=\"" + GRACE.id() + "\">Grace Hopper</option>")
                .contains("<a href=\"/people\" aria-current=\"page\">People</a>")
                .doesNotContain("<script", "<style", "style=\"");
    }

    @Test
    void anAuditorSeesThePeopleButNoAssignFormAndCannotAssign(Portal portal) {
        organizationWithALaptop(portal, Role.AUDITOR);
        String session = portal.signIn(EMAIL, PASSWORD);
        String page = portal.get("/people", session).body();

        HttpResponse<String> post = portal.post("/people/assign", assignTo(GRACE, Portal.csrfIn(page)), session);

        assertThat(page).contains("Ada Lovelace").doesNotContain("action=\"/people/assign\"");
        assertThat(post.statusCode()).isEqualTo(403);
        assertThat(portal.services.people.changes).isEmpty();
        assertThat(portal.services.audit.actions()).doesNotContain("assign-person");
    }

    @Test
    void anAssignWithoutOrWithAWrongCsrfTokenChangesNothing(Portal portal) {
        organizationWithALaptop(portal, Role.OWNER);
        String session = portal.signIn(EMAIL, PASSWORD);
        Map<String, String> withoutToken = new HashMap<>(assignTo(GRACE, ""));
        withoutToken.remove("csrf");

        HttpResponse<String> missing = portal.post("/people/assign", withoutToken, session);
        HttpResponse<String> wrong = portal.post("/people/assign", assignTo(GRACE, "not-the-token"), session);

        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(portal.services.people.changes).isEmpty();
        assertThat(portal.services.audit.actions()).containsExactly("sign-in");
    }

    @Test
    void badInputIsRefusedWithA400AndChangesNothing(Portal portal) {
        organizationWithALaptop(portal, Role.ADMIN);
        String session = portal.signIn(EMAIL, PASSWORD);
        String csrf = Portal.csrfIn(portal.get("/people", session).body());
        String device = LAPTOP.id().toString();

        List<Map<String, String>> bad = List.of(
                Map.of("csrf", csrf, "deviceId", device, "osUser", "lovelace"),
                Map.of("csrf", csrf, "deviceId", device, "osUser", "lovelace", "newPersonName", "   "),
                Map.of("csrf", csrf, "deviceId", device, "osUser", "lovelace", "newPersonName", "x".repeat(201)),
                Map.of("csrf", csrf, "deviceId", device, "osUser", "lovelace", "personId", GRACE.id().toString(),
                        "newPersonName", "Alan Turing"),
                Map.of("csrf", csrf, "deviceId", device, "osUser", "lovelace", "personId", "not-a-uuid"),
                Map.of("csrf", csrf, "deviceId", device, "osUser", "lovelace", "personId", UUID.randomUUID().toString()),
                Map.of("csrf", csrf, "deviceId", "not-a-uuid", "osUser", "lovelace", "personId", GRACE.id().toString()),
                Map.of("csrf", csrf, "deviceId", UUID.randomUUID().toString(), "osUser", "lovelace",
                        "personId", GRACE.id().toString()),
                Map.of("csrf", csrf, "deviceId", device, "osUser", "someone-else", "personId", GRACE.id().toString()),
                Map.of("csrf", csrf, "deviceId", device, "personId", GRACE.id().toString()));

        for (Map<String, String> form : bad) {
            HttpResponse<String> response = portal.post("/people/assign", form, session);
            assertThat(response.statusCode()).as("%s", form).isEqualTo(400);
            assertThat(response.body()).as("%s", form).contains("<h1>400 Bad Request</h1>");
        }
        assertThat(portal.services.people.changes).isEmpty();
        assertThat(portal.services.audit.actions()).containsExactly("sign-in", "view-people");
    }

    @Test
    void everyViewAndEveryChangeIsAuditLoggedWithIdsOnly(Portal portal) {
        Account account = organizationWithALaptop(portal, Role.ADMIN);
        String session = portal.signIn(EMAIL, PASSWORD);
        String csrf = Portal.csrfIn(portal.get("/people", session).body());

        HttpResponse<String> existing = portal.post("/people/assign", assignTo(GRACE, csrf), session);
        HttpResponse<String> created = portal.post("/people/assign", Map.of("csrf", csrf,
                "deviceId", LAPTOP.id().toString(), "osUser", "lovelace", "newPersonName", "  Alan Turing "), session);

        assertThat(existing.statusCode()).isEqualTo(303);
        assertThat(existing.headers().firstValue("Location")).hasValue("/people");
        assertThat(created.statusCode()).isEqualTo(303);
        List<String> changes = portal.services.people.changes;
        assertThat(changes).hasSize(3);
        assertThat(changes.get(0)).isEqualTo("assign-person " + LAPTOP.id() + " lovelace " + GRACE.id());
        assertThat(changes.get(1)).isEqualTo("create-person Alan Turing");
        assertThat(changes.get(2)).startsWith("assign-person " + LAPTOP.id() + " lovelace ")
                .doesNotEndWith(GRACE.id().toString());
        List<Entry> entries = portal.services.audit.entries;
        assertThat(entries).extracting(Entry::action)
                .containsExactly("sign-in", "view-people", "assign-person", "create-person", "assign-person");
        assertThat(entries).allSatisfy(entry -> {
            assertThat(entry.organizationId()).isEqualTo(account.organizationId());
            assertThat(entry.actorAccountId()).isEqualTo(account.id());
            assertThat(entry.subject()).doesNotContain("lovelace", "Ada", "Alan", "Grace");
        });
        assertThat(entries.get(2).subject()).isEqualTo("device " + LAPTOP.id() + " account to person " + GRACE.id());
    }

    @Test
    void peopleAreNotShownWhenTheAuditLogCannotRecordTheView(Portal portal) {
        organizationWithALaptop(portal, Role.ADMIN);
        String session = portal.signIn(EMAIL, PASSWORD);
        portal.services.audit.failing = true;

        HttpResponse<String> response = portal.get("/people", session);

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).doesNotContain("Ada Lovelace", "ada-laptop");
    }
}
