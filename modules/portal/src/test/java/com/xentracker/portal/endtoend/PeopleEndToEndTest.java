package com.xentracker.portal.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.collector.enrollment.EnrolledDevice;
import com.xentracker.collector.enrollment.Enrollment;
import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.NoSuchDeviceException;
import com.xentracker.server.ServerConfig;
import com.xentracker.server.XentrackerServer;
import com.xentracker.server.admin.DataAdministration;
import com.xentracker.server.admin.DeviceUser;
import com.xentracker.server.admin.Organization;
import com.xentracker.server.admin.Person;
import com.xentracker.testing.clock.MutableClock;
import com.xentracker.transport.pki.PinnedTrust;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The people page on the real server (HTTPS, embedded PostgreSQL, the server's own data administration): what it
 * lists, and that its assign form changes the mapping the server keeps, in the signed-in account's organization
 * only. Each test has organizations of its own; the server is shared to keep the class fast.
 */
class PeopleEndToEndTest {

    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @TempDir
    static Path dir;

    private static XentrackerServer server;
    private static PortalBrowser browser;

    @BeforeAll
    static void startServer() {
        // nothing here depends on the date; the clock starts at a fixed one all the same
        server = XentrackerServer.start(ServerConfig.forDataDirectory(dir.resolve("server")).withHttpsPort(0),
                MutableClock.at("2026-11-03T12:00:00Z"));
        browser = new PortalBrowser(server.baseUri(), HttpClient.newBuilder()
                .sslContext(PinnedTrust.trusting(server.certificateAuthority()))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** An organization with an owner signed in to the portal and one enrolled device. */
    private record Tenant(Organization organization, String owner, String session, EnrolledDevice device) {

        UUID id() {
            return organization.id();
        }

        UUID deviceId() {
            return device.deviceId();
        }
    }

    private static Tenant tenant(String name) throws Exception {
        Organization organization = server.administration().createOrganization(name, ZoneOffset.UTC);
        String owner = "owner-" + UUID.randomUUID() + "@example.org";
        server.administration().createOwner(organization.id(), owner, PASSWORD.clone());
        String token = server.administration().issueEnrollmentToken(organization.id(), Duration.ofHours(1), 1)
                .token();
        EnrolledDevice device = Enrollment.enroll(dir.resolve("agent-" + UUID.randomUUID()), server.baseUri(),
                server.certificateAuthority(), token);
        return new Tenant(organization, owner, browser.signIn(owner, new String(PASSWORD)), device);
    }

    private static DataAdministration data() {
        return server.services().data();
    }

    /** The OS user the device enrolled with (the test's own user name). */
    private static String osUser(Tenant tenant) {
        return server.administration().devices(tenant.id()).get(0).osUser();
    }

    private static String csrf(String html) {
        Matcher matcher = CSRF.matcher(html);
        assertThat(matcher.find()).as("a csrf field in %s", html).isTrue();
        return matcher.group(1);
    }

    private static HttpResponse<String> assign(Tenant tenant, UUID deviceId, String osUser, String field,
            String value) throws Exception {
        String csrf = csrf(browser.page("/people", tenant.session()));
        return browser.post("/people/assign", tenant.session(),
                Map.of("csrf", csrf, "deviceId", deviceId.toString(), "osUser", osUser, field, value));
    }

    /** The person cell of the device's row in the device accounts table. */
    private static String personCellOf(String page, UUID deviceId) {
        Matcher row = Pattern.compile("<tr data-device=\"" + deviceId + "\">.*?<td class=\"person\"[^>]*>([^<]*)</td>",
                Pattern.DOTALL).matcher(page);
        assertThat(row.find()).as("a row of device %s in %s", deviceId, page).isTrue();
        return row.group(1);
    }

    @Test
    void thePageListsTheOwnOrganizationsPeopleAndDeviceAccountsOnly() throws Exception {
        Tenant acme = tenant("Acme");
        Tenant other = tenant("Other");
        Person ada = data().createPerson(acme.id(), "Ada Lovelace");
        data().assignPerson(acme.id(), acme.deviceId(), osUser(acme), ada.id());
        data().createPerson(other.id(), "Eve Outsider");

        String page = browser.page("/people", acme.session());

        assertThat(page)
                .contains("<td class=\"person-name\">Ada Lovelace</td>")
                .contains("<tr data-device=\"" + acme.deviceId() + "\">")
                .contains("<td class=\"os-user\">" + osUser(acme) + "</td>")
                .contains("<span class=\"account\" data-device=\"" + acme.deviceId() + "\">")
                .doesNotContain("Eve Outsider", other.deviceId().toString());
        assertThat(personCellOf(page, acme.deviceId())).isEqualTo("Ada Lovelace");
    }

    @Test
    void assigningAnAccountToAnotherExistingPersonChangesTheMappingAndThePage() throws Exception {
        Tenant acme = tenant("Acme");
        Person ada = data().createPerson(acme.id(), "Ada Lovelace");
        Person grace = data().createPerson(acme.id(), "Grace Hopper");
        data().assignPerson(acme.id(), acme.deviceId(), osUser(acme), ada.id());

        HttpResponse<String> response = assign(acme, acme.deviceId(), osUser(acme), "personId",
                grace.id().toString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).hasValue("/people");
        assertThat(data().deviceUsers(acme.id()))
                .containsExactly(new DeviceUser(acme.deviceId(), osUser(acme), grace.id()));
        assertThat(personCellOf(browser.page("/people", acme.session()), acme.deviceId())).isEqualTo("Grace Hopper");
    }

    @Test
    void assigningAnAccountToANewPersonCreatesThemAndChangesTheMapping() throws Exception {
        Tenant acme = tenant("Acme");

        HttpResponse<String> response = assign(acme, acme.deviceId(), osUser(acme), "newPersonName",
                "  Alan Turing ");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(303);
        List<Person> people = data().people(acme.id());
        assertThat(people).extracting(Person::displayName).containsExactly("Alan Turing");
        assertThat(data().deviceUsers(acme.id()))
                .containsExactly(new DeviceUser(acme.deviceId(), osUser(acme), people.get(0).id()));
        String page = browser.page("/people", acme.session());
        assertThat(personCellOf(page, acme.deviceId())).isEqualTo("Alan Turing");
        assertThat(page).contains("<td class=\"person-name\">Alan Turing</td>");
    }

    @Test
    void anAssignWithoutOrWithAWrongCsrfTokenChangesNothing() throws Exception {
        Tenant acme = tenant("Acme");
        Person ada = data().createPerson(acme.id(), "Ada Lovelace");
        Map<String, String> form = Map.of("deviceId", acme.deviceId().toString(), "osUser", osUser(acme),
                "personId", ada.id().toString());

        HttpResponse<String> missing = browser.post("/people/assign", acme.session(), form);
        HttpResponse<String> wrong = browser.post("/people/assign", acme.session(),
                Map.of("csrf", "forged", "deviceId", acme.deviceId().toString(), "osUser", osUser(acme),
                        "personId", ada.id().toString()));

        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(data().deviceUsers(acme.id())).isEmpty();
    }

    @Test
    void anotherOrganizationsDeviceOrPersonIsRefusedAndChangesNothing() throws Exception {
        Tenant acme = tenant("Acme");
        Tenant other = tenant("Other");
        Person ada = data().createPerson(acme.id(), "Ada Lovelace");
        Person eve = data().createPerson(other.id(), "Eve Outsider");
        data().assignPerson(other.id(), other.deviceId(), osUser(other), eve.id());
        List<DeviceUser> othersBefore = data().deviceUsers(other.id());

        // The server itself refuses them for this organization...
        assertThatThrownBy(() -> data().assignPerson(acme.id(), other.deviceId(), osUser(other), ada.id()))
                .isInstanceOf(NoSuchDeviceException.class);
        assertThatThrownBy(() -> data().assignPerson(acme.id(), acme.deviceId(), osUser(acme), eve.id()))
                .isInstanceOf(InvalidRequestException.class);
        // ...and the portal answers 400 before asking it.
        HttpResponse<String> othersDevice = assign(acme, other.deviceId(), osUser(other), "personId",
                ada.id().toString());
        HttpResponse<String> othersDeviceNewPerson = assign(acme, other.deviceId(), osUser(other), "newPersonName",
                "Mallory");
        HttpResponse<String> othersPerson = assign(acme, acme.deviceId(), osUser(acme), "personId",
                eve.id().toString());

        assertThat(List.of(othersDevice, othersDeviceNewPerson, othersPerson))
                .allSatisfy(response -> assertThat(response.statusCode()).as(response.body()).isEqualTo(400));
        assertThat(data().deviceUsers(acme.id())).isEmpty();
        assertThat(data().people(acme.id())).containsExactly(ada);
        assertThat(data().deviceUsers(other.id())).isEqualTo(othersBefore);
        assertThat(data().people(other.id())).containsExactly(eve);
    }
}
