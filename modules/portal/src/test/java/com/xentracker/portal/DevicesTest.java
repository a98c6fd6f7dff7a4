package com.xentracker.portal;

import static com.xentracker.portal.PortalServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.audit.AuditEntry;
import com.xentracker.server.organization.Organization;
import com.xentracker.transport.wire.AgentState;
import com.xentracker.transport.wire.CaptureState;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The device list against the real server: what agents reported, in plain words, for the right organization. */
class DevicesTest {

    @RegisterExtension
    static final PortalServer server = new PortalServer();

    private static final String WAYLAND_DETAIL = "Wayland session: foreground tracking unavailable";

    private final Portal portal = server.portal();

    private static Optional<AgentState> state(CaptureState capture, String detail, long policyVersion) {
        return Optional.of(new AgentState("0.2.0", capture, detail, policyVersion));
    }

    private String signedIn(Organization organization) {
        return portal.signIn(server.account(organization, Role.AUDITOR).email(), PASSWORD);
    }

    @Test
    void devicesWithoutASessionRedirectsToLogin() {
        HttpResponse<String> noCookie = portal.get("/devices");
        HttpResponse<String> unknownSession = portal.get("/devices", "xt_session=made-up");

        assertThat(noCookie.statusCode()).isEqualTo(303);
        assertThat(noCookie.headers().firstValue("Location")).hasValue("/login");
        assertThat(unknownSession.statusCode()).isEqualTo(303);
        assertThat(unknownSession.headers().firstValue("Location")).hasValue("/login");
    }

    @Test
    void devicesListsTheAccountsOrganizationsDevicesOnlyWithWhatTheirAgentsReported() {
        Organization organization = server.newOrganization();
        Instant enrolled = server.clock().instant();
        TestAgent laptop = server.deviceWith(organization, "ada-laptop", "ada", List.of());
        laptop.upload(List.of(), state(CaptureState.RECORDING, "", 4), Optional.empty());
        server.deviceWith(server.newOrganization(), "eve-secret-host", "eve", List.of());
        server.clock().advance(Duration.ofMinutes(3));

        HttpResponse<String> response = portal.get("/devices", signedIn(organization));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.body())
                .contains("<td class=\"hostname\">ada-laptop</td>")
                .contains("<td class=\"os-user\">ada</td>")
                .contains("<td class=\"os\">Linux 6.1</td>")
                .contains("<td class=\"agent-version\">0.2.0</td>")
                .contains("<td class=\"num policy-version\">4</td>")
                .contains("<span class=\"state recording\">Recording</span>")
                .contains("<time datetime=\"" + enrolled.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\"")
                .contains(">3 min ago</time>")
                .doesNotContain("eve-secret-host", "Revoked", "class=\"detail\"");
    }

    @Test
    void aWaylandSessionIsReportedInPlainWordsWithTheAgentsOwnDetail() {
        Organization organization = server.newOrganization();
        server.deviceWith(organization, "wayland-box", "ada", List.of())
                .upload(List.of(), state(CaptureState.WAYLAND_UNSUPPORTED, WAYLAND_DETAIL, 0), Optional.empty());

        String body = portal.get("/devices", signedIn(organization)).body();

        assertThat(body)
                .contains("<td class=\"capture\" data-state=\"WAYLAND_UNSUPPORTED\">")
                .contains("<span class=\"state not-recording\">"
                        + "Not recording: Wayland session — foreground tracking unavailable</span>")
                .contains("<span class=\"detail\">" + WAYLAND_DETAIL + "</span>")
                .contains("<td class=\"num policy-version\">0 (built-in defaults)</td>")
                .contains(">just now</time>");
    }

    @Test
    void aDevicesClockIsShownAgainstTheServersAndAClockOffByAMinuteOrMoreStandsOut() {
        Organization organization = server.newOrganization();
        Instant now = server.clock().instant();
        server.deviceWith(organization, "a-in-time", "ada", List.of())
                .upload(List.of(), Optional.empty(), Optional.of(now.minusMillis(1200)));
        server.deviceWith(organization, "b-ahead", "ada", List.of())
                .upload(List.of(), Optional.empty(), Optional.of(now.plusSeconds(4 * 60 + 59)));
        server.deviceWith(organization, "c-behind", "ada", List.of())
                .upload(List.of(), Optional.empty(), Optional.of(now.minusSeconds(40)));
        server.deviceWith(organization, "d-days", "ada", List.of())
                .upload(List.of(), Optional.empty(), Optional.of(now.plus(Duration.ofDays(2).plusHours(3))));
        server.deviceWith(organization, "e-unknown", "ada", List.of());

        String body = portal.get("/devices", signedIn(organization)).body();

        assertThat(body)
                .contains("<td class=\"clock\"><span class=\"state neutral\">in time</span></td>")
                .contains("<td class=\"clock\"><span class=\"state not-recording\">4 min ahead</span></td>")
                .contains("<td class=\"clock\"><span class=\"state neutral\">40 s behind</span></td>")
                .contains("<td class=\"clock\"><span class=\"state not-recording\">2 days ahead</span></td>")
                .contains("<td class=\"clock\"><span class=\"state neutral\">—</span></td>");
    }

    @Test
    void privateTimeAnUnreportedAndARevokedDeviceAreShownAsSuch() {
        Organization organization = server.newOrganization();
        server.deviceWith(organization, "paused-box", "ada", List.of())
                .upload(List.of(), state(CaptureState.PAUSED, "", 1), Optional.empty());
        server.deviceWith(organization, "new-box", "ada", List.of());
        TestAgent old = server.deviceWith(organization, "old-box", "ada", List.of());
        server.services().devices().revoke(server.operator(organization), old.id());
        server.clock().advance(Duration.ofDays(3));

        String body = portal.get("/devices", signedIn(organization)).body();

        assertThat(body)
                .contains("<span class=\"state neutral\">Private time</span>")
                .contains("<span class=\"state neutral\">No report yet</span>")
                .contains("<tr class=\"revoked\" data-device=")
                .contains("<td class=\"hostname\">old-box <span class=\"badge\">Revoked</span></td>")
                .contains(">3 days ago</time>");
        assertThat(body.split("<tr class=\"revoked\" data-device=", -1)).hasSize(2);
        assertThat(body.indexOf("new-box")).isLessThan(body.indexOf("old-box"));
        assertThat(body.indexOf("old-box")).isLessThan(body.indexOf("paused-box"));
    }

    @Test
    void withoutDevicesThePageSaysSo() {
        String body = portal.get("/devices", signedIn(server.newOrganization())).body();

        assertThat(body).contains("No devices enrolled yet.").doesNotContain("<table");
    }

    @Test
    void whatAgentsReportIsEscaped() {
        Organization organization = server.newOrganization();
        server.deviceWith(organization, "<b>x</b>", "\"><script>alert(1)</script>", List.of())
                .upload(List.of(), state(CaptureState.PERMISSION_MISSING, "<img src=x onerror=alert(1)>", 1),
                        Optional.empty());

        String body = portal.get("/devices", signedIn(organization)).body();

        assertThat(body)
                .contains("<td class=\"hostname\">&lt;b&gt;x&lt;/b&gt;</td>")
                .contains("<td class=\"os-user\">\"&gt;&lt;script&gt;alert(1)&lt;/script&gt;</td>")
                .contains("<span class=\"detail\">&lt;img src=x onerror=alert(1)&gt;</span>")
                .doesNotContain("<b>x", "<script", "<img");
    }

    @Test
    void everyDevicesViewIsAuditLoggedByTheServer() {
        Organization organization = server.newOrganization();
        Account account = server.account(organization, Role.ADMIN);
        String session = portal.signIn(account.email(), PASSWORD);

        portal.get("/devices", session);
        portal.get("/devices", session);

        assertThat(server.audit(organization, "view-devices")).hasSize(2)
                .extracting(AuditEntry::actorAccount).containsOnly(Optional.of(account.id()));
    }

    @Test
    void aViewerIsRefusedTheDeviceListAndTheRefusalIsAudited() {
        Organization organization = server.newOrganization();
        server.deviceWith(organization, "ada-laptop", "ada", List.of());
        Account viewer = server.account(organization, Role.VIEWER);

        HttpResponse<String> response = portal.get("/devices", portal.signIn(viewer.email(), PASSWORD));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).doesNotContain("ada-laptop").contains("does not allow view-devices");
        assertThat(server.audit(organization, "view-devices")).singleElement()
                .satisfies(entry -> assertThat(entry.outcome())
                        .isEqualTo(com.xentracker.server.audit.Outcome.DENIED));
    }

    @Test
    void theNavigationMarksTheCurrentSectionAndIsOnlyShownWhenSignedIn() {
        String login = portal.get("/login").body();
        String session = signedIn(server.newOrganization());

        String dashboard = portal.get("/overview", session).body();
        String devices = portal.get("/devices", session).body();

        assertThat(login).doesNotContain("<nav class=\"sections\"", "href=\"/devices\"");
        assertThat(dashboard)
                .contains("<nav class=\"sections\" aria-label=\"Portal\">")
                .contains("<a href=\"/overview\" aria-current=\"page\">Overview</a>")
                .contains("<a href=\"/devices\">Devices</a>");
        assertThat(devices)
                .contains("<a href=\"/overview\">Overview</a>")
                .contains("<a href=\"/devices\" aria-current=\"page\">Devices</a>")
                .doesNotContain("<script", "<style", "style=\"");
    }
    @Test
    void theBacklogAnAgentReportsShowsOnTheDevicesPage() {
        Organization organization = server.newOrganization();
        Instant oldest = server.clock().instant().minus(Duration.ofHours(6));
        TestAgent behind = server.deviceWith(organization, "offline-laptop", "ada", List.of());
        behind.upload(List.of(), Optional.of(new AgentState("0.3.0", CaptureState.RECORDING, "", 1)
                .withBacklog(AgentState.Backlog.of(2400, Optional.of(oldest)))), Optional.empty());
        server.deviceWith(organization, "caught-up", "bob", List.of()).upload(List.of(), Optional.of(
                new AgentState("0.3.0", CaptureState.RECORDING, "", 1).withBacklog(AgentState.Backlog.none())),
                Optional.empty());
        server.deviceWith(organization, "old-agent", "cy", List.of())
                .upload(List.of(), state(CaptureState.RECORDING, "", 1), Optional.empty());

        String body = portal.get("/devices", signedIn(organization)).body();

        String sixHoursAgo = DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ENGLISH)
                .format(oldest.atZone(ZoneId.of("Europe/Berlin")));
        assertThat(body)
                .contains("<td class=\"backlog\" data-unsent=\"2400\"><span class=\"state not-recording\">2,400 spans"
                        + " waiting</span><span class=\"detail\">the oldest from " + sixHoursAgo + " (6 h ago)</span></td>")
                .contains("<td class=\"backlog\" data-unsent=\"0\"><span class=\"state recording\">Caught up</span>")
                .contains("<td class=\"backlog\" data-unsent=\"\"><span class=\"state neutral\">Not reported</span>")
                .contains("Exact times (on hover)\n      are in Europe/Berlin.");
    }

    @Test
    void aDeviceIsFlaggedSilentOnceTheOrganizationsSilentAfterHoursHavePassed() {
        Organization organization = server.newOrganization();
        server.deviceWith(organization, "quiet-box", "ada", List.of())
                .upload(List.of(), state(CaptureState.RECORDING, "", 1), Optional.empty());
        String silentBadge = "<td class=\"hostname\">quiet-box <span class=\"badge silent\">Silent</span></td>";

        String fresh = portal.get("/devices", signedIn(organization)).body();
        server.clock().advance(Duration.ofHours(24).minusMinutes(1));
        String almost = portal.get("/devices", signedIn(organization)).body();
        server.clock().advance(Duration.ofMinutes(2));
        String silent = portal.get("/devices", signedIn(organization)).body();

        assertThat(fresh).contains("<td class=\"hostname\">quiet-box</td>")
                .contains("flagged <strong>silent</strong> after no contact for more than 24 h");
        assertThat(almost).contains("<td class=\"hostname\">quiet-box</td>").doesNotContain(silentBadge);
        assertThat(silent).contains(silentBadge).contains("<tr class=\"silent\"");
    }

    @Test
    void gapsTheAgentRecordedAndMissingBatchesShowAsLost() {
        Organization organization = server.newOrganization();
        TestAgent device = server.deviceWith(organization, "lossy-box", "ada", List.of());
        Instant t = server.clock().instant().minus(Duration.ofHours(3));
        device.upload(List.of(), List.of(com.xentracker.core.activity.Gap.of(t, t.plus(Duration.ofMinutes(45)),
                com.xentracker.core.activity.GapReason.BUFFER_FULL)), state(CaptureState.RECORDING, "", 1),
                Optional.empty());

        String body = portal.get("/devices", signedIn(organization)).body();

        assertThat(body).containsPattern("<td class=\"lost\"><span class=\"state not-recording\">1 gap, 45 min</span>"
                + "<span class=\"detail\">the latest gap until [0-9]+ [A-Z][a-z]{2} [0-9:]{5}</span></td>");
    }
}
