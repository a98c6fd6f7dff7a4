package com.xentracker.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.organization.Organization;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The employee's own view through the portal: an owner turns self-service on in the organization's settings and gives
 * a person an invitation from the person's page; the person lands on their own activity; turning it off signs them
 * out at once.
 */
class SelfServicePagesTest {

    @RegisterExtension
    static final PortalServer server = new PortalServer();

    private final Portal portal = server.portal();

    private static Map<String, String> form(String... pairs) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            form.put(pairs[i], pairs[i + 1]);
        }
        return form;
    }

    private HttpResponse<String> saveSettings(String session, boolean selfService) {
        String csrf = Portal.csrfIn(portal.get("/settings", session).body());
        Map<String, String> form = form("csrf", csrf, "name", "Self-service works", "timeZone", "Europe/Berlin",
                "minimumGroupSize", "5", "silentAfterHours", "24");
        if (selfService) {
            form.put("selfService", "on");
        }
        return portal.post("/settings", form, session);
    }

    @Test
    void anOwnerTurnsSelfServiceOnInvitesAPersonAndTurningItOffSignsThemOut() {
        Organization organization = server.newOrganization();
        String owner = portal.signIn(server.account(organization, Role.OWNER).email(), PortalServer.PASSWORD);
        UUID person = server.services().people().create(server.operator(organization), "Grace Hopper").id();
        String personPage = "/people/person?id=" + person;

        HttpResponse<String> whileOff = portal.post("/people/self-account", form("csrf",
                Portal.csrfIn(portal.get(personPage, owner).body()), "personId", person.toString(), "email",
                "grace@example.org"), owner);
        assertThat(whileOff.statusCode()).as("refused by the server while off").isEqualTo(409);
        assertThat(saveSettings(owner, true).statusCode()).isEqualTo(303);
        assertThat(portal.get("/settings", owner).body()).contains("name=\"selfService\"");

        HttpResponse<String> invitation = portal.post("/people/self-account", form("csrf",
                Portal.csrfIn(portal.get(personPage, owner).body()), "personId", person.toString(), "email",
                "grace@example.org"), owner);

        assertThat(invitation.statusCode()).isEqualTo(200);
        assertThat(invitation.body()).contains("Invitation for grace@example.org");
        Account self = server.services().accounts().list(server.operator(organization)).stream()
                .filter(account -> account.email().equals("grace@example.org")).findFirst().orElseThrow();
        assertThat(self.role()).isEqualTo(Role.SELF);
        assertThat(self.person()).contains(person);

        // the operator sets the password as the link would (AccountSetup is tested on its own)
        server.services().accounts().delete(server.operator(organization), self.id());
        Account grace = server.server().administration().createSelfAccount(organization.id(), person,
                "grace2@example.org", PortalServer.PASSWORD.toCharArray());
        HttpResponse<String> login = portal.submitLogin(grace.email(), PortalServer.PASSWORD);
        assertThat(login.headers().firstValue("Location")).contains("/me");
        String session = portal.signIn(grace.email(), PortalServer.PASSWORD);
        HttpResponse<String> own = portal.get("/me", session);
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.body()).contains("Grace Hopper").contains("Download all my data")
                .doesNotContain("action=\"/people/rename\"").doesNotContain("/people/self-account");
        assertThat(portal.get("/", session).headers().firstValue("Location")).contains("/me");
        assertThat(portal.get("/overview", session).statusCode()).isEqualTo(403);

        assertThat(saveSettings(owner, false).statusCode()).isEqualTo(303);

        HttpResponse<String> afterwards = portal.get("/me", session);
        assertThat(afterwards.statusCode()).isEqualTo(303);
        assertThat(afterwards.headers().firstValue("Location")).hasValueSatisfying(location ->
                assertThat(location).contains("/login"));
        assertThat(portal.submitLogin(grace.email(), PortalServer.PASSWORD).statusCode())
                .as("the right password, refused while off").isNotEqualTo(303);
    }
}
