package com.xentracker.portal;

import static com.xentracker.portal.PortalServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.server.access.Role;
import com.xentracker.server.organization.Organization;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What every page shares, against the real server: an unknown address gets the portal's page (layout, navigation
 * for someone signed in, security headers) while the agent API keeps its JSON; error pages keep the navigation; the
 * desktop without a window has a name.
 */
class PortalPagesTest {

    @RegisterExtension
    static final PortalServer server = new PortalServer();

    private final Portal portal = server.portal();

    @Test
    void anUnknownAddressGetsThePortalsPageWithItsLayoutAndSecurityHeaders() {
        Organization organization = server.newOrganization();
        String session = portal.signIn(server.account(organization, Role.ADMIN).email(), PASSWORD);

        HttpResponse<String> signedIn = portal.get("/no/such/page", session);
        HttpResponse<String> anonymous = portal.get("/settings/nothing-here");
        HttpResponse<String> posted = portal.post("/no-such-form", java.util.Map.of("a", "b"), session);
        HttpResponse<String> api = portal.get("/api/v1/no-such-endpoint", session);

        assertThat(signedIn.statusCode()).isEqualTo(404);
        assertThat(signedIn.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/html"));
        assertThat(signedIn.headers().firstValue("Content-Security-Policy")).hasValue(
                "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        assertThat(signedIn.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(signedIn.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(signedIn.body()).contains("<title>Not Found · Xentracker</title>")
                .contains("There is no page at this address.").contains("<nav class=\"sections\"")
                .contains("href=\"/devices\"").contains("Sign out").doesNotContain("Endpoint GET");
        assertThat(anonymous.statusCode()).isEqualTo(404);
        assertThat(anonymous.body()).contains("There is no page at this address.")
                .doesNotContain("<nav class=\"sections\"").doesNotContain("Sign out");
        assertThat(anonymous.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(posted.statusCode()).isEqualTo(404);
        assertThat(posted.body()).contains("There is no page at this address.");
        assertThat(api.statusCode()).isEqualTo(404);
        assertThat(api.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/json"));
        assertThat(api.body()).startsWith("{").contains("not-found").doesNotContain("<html");
    }

    @Test
    void anErrorPageKeepsTheNavigationAndTheWayOut() {
        Organization organization = server.newOrganization();
        String viewer = portal.signIn(server.account(organization, Role.VIEWER).email(), PASSWORD);
        String auditor = portal.signIn(server.account(organization, Role.AUDITOR).email(), PASSWORD);

        HttpResponse<String> refused = portal.get("/settings", viewer);
        HttpResponse<String> unknownCategory = portal.get("/settings/categories/delete?category="
                + java.util.UUID.randomUUID(), auditor);
        HttpResponse<String> malformed = portal.get("/settings/categories/delete?category=nonsense", auditor);

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("<nav class=\"sections\"").contains("Sign out")
                .contains("Your role (viewer) does not allow view-settings.");
        assertThat(unknownCategory.statusCode()).isEqualTo(404);
        assertThat(unknownCategory.body()).contains("<nav class=\"sections\"").contains("href=\"/settings\"")
                .contains("The organization has no such category.");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("<nav class=\"sections\"").contains("Choose a category.");
    }

    @Test
    void theHeaderKeepsTheAccountAndSignOutTogetherAndOffersASkipLink() {
        Organization organization = server.newOrganization();
        String session = portal.signIn(server.account(organization, Role.OWNER).email(), PASSWORD);

        String page = portal.get("/settings", session).body();
        String css = portal.get("/portal.css").body();

        assertThat(page).contains("<a class=\"skip\" href=\"#main\">Skip to the content</a>")
                .contains("<main id=\"main\">");
        assertThat(page.indexOf("class=\"viewer\"")).as("the account after the sections")
                .isGreaterThan(page.indexOf("class=\"sections\""));
        assertThat(css).as("on a narrow screen the account stays beside the brand, the sections wrap below")
                .contains("grid-template-areas: \"brand viewer\" \"sections sections\"")
                .contains("min-width: 0; max-width: 18rem; overflow: hidden; text-overflow: ellipsis;");
    }

    @Test
    void theDesktopWithoutAWindowHasANameOnTheDashboard() {
        Organization organization = server.newOrganization();
        Instant nine = Instant.parse("2026-11-29T08:00:00Z");
        server.deviceWith(organization, "laptop", "anna", List.of(
                Span.of(nine, nine.plus(Duration.ofMinutes(5)), Activity.active("", "", Optional.empty())),
                Span.of(nine.plus(Duration.ofMinutes(5)), nine.plus(Duration.ofMinutes(9)),
                        Activity.active("editor", "/usr/bin/editor", Optional.empty()))));
        String session = portal.signIn(server.account(organization, Role.OWNER).email(), PASSWORD);

        // the dashboard's old address only redirects to the overview now
        String dashboard = portal.get("/overview", session).body();

        assertThat(dashboard).contains("<td class=\"application\">Desktop (no application in front)</td>")
                .contains("<td class=\"application\">editor</td>")
                .doesNotContain("<td class=\"application\"></td>");
    }

    @Test
    void emptyPagesSayWhatToDoNext() {
        Organization organization = server.newOrganization();
        String session = portal.signIn(server.account(organization, Role.OWNER).email(), PASSWORD);

        assertThat(portal.get("/devices", session).body()).contains("No devices enrolled yet.")
                .contains("Issue an enrollment token on the").contains("href=\"/enrollment\"");
        assertThat(portal.get("/enrollment", session).body()).contains("No enrollment tokens yet.")
                .contains("Issue one above");
        assertThat(portal.get("/overview", session).body()).contains("No usage recorded in this period.")
                .contains("issue an enrollment token on the Enrollment page");
        assertThat(portal.get("/settings/categories", session).body()).contains("No categories yet.")
                .contains("Create one below");
    }
}
