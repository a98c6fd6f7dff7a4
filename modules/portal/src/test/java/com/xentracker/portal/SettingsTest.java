package com.xentracker.portal;

import static com.xentracker.portal.PortalServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.server.access.Role;
import com.xentracker.server.audit.AuditEntry;
import com.xentracker.server.audit.Outcome;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.organization.OrganizationSettings;
import java.net.http.HttpResponse;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The organization's settings page against the real server: owners change, administrators and auditors read. */
class SettingsTest {

    @RegisterExtension
    static final PortalServer server = new PortalServer();

    private final Portal portal = server.portal();

    private String signIn(Organization organization, Role role) {
        return portal.signIn(server.account(organization, role).email(), PASSWORD);
    }

    private OrganizationSettings settings(Organization organization) {
        return server.services().organizations().settings(server.operator(organization));
    }

    private static Map<String, String> form(String csrf, String name, String zone, boolean twoFactor) {
        Map<String, String> form = new java.util.LinkedHashMap<>(Map.of("csrf", csrf, "name", name, "timeZone", zone,
                "minimumGroupSize", "5", "silentAfterHours", "24"));
        if (twoFactor) {
            form.put("requireTwoFactor", "on");
        }
        return form;
    }

    @Test
    void anOwnerChangesNameTimeZoneAndTheTwoFactorRequirement() {
        Organization organization = server.newOrganization();
        String session = signIn(organization, Role.OWNER);
        HttpResponse<String> page = portal.get("/settings", session);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("value=\"" + organization.name() + "\"")
                .contains("<option value=\"Europe/Berlin\" selected>Europe/Berlin</option>")
                .contains("<option value=\"America/New_York\">")
                .doesNotContain("<fieldset disabled>").contains("<button type=\"submit\">Save</button>")
                // what a change of the zone will do, said before it is made
                .contains("recorded days of the last 90 days");

        String csrf = Portal.csrfIn(page.body());

        HttpResponse<String> saved = portal.post("/settings", form(csrf, "Acme Works", "America/New_York", false),
                session);

        assertThat(saved.statusCode()).isEqualTo(303);
        assertThat(saved.headers().firstValue("Location")).hasValue("/settings?done=saved");
        assertThat(settings(organization)).isEqualTo(new OrganizationSettings("Acme Works",
                ZoneId.of("America/New_York"), false, 5, 24));
        assertThat(portal.get("/settings?done=saved", session).body()).contains("The settings were saved.")
                // the recount is queued for the background job, and the page says so until it is done
                .contains("Waiting to start: the background job recounts the recorded days in the new time zone")
                .contains("value=\"Acme Works\"").contains("<option value=\"America/New_York\" selected>")
                .contains("name=\"requireTwoFactor\" value=\"on\" aria-describedby");
        assertThat(server.audit(organization, "update-organization-settings")).singleElement()
                .satisfies(entry -> assertThat(entry.subject().text()).contains("America/New_York"));

        HttpResponse<String> required = portal.post("/settings", form(csrf, "Acme Works", "America/New_York", true),
                session);

        assertThat(required.statusCode()).isEqualTo(303);
        assertThat(settings(organization).requireTwoFactor()).isTrue();
        HttpResponse<String> next = portal.get("/settings", session);
        assertThat(next.headers().firstValue("Location")).as("this owner has no second factor yet")
                .hasValue("/account");
    }

    @Test
    void anUnknownTimeZoneOrAnEmptyNameIsRefusedAndNothingChanges() {
        Organization organization = server.newOrganization();
        String session = signIn(organization, Role.OWNER);
        String csrf = Portal.csrfIn(portal.get("/settings", session).body());

        HttpResponse<String> zone = portal.post("/settings", form(csrf, "Renamed", "Mars/Olympus_Mons", false),
                session);
        HttpResponse<String> name = portal.post("/settings", form(csrf, " ", "Europe/Berlin", false), session);

        assertThat(zone.statusCode()).isEqualTo(400);
        assertThat(zone.body()).contains("Not a time zone: use an IANA name such as Europe/Berlin.");
        assertThat(name.statusCode()).isEqualTo(400);
        assertThat(settings(organization).name()).isEqualTo(organization.name());
    }

    @Test
    void administratorsAndAuditorsSeeTheSettingsReadOnlyAndTheServerRefusesTheirChanges() {
        Organization organization = server.newOrganization();
        for (Role role : new Role[] {Role.ADMIN, Role.AUDITOR}) {
            String session = signIn(organization, role);
            HttpResponse<String> page = portal.get("/settings", session);

            HttpResponse<String> post = portal.post("/settings", form(Portal.csrfIn(page.body()), "Taken over",
                    "Europe/Berlin", false), session);

            assertThat(page.statusCode()).as(role.name()).isEqualTo(200);
            assertThat(page.body()).as(role.name()).contains("<fieldset disabled>")
                    .contains("Only owners change these settings.").doesNotContain(">Save</button>");
            assertThat(post.statusCode()).as(role.name()).isEqualTo(403);
        }
        assertThat(settings(organization).name()).isEqualTo(organization.name());
        assertThat(server.audit(organization, "update-organization-settings")).hasSize(2)
                .extracting(AuditEntry::outcome).containsOnly(Outcome.DENIED);
    }

    @Test
    void aViewerIsRefusedTheSettingsAndAPostWithoutCsrfChangesNothing() {
        Organization organization = server.newOrganization();
        String owner = signIn(organization, Role.OWNER);

        HttpResponse<String> viewer = portal.get("/settings", signIn(organization, Role.VIEWER));
        HttpResponse<String> forged = portal.post("/settings", Map.of("name", "Forged", "timeZone", "UTC"), owner);

        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(settings(organization).name()).isEqualTo(organization.name());
    }
}
