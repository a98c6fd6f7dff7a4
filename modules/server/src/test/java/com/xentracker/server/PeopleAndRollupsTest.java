package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.Span;
import com.xentracker.core.activity.WebPage;
import com.xentracker.server.ServerFixture.EnrolledDevice;
import com.xentracker.server.Administration;
import com.xentracker.server.organization.Category;
import com.xentracker.server.organization.CategoryRule;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.people.Person;
import com.xentracker.transport.envelope.BatchBinding;
import com.xentracker.transport.envelope.BatchSealer;
import com.xentracker.testing.https.Https;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.EnrollmentRequest;
import com.xentracker.transport.wire.EnrollmentResponse;
import com.xentracker.transport.wire.Routes;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Spans carry the person behind the device account and the web page; rollups follow people and categories. */
class PeopleAndRollupsTest {

    /** The day after the data (2026-11-02). */
    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-11-03T12:00:00Z"));

    private static Instant at(String hhmm) {
        return Instant.parse("2026-11-02T" + hhmm + ":00Z");
    }

    private static Span active(String application, String from, String to) {
        return Span.of(at(from), at(to), Activity.active(application, "/usr/bin/" + application, Optional.empty()));
    }

    private static Span browsing(String domain, Optional<String> url, String from, String to) {
        return Span.of(at(from), at(to), Activity.active("chromium", "/usr/lib/chromium/chromium", Optional.empty())
                .withPage(new WebPage(domain, url)));
    }

    private void upload(EnrolledDevice device, long sequence, Span... spans) {
        Https.Response response = server.upload(device, sequence, List.of(spans));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    private EnrolledDevice enrollAs(Organization organization, String osUser) {
        KeyPair keys = DeviceKeys.generate();
        EnrollmentRequest request = new EnrollmentRequest(server.token(organization).token(),
                Pem.encodePublicKey(keys.getPublic()), "host-of-" + osUser, "Linux 6.1", osUser, "0.1.0-test");
        Https.Response response = server.https().post(Routes.ENROLL, "application/json",
                server.codec().encode(request));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return new EnrolledDevice(keys, server.codec().decode(response.body(), EnrollmentResponse.class));
    }

    private Operator admin() {
        return new Operator(server.server());
    }

    private static List<String> strings(String sql, Object argument) {
        return server.jdbi().withHandle(handle -> handle.createQuery(sql).bind(0, argument).mapTo(String.class)
                .list());
    }

    /** category → active milliseconds of the organization's rollups, e.g. "Development=600000". */
    private List<String> activeByCategory(Organization organization) {
        return strings("""
                SELECT category || '=' || sum(active_ms) FROM rollups WHERE organization_id = ?
                GROUP BY category ORDER BY category""", organization.id());
    }

    @Test
    void theWebPageIsStoredWithTheSpanAndRolledUpByDomain() {
        Organization organization = server.newOrganization();
        EnrolledDevice device = server.enroll(organization);
        upload(device, 0, browsing("docs.example.com", Optional.of("https://docs.example.com/a?b"), "09:00", "09:10"),
                browsing("news.example.org", Optional.empty(), "09:10", "09:15"));

        assertThat(strings("SELECT domain || ' ' || coalesce(url, '-') FROM spans WHERE device_id = ? ORDER BY start_at",
                device.id()))
                .containsExactly("docs.example.com https://docs.example.com/a?b", "news.example.org -");
        assertThat(strings("""
                SELECT application || ' ' || domain || ' ' || active_ms FROM rollups WHERE device_id = ?
                ORDER BY domain""", device.id()))
                .containsExactly("chromium docs.example.com 600000", "chromium news.example.org 300000");
    }

    @Test
    void textWithQuotesCommasNewlinesAndBackslashesIsStoredExactly() {
        Organization organization = server.newOrganization();
        EnrolledDevice device = server.enroll(organization);
        String title = "a \"quoted\", comma\nnew line \\N back\\slash \t tab";
        upload(device, 0, Span.of(at("09:00"), at("09:01"),
                Activity.active("ed,it\"or", "/opt/x\\y", Optional.of(title))));

        assertThat(strings("SELECT title FROM spans WHERE device_id = ?", device.id())).containsExactly(title);
        assertThat(strings("SELECT application || '|' || executable FROM spans WHERE device_id = ?", device.id()))
                .containsExactly("ed,it\"or|/opt/x\\y");
    }

    @Test
    void rollupsHoldActiveIdleAndLockedTimeOnceEvenWhenABatchIsRepeated() {
        Organization organization = server.newOrganization();
        EnrolledDevice device = server.enroll(organization);
        Span[] spans = {active("editor", "09:00", "09:30"),
                Span.of(at("09:30"), at("09:40"), Activity.of(ActivityState.IDLE)),
                Span.of(at("09:40"), at("09:45"), Activity.of(ActivityState.LOCKED)),
                Span.of(at("09:45"), at("09:50"), Activity.of(ActivityState.PAUSED))};
        // A retry sends the very bytes it sent before (the agent keeps them until the server acknowledges).
        byte[] sealed = device.sealing().seal(0, List.of(spans));
        for (int attempt = 0; attempt < 2; attempt++) {
            Https.Response response = device.sealing().post(server.https(), 0, sealed);
            assertThat(response.status()).as(response.text()).isEqualTo(200);
        }

        assertThat(strings("""
                SELECT sum(active_ms) || ' ' || sum(idle_ms) || ' ' || sum(locked_ms) FROM rollups
                WHERE organization_id = ?""", organization.id()))
                .containsExactly(30 * 60_000 + " " + 10 * 60_000 + " " + 5 * 60_000);
        assertThat(server.count("SELECT last_sequence FROM devices WHERE id = ?", device.id())).isZero();
    }

    @Test
    void theSameLoginOnTwoDevicesIsOnePersonUntilAnAdministratorMapsItElsewhere() {
        Organization organization = server.newOrganization();
        EnrolledDevice laptop = enrollAs(organization, "Alice");
        EnrolledDevice desktop = enrollAs(organization, "alice");
        upload(laptop, 0, active("editor", "09:00", "09:10"));
        upload(desktop, 0, active("editor", "10:00", "10:20"));

        List<Person> people = admin().people(organization.id());
        assertThat(people).singleElement().satisfies(p -> assertThat(p.login()).contains("alice"));
        UUID alice = people.get(0).id();
        assertThat(admin().deviceUsers(organization.id())).extracting(u -> u.person().orElseThrow()).containsOnly(alice);

        Person bob = admin().createPerson(organization.id(), "Bob");
        admin().assignPerson(organization.id(), desktop.id(), "alice", bob.id());

        assertThat(server.count("SELECT count(*) FROM spans WHERE device_id = ? AND person_id = ?", desktop.id(),
                bob.id())).isEqualTo(1);
        assertThat(server.count("SELECT sum(active_ms) FROM rollups WHERE organization_id = ? AND person_id = ?",
                organization.id(), bob.id())).isEqualTo(20 * 60_000);
        assertThat(server.count("SELECT sum(active_ms) FROM rollups WHERE organization_id = ? AND person_id = ?",
                organization.id(), alice)).isEqualTo(10 * 60_000);
        // and new uploads of that account are Bob's
        upload(desktop, 1, active("editor", "11:00", "11:05"));
        assertThat(server.count("SELECT sum(active_ms) FROM rollups WHERE organization_id = ? AND person_id = ?",
                organization.id(), bob.id())).isEqualTo(25 * 60_000);
    }

    @Test
    void categoriesComeFromRulesAndARuleChangeRecomputesRollupsInTheBackground() {
        Organization organization = server.newOrganization();
        Category development = admin().createCategory(organization.id(), "Development");
        Category reading = admin().createCategory(organization.id(), "Reading");
        admin().addCategoryRule(organization.id(), development.id(), CategoryRule.Kind.APPLICATION, "Editor");
        EnrolledDevice device = server.enroll(organization);
        server.server().jobs().runDue();
        upload(device, 0, active("editor", "09:00", "09:10"), browsing("docs.example.com", Optional.empty(),
                "09:10", "09:15"), active("game", "09:15", "09:16"));

        assertThat(activeByCategory(organization)).containsExactly("=360000", "Development=600000");

        // a domain rule covers subdomains; the change is queued and applied to existing rollups by the job
        admin().addCategoryRule(organization.id(), reading.id(), CategoryRule.Kind.DOMAIN, "example.com");
        server.clock().advance(java.time.Duration.ofMinutes(1));
        server.server().jobs().runDue();

        assertThat(activeByCategory(organization)).containsExactly("=60000", "Development=600000",
                "Reading=300000");
        assertThat(server.count("""
                SELECT count(*) FROM rollup_recompute WHERE organization_id = ? AND finished_at IS NULL""",
                organization.id())).as("no request left pending").isZero();
        assertThat(admin().categories(organization.id())).extracting(Category::name)
                .containsExactly("Development", "Reading");

        // a new batch is categorised by both kinds of rule at ingest
        upload(device, 1, browsing("www.example.com", Optional.empty(), "10:00", "10:02"),
                active("editor", "10:02", "10:03"), active("game", "10:03", "10:04"));

        assertThat(activeByCategory(organization)).containsExactly("=120000", "Development=660000",
                "Reading=420000");
    }

    @Test
    void deletingAPersonOrADeviceRemovesTheirDataEverywhere() {
        Organization organization = server.newOrganization();
        EnrolledDevice kept = enrollAs(organization, "carol");
        EnrolledDevice deleted = enrollAs(organization, "dave");
        upload(kept, 0, active("editor", "09:00", "09:10"));
        upload(deleted, 0, active("editor", "09:00", "09:10"));
        UUID carol = admin().deviceUsers(organization.id()).stream().filter(u -> u.deviceId().equals(kept.id()))
                .findFirst().orElseThrow().person().orElseThrow();

        assertThat(server.count("SELECT count(*) FROM batch_arrivals WHERE device_id = ?", deleted.id())).isOne();
        admin().deleteDevice(organization.id(), deleted.id());
        for (String table : List.of("spans", "gaps", "rollups", "batches", "device_users", "batch_arrivals",
                "sequence_gaps")) {
            assertThat(server.count("SELECT count(*) FROM " + table + " WHERE device_id = ?", deleted.id()))
                    .as(table).isZero();
        }
        assertThat(server.count("SELECT count(*) FROM devices WHERE id = ?", deleted.id())).isZero();

        admin().deletePerson(organization.id(), carol);
        for (String table : List.of("spans", "rollups", "device_users")) {
            assertThat(server.count("SELECT count(*) FROM " + table + " WHERE person_id = ?", carol)).as(table)
                    .isZero();
        }
        assertThat(admin().people(organization.id())).extracting(Person::id).doesNotContain(carol);
    }

    @Test
    void retentionSettingsAreValidatedAndKeptPerOrganization() {
        Organization organization = server.newOrganization();
        var settings = new com.xentracker.server.organization.RetentionSettings(30, 12, 365);
        admin().updateRetention(organization.id(), settings);
        assertThat(admin().retention(organization.id())).isEqualTo(settings);
        assertThat(admin().retention(server.newOrganization().id()))
                .isEqualTo(com.xentracker.server.organization.RetentionSettings.DEFAULTS);
        assertThatThrownBy(() -> new com.xentracker.server.organization.RetentionSettings(0, 12, 365))
                .isInstanceOf(InvalidRequestException.class);
    }
}
