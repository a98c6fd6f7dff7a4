package com.xentracker.portal;

import static com.xentracker.portal.Portal.EMAIL;
import static com.xentracker.portal.Portal.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.portal.TestServices.RecordingAuditLog.Entry;
import com.xentracker.server.account.Account;
import com.xentracker.server.admin.DeviceSummary;
import com.xentracker.transport.wire.CaptureState;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PortalFixture.class)
class DevicesTest {

    private static final Instant ENROLLED = Instant.parse("2026-11-02T08:00:00Z");
    private static final String WAYLAND_DETAIL = "Wayland session: foreground tracking unavailable";

    private static DeviceSummary device(String hostname, String osUser, CaptureState state, String detail,
            long policyVersion, Instant lastSeen, boolean revoked) {
        return new DeviceSummary(UUID.randomUUID(), hostname, "Linux 6.1", osUser, "0.2.0", state, detail,
                policyVersion, ENROLLED, lastSeen, revoked);
    }

    private static DeviceSummary device(String hostname, CaptureState state) {
        return device(hostname, "ada", state, "", 1, TestServices.NOW, false);
    }

    @Test
    void devicesWithoutASessionRedirectsToLogin(Portal portal) {
        HttpResponse<String> noCookie = portal.get("/devices");
        HttpResponse<String> unknownSession = portal.get("/devices", "xt_session=made-up");

        assertThat(noCookie.statusCode()).isEqualTo(303);
        assertThat(noCookie.headers().firstValue("Location")).hasValue("/login");
        assertThat(unknownSession.statusCode()).isEqualTo(303);
        assertThat(unknownSession.headers().firstValue("Location")).hasValue("/login");
        assertThat(portal.services.devices.queries).isEmpty();
        assertThat(portal.services.audit.entries).isEmpty();
    }

    @Test
    void devicesListsTheAccountsOrganizationsDevicesOnly(Portal portal) {
        Account account = portal.services.accounts.add(EMAIL, PASSWORD);
        portal.services.devices.put(account.organizationId(),
                device("ada-laptop", "ada", CaptureState.RECORDING, "", 4,
                        TestServices.NOW.minus(Duration.ofMinutes(3)), false));
        Account stranger = portal.services.accounts.add("eve@example.org", "another long password");
        portal.services.devices.put(stranger.organizationId(), device("eve-secret-host", CaptureState.RECORDING));
        String session = portal.signIn(EMAIL, PASSWORD);

        HttpResponse<String> response = portal.get("/devices", session);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.body())
                .contains("<td class=\"hostname\">ada-laptop</td>")
                .contains("<td class=\"os-user\">ada</td>")
                .contains("<td class=\"os\">Linux 6.1</td>")
                .contains("<td class=\"agent-version\">0.2.0</td>")
                .contains("<td class=\"num policy-version\">4</td>")
                .contains("<span class=\"state recording\">Recording</span>")
                .contains("<time datetime=\"2026-11-02T08:00:00Z\" title=\"2026-11-02 08:00:00 UTC\">2 Nov 2026</time>")
                .contains("<time datetime=\"2026-11-29T10:12:30Z\" title=\"2026-11-29 10:12:30 UTC\">3 min ago</time>")
                .doesNotContain("eve-secret-host", "Revoked", "class=\"detail\"");
        assertThat(portal.services.devices.queries).containsExactly(account.organizationId());
    }

    @Test
    void aWaylandSessionIsReportedInPlainWordsWithTheAgentsOwnDetail(Portal portal) {
        Account account = portal.services.accounts.add(EMAIL, PASSWORD);
        portal.services.devices.put(account.organizationId(), device("wayland-box", "ada",
                CaptureState.WAYLAND_UNSUPPORTED, WAYLAND_DETAIL, 0, TestServices.NOW, false));
        String session = portal.signIn(EMAIL, PASSWORD);

        String body = portal.get("/devices", session).body();

        assertThat(body)
                .contains("<td class=\"capture\" data-state=\"WAYLAND_UNSUPPORTED\">")
                .contains("<span class=\"state not-recording\">"
                        + "Not recording: Wayland session — foreground tracking unavailable</span>")
                .contains("<span class=\"detail\">" + WAYLAND_DETAIL + "</span>")
                .contains("<td class=\"num policy-version\">0 (built-in defaults)</td>")
                .contains(">just now</time>");
    }

    @Test
    void aDevicesClockIsShownAgainstTheServersAndAClockOffByAMinuteOrMoreStandsOut(Portal portal) {
        Account account = portal.services.accounts.add(EMAIL, PASSWORD);
        DeviceSummary base = device("base", CaptureState.RECORDING);
        java.util.function.BiFunction<String, java.util.Optional<Duration>, DeviceSummary> with = (name, skew) ->
                new DeviceSummary(UUID.randomUUID(), name, "Linux 6.1", "ada", "0.2.0", CaptureState.RECORDING, "",
                        1, base.enrolledAt(), base.lastSeen(), false, skew);
        portal.services.devices.put(account.organizationId(),
                with.apply("a-in-time", java.util.Optional.of(Duration.ofMillis(-1200))),
                with.apply("b-ahead", java.util.Optional.of(Duration.ofSeconds(4 * 60 + 59))),
                with.apply("c-behind", java.util.Optional.of(Duration.ofSeconds(-40))),
                with.apply("d-days", java.util.Optional.of(Duration.ofDays(2).plusHours(3))),
                with.apply("e-unknown", java.util.Optional.empty()));
        String session = portal.signIn(EMAIL, PASSWORD);

        String body = portal.get("/devices", session).body();

        assertThat(body)
                .contains("<td class=\"clock\"><span class=\"state neutral\">in time</span></td>")
                .contains("<td class=\"clock\"><span class=\"state not-recording\">4 min ahead</span></td>")
                .contains("<td class=\"clock\"><span class=\"state neutral\">40 s behind</span></td>")
                .contains("<td class=\"clock\"><span class=\"state not-recording\">2 days ahead</span></td>")
                .contains("<td class=\"clock\"><span class=\"state neutral\">—</span></td>");
    }

    @Test
    void privateTimeAnUnreportedAndARevokedDeviceAreShownAsSuch(Portal portal) {
        Account account = portal.services.accounts.add(EMAIL, PASSWORD);
        portal.services.devices.put(account.organizationId(),
                device("paused-box", CaptureState.PAUSED),
                device("new-box", CaptureState.UNKNOWN),
                device("old-box", "ada", CaptureState.RECORDING, "", 1,
                        TestServices.NOW.minus(Duration.ofDays(3)), true));
        String session = portal.signIn(EMAIL, PASSWORD);

        String body = portal.get("/devices", session).body();

        assertThat(body)
                .contains("<span class=\"state neutral\">Private time</span>")
                .contains("<span class=\"state neutral\">No report yet</span>")
                .contains("<tr class=\"revoked\">")
                .contains("<td class=\"hostname\">old-box <span class=\"badge\">Revoked</span></td>")
                .contains(">3 days ago</time>");
        assertThat(body.split("<tr class=\"revoked\">", -1)).hasSize(2);
        assertThat(body.indexOf("paused-box")).isLessThan(body.indexOf("new-box"));
        assertThat(body.indexOf("new-box")).isLessThan(body.indexOf("old-box"));
    }

    @Test
    void withoutDevicesThePageSaysSo(Portal portal) {
        portal.services.accounts.add(EMAIL, PASSWORD);
        String session = portal.signIn(EMAIL, PASSWORD);

        String body = portal.get("/devices", session).body();

        assertThat(body).contains("No devices enrolled yet.").doesNotContain("<table");
    }

    @Test
    void whatAgentsReportIsEscaped(Portal portal) {
        Account account = portal.services.accounts.add(EMAIL, PASSWORD);
        portal.services.devices.put(account.organizationId(), device("<b>x</b>", "\"><script>alert(1)</script>",
                CaptureState.PERMISSION_MISSING, "<img src=x onerror=alert(1)>", 1, TestServices.NOW, false));
        String session = portal.signIn(EMAIL, PASSWORD);

        String body = portal.get("/devices", session).body();

        assertThat(body)
                .contains("<td class=\"hostname\">&lt;b&gt;x&lt;/b&gt;</td>")
                .contains("<td class=\"os-user\">\"&gt;&lt;script&gt;alert(1)&lt;/script&gt;</td>")
                .contains("<span class=\"detail\">&lt;img src=x onerror=alert(1)&gt;</span>")
                .doesNotContain("<b>x", "<script", "<img");
    }

    @Test
    void everyDevicesViewIsAuditLogged(Portal portal) {
        Account account = portal.services.accounts.add(EMAIL, PASSWORD);
        String session = portal.signIn(EMAIL, PASSWORD);

        portal.get("/devices", session);
        portal.get("/devices", session);

        assertThat(portal.services.audit.entries).containsExactly(
                new Entry(account.organizationId(), account.id(), "sign-in", "portal"),
                new Entry(account.organizationId(), account.id(), "view-devices", "devices"),
                new Entry(account.organizationId(), account.id(), "view-devices", "devices"));
    }

    @Test
    void devicesAreNotShownWhenTheAuditLogCannotRecordTheView(Portal portal) {
        Account account = portal.services.accounts.add(EMAIL, PASSWORD);
        portal.services.devices.put(account.organizationId(), device("ada-laptop", CaptureState.RECORDING));
        String session = portal.signIn(EMAIL, PASSWORD);
        portal.services.audit.failing = true;

        HttpResponse<String> response = portal.get("/devices", session);

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).doesNotContain("ada-laptop");
    }

    @Test
    void theNavigationMarksTheCurrentSectionAndIsOnlyShownWhenSignedIn(Portal portal) {
        portal.services.accounts.add(EMAIL, PASSWORD);
        String login = portal.get("/login").body();
        String session = portal.signIn(EMAIL, PASSWORD);

        String dashboard = portal.get("/dashboard", session).body();
        String devices = portal.get("/devices", session).body();

        assertThat(login).doesNotContain("<nav class=\"sections\"", "href=\"/devices\"");
        assertThat(dashboard)
                .contains("<nav class=\"sections\" aria-label=\"Portal\">")
                .contains("<a href=\"/dashboard\" aria-current=\"page\">Dashboard</a>")
                .contains("<a href=\"/devices\">Devices</a>");
        assertThat(devices)
                .contains("<a href=\"/dashboard\">Dashboard</a>")
                .contains("<a href=\"/devices\" aria-current=\"page\">Devices</a>")
                .doesNotContain("<script", "<style", "style=\"");
    }
}
