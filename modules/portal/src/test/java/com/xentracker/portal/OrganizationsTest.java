package com.xentracker.portal;

import static com.xentracker.portal.PortalServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.server.access.Role;
import com.xentracker.server.device.DeviceSummary;
import com.xentracker.server.device.EnrollmentToken;
import com.xentracker.server.device.IssuedEnrollmentToken;
import com.xentracker.server.organization.Organization;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two organizations on one host (an MSP's clients): each owner sees only its own organization's tokens, devices and
 * data, cannot act on the other's by id (a 404 page, as for an unknown id), and the portal names no other
 * organization and offers no way to switch.
 */
class OrganizationsTest {

    @RegisterExtension
    static final PortalServer server = new PortalServer();

    private static final String ACME = "Acme Corporation " + UUID.randomUUID();
    private static final String GLOBEX = "Globex Industries " + UUID.randomUUID();
    private static final List<String> PAGES = List.of("/overview", "/devices", "/enrollment", "/people");

    private static Organization acme;
    private static Organization globex;
    private static IssuedEnrollmentToken acmeToken;
    private static IssuedEnrollmentToken globexToken;
    private static TestAgent acmeDevice;
    private static TestAgent globexDevice;

    private final Portal portal = server.portal();

    private static List<Span> using(String application) {
        Instant start = PortalServer.START.minus(Duration.ofHours(2));
        return List.of(Span.of(start, start.plus(Duration.ofMinutes(45)),
                Activity.active(application, "/usr/bin/" + application, Optional.empty())));
    }

    @BeforeAll
    static void twoOrganizationsWithTheirOwnOwnersTokensDevicesAndData() {
        acme = server.server().administration().createOrganization(ACME, ZoneId.of("Europe/Berlin"));
        globex = server.server().administration().createOrganization(GLOBEX, ZoneId.of("America/New_York"));
        acmeToken = server.services().enrollmentTokens().issue(server.operator(acme), "acme-laptops",
                Duration.ofDays(7), 10);
        globexToken = server.services().enrollmentTokens().issue(server.operator(globex), "globex-kiosks",
                Duration.ofDays(7), 10);
        acmeDevice = TestAgent.enroll(server.server(), acmeToken.token(), "acme-host", "road-runner");
        acmeDevice.upload(using("acme-rocket-editor"), Optional.empty(), Optional.empty());
        globexDevice = TestAgent.enroll(server.server(), globexToken.token(), "globex-host", "hank-scorpio");
        globexDevice.upload(using("globex-doomsday-planner"), Optional.empty(), Optional.empty());
    }

    private String owner(Organization organization) {
        return portal.signIn(server.account(organization, Role.OWNER).email(), PASSWORD);
    }

    private EnrollmentToken token(Organization organization, UUID id) {
        return server.services().enrollmentTokens().list(server.operator(organization)).stream()
                .filter(token -> token.id().equals(id)).findFirst().orElseThrow();
    }

    private DeviceSummary device(Organization organization, UUID id) {
        return server.services().devices().list(server.operator(organization)).stream()
                .filter(device -> device.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void eachOwnerSeesOnlyItsOwnOrganizationsTokensDevicesAndData() {
        String acmeOwner = owner(acme);
        String globexOwner = owner(globex);

        Map<String, String> acmePages = new java.util.LinkedHashMap<>();
        Map<String, String> globexPages = new java.util.LinkedHashMap<>();
        for (String path : PAGES) {
            HttpResponse<String> ofAcme = portal.get(path, acmeOwner);
            HttpResponse<String> ofGlobex = portal.get(path, globexOwner);
            assertThat(ofAcme.statusCode()).as(path).isEqualTo(200);
            assertThat(ofGlobex.statusCode()).as(path).isEqualTo(200);
            acmePages.put(path, ofAcme.body());
            globexPages.put(path, ofGlobex.body());
        }

        assertThat(acmePages.get("/enrollment")).contains("acme-laptops", acmeToken.id().toString());
        assertThat(acmePages.get("/devices")).contains("acme-host", "road-runner");
        assertThat(acmePages.get("/overview")).contains("acme-rocket-editor");
        assertThat(acmePages.get("/people")).contains("road-runner");
        assertThat(globexPages.get("/enrollment")).contains("globex-kiosks", globexToken.id().toString());
        assertThat(globexPages.get("/devices")).contains("globex-host", "hank-scorpio");
        assertThat(globexPages.get("/overview")).contains("globex-doomsday-planner");
        acmePages.forEach((path, body) -> assertThat(body).as(path).doesNotContain("globex", "Globex",
                globexToken.id().toString(), globexDevice.id().toString(), globex.id().toString(), "hank-scorpio"));
        globexPages.forEach((path, body) -> assertThat(body).as(path).doesNotContain("acme", "Acme",
                acmeToken.id().toString(), acmeDevice.id().toString(), acme.id().toString(), "road-runner"));
    }

    @Test
    void thePortalOffersNoOrganizationSwitcherAndTakesNoOrganizationFromTheRequest() {
        String acmeOwner = owner(acme);

        for (String path : PAGES) {
            String body = portal.get(path, acmeOwner).body();
            assertThat(body).as(path).doesNotContainIgnoringCase("name=\"organization")
                    .doesNotContainIgnoringCase("switch organization")
                    .doesNotContain(globex.id().toString(), GLOBEX);
            // an organization named in the request changes nothing
            String withParameter = portal.get(path + "?organization=" + globex.id() + "&organizationId="
                    + globex.id(), acmeOwner).body();
            assertThat(withParameter).as(path).doesNotContain("globex-", "hank-scorpio");
        }
    }

    @Test
    void anOwnerCannotRevokeOrDeleteAnotherOrganizationsTokenOrDeviceByItsId() {
        String acmeOwner = owner(acme);
        String csrf = Portal.csrfIn(portal.get("/enrollment", acmeOwner).body());

        HttpResponse<String> revokeToken = portal.post("/enrollment/revoke",
                Map.of("csrf", csrf, "tokenId", globexToken.id().toString()), acmeOwner);
        HttpResponse<String> confirmRevoke = portal.get("/devices/revoke?device=" + globexDevice.id(), acmeOwner);
        HttpResponse<String> confirmDelete = portal.get("/devices/delete?device=" + globexDevice.id(), acmeOwner);
        HttpResponse<String> revokeDevice = portal.post("/devices/revoke",
                Map.of("csrf", csrf, "deviceId", globexDevice.id().toString()), acmeOwner);
        HttpResponse<String> deleteDevice = portal.post("/devices/delete",
                Map.of("csrf", csrf, "deviceId", globexDevice.id().toString()), acmeOwner);

        for (HttpResponse<String> refused : List.of(revokeToken, confirmRevoke, confirmDelete, revokeDevice,
                deleteDevice)) {
            assertThat(refused.statusCode()).as(refused.uri().toString()).isEqualTo(404);
            assertThat(refused.body()).doesNotContain("globex-host", "hank-scorpio", GLOBEX);
        }
        assertThat(token(globex, globexToken.id()).state(server.clock().instant()))
                .isEqualTo(EnrollmentToken.State.USABLE);
        assertThat(device(globex, globexDevice.id()).revoked()).isFalse();
        globexDevice.upload(List.of(), Optional.empty(), Optional.empty());
        // the refusals are Acme's to see (its owner tried), not Globex's
        assertThat(server.audit(globex, "revoke-enrollment-token")).isEmpty();
        assertThat(server.audit(globex, "revoke-device")).isEmpty();
        assertThat(server.audit(acme, "revoke-device")).isNotEmpty();
    }
}
