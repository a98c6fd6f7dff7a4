package com.xentracker.portal;

import static com.xentracker.portal.PortalServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.server.access.Role;
import com.xentracker.server.audit.AuditEntry;
import com.xentracker.server.audit.Outcome;
import com.xentracker.server.device.DeviceSummary;
import com.xentracker.server.organization.Organization;
import com.xentracker.transport.ServerRejectedRequestException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Revoking and deleting devices on the devices page: a confirmation step that says what happens, then a POST with the
 * session's CSRF token; owners and administrators only, decided by the server.
 */
class DeviceActionsTest {

    @RegisterExtension
    static final PortalServer server = new PortalServer();

    private final Portal portal = server.portal();

    private String signedIn(Organization organization, Role role) {
        return portal.signIn(server.account(organization, role).email(), PASSWORD);
    }

    private static List<Span> work() {
        Instant nine = PortalServer.START.minus(Duration.ofHours(1));
        return List.of(Span.of(nine, nine.plus(Duration.ofMinutes(30)),
                Activity.active("writer", "/usr/bin/writer", Optional.empty())));
    }

    private Optional<DeviceSummary> device(Organization organization, UUID id) {
        return server.services().devices().list(server.operator(organization)).stream()
                .filter(device -> device.id().equals(id)).findFirst();
    }

    private static String upload(TestAgent agent) {
        return catchThrowableOfType(ServerRejectedRequestException.class,
                () -> agent.upload(List.of(), Optional.empty(), Optional.empty())).code();
    }

    @Test
    void ownersAndAdministratorsSeeRevokeAndDeleteLinksAuditorsNone() {
        Organization organization = server.newOrganization();
        TestAgent laptop = server.deviceWith(organization, "ada-laptop", "ada", List.of());
        TestAgent old = server.deviceWith(organization, "old-box", "ada", List.of());
        server.services().devices().revoke(server.operator(organization), old.id());

        String admin = portal.get("/devices", signedIn(organization, Role.ADMIN)).body();
        String auditor = portal.get("/devices", signedIn(organization, Role.AUDITOR)).body();

        assertThat(admin)
                .contains("<a href=\"/devices/revoke?device=" + laptop.id() + "\" class=\"action\">Revoke…</a>")
                .contains("<a href=\"/devices/delete?device=" + laptop.id() + "\" class=\"action danger\">Delete…</a>")
                .contains("<a href=\"/devices/delete?device=" + old.id() + "\"")
                .doesNotContain("/devices/revoke?device=" + old.id());
        assertThat(auditor).contains("ada-laptop").doesNotContain("/devices/revoke", "/devices/delete", "Actions");
    }

    @Test
    void revokingAsksFirstThenTheDevicesUploadsAreRefusedAndItsDataStays() {
        Organization organization = server.newOrganization();
        TestAgent laptop = server.deviceWith(organization, "ada-laptop", "ada", work());
        String session = signedIn(organization, Role.ADMIN);

        HttpResponse<String> confirm = portal.get("/devices/revoke?device=" + laptop.id(), session);

        assertThat(confirm.statusCode()).isEqualTo(200);
        assertThat(confirm.body())
                .contains("<h1>Revoke ada-laptop?</h1>")
                .contains("refuses its uploads from now on", "says that the device was revoked",
                        "cannot be restored", "enroll --replace")
                .contains("<form method=\"post\" action=\"/devices/revoke\">")
                .contains("<input type=\"hidden\" name=\"deviceId\" value=\"" + laptop.id() + "\">")
                .contains("Revoke the device");
        assertThat(device(organization, laptop.id()).orElseThrow().revoked()).as("asking changes nothing").isFalse();

        HttpResponse<String> revoked = portal.post("/devices/revoke",
                Map.of("csrf", Portal.csrfIn(confirm.body()), "deviceId", laptop.id().toString()), session);

        assertThat(revoked.statusCode()).isEqualTo(303);
        assertThat(revoked.headers().firstValue("Location")).hasValue("/devices");
        assertThat(device(organization, laptop.id()).orElseThrow().revoked()).isTrue();
        assertThat(upload(laptop)).isEqualTo("device-revoked");
        assertThat(portal.get("/overview", session).body()).as("its data stays").contains("writer");
        assertThat(portal.get("/devices", session).body()).contains("ada-laptop <span class=\"badge\">Revoked</span>");
        assertThat(portal.get("/devices/revoke?device=" + laptop.id(), session).body())
                .contains("The device is revoked already.").doesNotContain("<form method=\"post\" action=\"/devices");
        assertThat(server.audit(organization, "revoke-device")).singleElement()
                .satisfies(entry -> assertThat(entry.subject().device()).contains(laptop.id()));
    }

    @Test
    void deletingSaysWhatIsDeletedAndThatItCannotBeUndoneThenRemovesTheDeviceAndItsData() {
        Organization organization = server.newOrganization();
        TestAgent laptop = server.deviceWith(organization, "ada-laptop", "ada", work());
        server.deviceWith(organization, "bob-laptop", "bob", List.of());
        String session = signedIn(organization, Role.OWNER);

        HttpResponse<String> confirm = portal.get("/devices/delete?device=" + laptop.id(), session);

        assertThat(confirm.statusCode()).isEqualTo(200);
        assertThat(confirm.body())
                .contains("<h1>Delete ada-laptop?</h1>")
                .contains("deletes everything it sent", "every span and gap", "daily totals", "upload history")
                .contains("This cannot be undone.", "revoke it instead")
                .contains("<form method=\"post\" action=\"/devices/delete\">")
                .contains("Delete the device and its data");

        HttpResponse<String> deleted = portal.post("/devices/delete",
                Map.of("csrf", Portal.csrfIn(confirm.body()), "deviceId", laptop.id().toString()), session);

        assertThat(deleted.statusCode()).isEqualTo(303);
        assertThat(device(organization, laptop.id())).isEmpty();
        String devices = portal.get("/devices", session).body();
        assertThat(devices).contains("bob-laptop").doesNotContain("ada-laptop");
        assertThat(portal.get("/overview", session).body()).doesNotContain("writer");
        assertThat(upload(laptop)).isEqualTo("device-unknown");
        assertThat(portal.get("/devices/delete?device=" + laptop.id(), session).statusCode()).isEqualTo(404);
    }

    @Test
    void withoutTheSessionsCsrfTokenNothingHappens() {
        Organization organization = server.newOrganization();
        TestAgent laptop = server.deviceWith(organization, "ada-laptop", "ada", List.of());
        String session = signedIn(organization, Role.OWNER);

        HttpResponse<String> revoke = portal.post("/devices/revoke",
                Map.of("csrf", "forged", "deviceId", laptop.id().toString()), session);
        HttpResponse<String> delete = portal.post("/devices/delete", Map.of("deviceId", laptop.id().toString()),
                session);

        assertThat(revoke.statusCode()).isEqualTo(403);
        assertThat(delete.statusCode()).isEqualTo(403);
        assertThat(device(organization, laptop.id())).hasValueSatisfying(d -> assertThat(d.revoked()).isFalse());
        assertThat(server.audit(organization, "revoke-device")).isEmpty();
    }

    @Test
    void anAuditorsRevokeAndDeleteAreRefusedByTheServerAndAudited() {
        Organization organization = server.newOrganization();
        TestAgent laptop = server.deviceWith(organization, "ada-laptop", "ada", List.of());
        String session = signedIn(organization, Role.AUDITOR);
        String csrf = Portal.csrfIn(portal.get("/devices", session).body());

        HttpResponse<String> revoke = portal.post("/devices/revoke",
                Map.of("csrf", csrf, "deviceId", laptop.id().toString()), session);
        HttpResponse<String> delete = portal.post("/devices/delete",
                Map.of("csrf", csrf, "deviceId", laptop.id().toString()), session);

        assertThat(revoke.statusCode()).isEqualTo(403);
        assertThat(revoke.body()).contains("does not allow revoke-device");
        assertThat(delete.statusCode()).isEqualTo(403);
        assertThat(device(organization, laptop.id())).hasValueSatisfying(d -> assertThat(d.revoked()).isFalse());
        assertThat(server.audit(organization, "revoke-device")).extracting(AuditEntry::outcome)
                .containsExactly(Outcome.DENIED);
        assertThat(server.audit(organization, "delete-device")).extracting(AuditEntry::outcome)
                .containsExactly(Outcome.DENIED);
    }

    @Test
    void anUnknownOrMalformedDeviceIsNotFoundOrRefused() {
        Organization organization = server.newOrganization();
        String session = signedIn(organization, Role.OWNER);
        String csrf = Portal.csrfIn(portal.get("/devices", session).body());

        HttpResponse<String> unknown = portal.get("/devices/revoke?device=" + UUID.randomUUID(), session);
        HttpResponse<String> malformed = portal.get("/devices/delete?device=nope", session);
        HttpResponse<String> postUnknown = portal.post("/devices/revoke",
                Map.of("csrf", csrf, "deviceId", UUID.randomUUID().toString()), session);

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("The organization has no such device.");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(postUnknown.statusCode()).isEqualTo(404);
    }
}
