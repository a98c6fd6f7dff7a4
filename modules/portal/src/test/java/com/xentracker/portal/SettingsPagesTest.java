package com.xentracker.portal;

import static com.xentracker.portal.PortalServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.core.policy.RedactionRule;
import com.xentracker.server.access.Role;
import com.xentracker.server.audit.AuditEntry;
import com.xentracker.server.audit.Outcome;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.organization.OrganizationSettings;
import com.xentracker.server.organization.RetentionSettings;
import java.net.http.HttpResponse;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The settings tabs against the real server: the organization's settings with mistakes shown beside their field, the
 * collection policy editor with its redaction preview, retention with what a change deletes and its confirmation, and
 * the history of every change; auditors and viewers read (or not) but never change.
 */
class SettingsPagesTest {

    @RegisterExtension
    static final PortalServer server = new PortalServer();

    private final Portal portal = server.portal();

    private String signIn(Organization organization, Role role) {
        return portal.signIn(server.account(organization, role).email(), PASSWORD);
    }

    private static Map<String, String> form(String... pairs) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            form.put(pairs[i], pairs[i + 1]);
        }
        return form;
    }

    private static CollectionPolicy policy(Organization organization) {
        return server.services().organizations().policy(server.operator(organization));
    }

    private static RetentionSettings retention(Organization organization) {
        return server.services().organizations().retention(server.operator(organization));
    }

    @Test
    void aWrongNumberIsShownBesideItsFieldWithWhatWasTypedAndNothingChanges() {
        Organization organization = server.newOrganization();
        String session = signIn(organization, Role.OWNER);
        String csrf = Portal.csrfIn(portal.get("/settings", session).body());

        HttpResponse<String> refused = portal.post("/settings", form("csrf", csrf, "name", "Kept as typed",
                "timeZone", "Asia/Tokyo", "minimumGroupSize", "0", "silentAfterHours", "24"), session);
        HttpResponse<String> notANumber = portal.post("/settings", form("csrf", csrf, "name", "Kept as typed",
                "timeZone", "Asia/Tokyo", "minimumGroupSize", "5", "silentAfterHours", "twelve"), session);

        assertThat(notANumber.statusCode()).isEqualTo(400);
        assertThat(notANumber.body()).contains("id=\"silentAfterHours-error\"").contains("A whole number, please.")
                .contains("value=\"twelve\"");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).as("the page with its navigation, not an error page")
                .contains("<nav class=\"sections\"")
                .contains("value=\"Kept as typed\"").contains("<option value=\"Asia/Tokyo\" selected>")
                .contains("id=\"minimumGroupSize-error\"")
                .contains("The minimum group size is 1 to 1000 people, not 0.").contains("aria-invalid=\"true\"")
                .contains("aria-describedby=\"group-size-note minimumGroupSize-error\"")
                .contains("Nothing was saved");
        assertThat(server.services().organizations().settings(server.operator(organization)).name())
                .isEqualTo(organization.name());

        HttpResponse<String> saved = portal.post("/settings", form("csrf", csrf, "name", "Nine to five",
                "timeZone", "Asia/Tokyo", "minimumGroupSize", "8", "silentAfterHours", "72"), session);

        assertThat(saved.statusCode()).isEqualTo(303);
        assertThat(server.services().organizations().settings(server.operator(organization)))
                .isEqualTo(new OrganizationSettings("Nine to five", ZoneId.of("Asia/Tokyo"), false, 8, 72));
        assertThat(portal.get("/settings/history?area=ORGANIZATION", session).body())
                .contains("data-label=\"Version\">1</td>").contains("data-label=\"By\">you</td>")
                .contains("\"minimumGroupSize\": 8").contains("<code>silentAfterHours</code>");
    }

    @Test
    void anAdministratorSavesThePolicyAndAgentsGetItsNextVersion() {
        Organization organization = server.newOrganization();
        String session = signIn(organization, Role.ADMIN);
        HttpResponse<String> page = portal.get("/settings/policy", session);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("The defaults: never changed").contains("value=\"3\"")
                .doesNotContain("<fieldset disabled>");
        Map<String, String> form = form("csrf", Portal.csrfIn(page.body()), "collectWindowTitles", "on",
                "idleMinutes", "0.5", "redactionPattern", "[\\w.]+@[\\w.]+", "redactionReplacement", "[email]",
                "excludedApplications", "KeePassXC\n\n signal \n", "excludedDomains", "bank.example",
                "workingHours", "on", "workingHoursZone", "Europe/Berlin", "hours-MONDAY", "8:00-12:00, 13:00-17:30",
                "privateTimeAllowed", "on");

        HttpResponse<String> saved = portal.post("/settings/policy", form, session);

        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
        CollectionPolicy policy = policy(organization);
        assertThat(policy.version()).isEqualTo(1);
        assertThat(policy.collectWindowTitles()).isTrue();
        assertThat(policy.collectFullUrls()).isFalse();
        assertThat(policy.idleThreshold()).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.titleRedactions()).containsExactly(RedactionRule.of("[\\w.]+@[\\w.]+", "[email]"));
        assertThat(policy.excludedApplications()).containsExactlyInAnyOrder("KeePassXC", "signal");
        assertThat(policy.excludedDomains()).containsExactly("bank.example");
        assertThat(policy.privateTimeAllowed()).isTrue();
        assertThat(policy.workingHours()).hasValueSatisfying(hours -> {
            assertThat(hours.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
            assertThat(hours.days().get(DayOfWeek.MONDAY)).extracting(i -> i.start() + "-" + i.end())
                    .containsExactly("08:00-12:00", "13:00-17:30");
            assertThat(hours.days().get(DayOfWeek.SUNDAY)).isEmpty();
        });
        assertThat(portal.get("/settings/policy?done=saved", session).body())
                .contains("The policy was saved as version 1").contains("value=\"0.5\"")
                .contains("value=\"08:00-12:00, 13:00-17:30\"");
        assertThat(server.audit(organization, "update-collection-policy")).singleElement()
                .satisfies(entry -> assertThat(entry.subject().text()).isEqualTo("collection policy version 1"));
    }

    @Test
    void theRedactionPreviewShowsTheSampleAsAnAgentWouldStoreItAndSavesNothing() {
        Organization organization = server.newOrganization();
        String session = signIn(organization, Role.OWNER);
        String csrf = Portal.csrfIn(portal.get("/settings/policy", session).body());

        HttpResponse<String> preview = portal.post("/settings/policy/preview", List.of(Map.entry("csrf", csrf),
                Map.entry("idleMinutes", "3"), Map.entry("redactionPattern", "[\\w.]+@[\\w.]+"),
                Map.entry("redactionReplacement", "[email]"), Map.entry("redactionPattern", ""),
                Map.entry("redactionReplacement", "dropped with its empty pattern"),
                Map.entry("redactionPattern", "(?i)invoice \\d+"), Map.entry("redactionReplacement", "invoice #"),
                Map.entry("sample", "Re: Invoice 4711 from anna@example.org - Mail")), session);

        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(preview.body()).contains("What an agent would store")
                .contains("After rule 1: <code>Re: Invoice 4711 from [email] - Mail</code>")
                .contains("After rule 2: <code>Re: invoice # from [email] - Mail</code>")
                .contains("Stored title: <code>Re: invoice # from [email] - Mail</code>")
                .doesNotContain("dropped with its empty pattern")
                .as("the form as posted, ready to save").contains("value=\"[\\w.]+@[\\w.]+\"")
                .contains("value=\"Re: Invoice 4711 from anna@example.org - Mail\"");
        assertThat(policy(organization).version()).isZero();

        HttpResponse<String> broken = portal.post("/settings/policy/preview", form("csrf", csrf, "idleMinutes", "3",
                "redactionPattern", "(unclosed", "redactionReplacement", "x", "sample", "Anything"), session);
        HttpResponse<String> emptyMatch = portal.post("/settings/policy", form("csrf", csrf, "idleMinutes", "3",
                "redactionPattern", "a*", "redactionReplacement", "x"), session);

        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(broken.body()).contains("id=\"redactionPattern-0-error\"")
                .contains("Rule 1: redaction pattern is not a valid regular expression")
                .contains("value=\"(unclosed\"");
        assertThat(emptyMatch.statusCode()).isEqualTo(400);
        assertThat(emptyMatch.body()).contains("id=\"redactions-error\"")
                .contains("Title redaction rule 1 matches the empty text");
        assertThat(policy(organization).version()).isZero();
    }

    @Test
    void anAuditorReadsThePolicyAndRetentionButChangesNothingAndAViewerIsRefusedTheSettings() {
        Organization organization = server.newOrganization();
        String auditor = signIn(organization, Role.AUDITOR);
        String viewer = signIn(organization, Role.VIEWER);
        HttpResponse<String> policyPage = portal.get("/settings/policy", auditor);
        HttpResponse<String> retentionPage = portal.get("/settings/retention", auditor);
        String csrf = Portal.csrfIn(policyPage.body());

        HttpResponse<String> policyPost = portal.post("/settings/policy", form("csrf", csrf, "idleMinutes", "5"),
                auditor);
        HttpResponse<String> previewPost = portal.post("/settings/policy/preview", form("csrf", csrf,
                "idleMinutes", "5", "sample", "x"), auditor);
        HttpResponse<String> retentionPost = portal.post("/settings/retention", form("csrf", csrf, "spanDays", "1",
                "rollupMonths", "1", "auditDays", "1"), auditor);
        HttpResponse<String> confirmPost = portal.post("/settings/retention/confirm", form("csrf", csrf,
                "spanDays", "1", "rollupMonths", "1", "auditDays", "1", "confirm", "yes"), auditor);

        assertThat(policyPage.statusCode()).isEqualTo(200);
        assertThat(policyPage.body()).contains("<fieldset disabled>")
                .contains("Only owners and administrators change the").doesNotContain("Save the policy");
        assertThat(retentionPage.statusCode()).isEqualTo(200);
        assertThat(retentionPage.body()).contains("<fieldset disabled>").contains("Only owners")
                .doesNotContain("Review the change");
        assertThat(List.of(policyPost, previewPost, retentionPost, confirmPost))
                .extracting(HttpResponse::statusCode).containsOnly(403);
        for (String path : List.of("/settings", "/settings/policy", "/settings/categories", "/settings/retention",
                "/settings/history", "/settings/categories/progress")) {
            assertThat(portal.get(path, viewer).statusCode()).as(path).isEqualTo(403);
        }
        assertThat(policy(organization).version()).isZero();
        assertThat(retention(organization)).isEqualTo(RetentionSettings.DEFAULTS);
        assertThat(server.audit(organization, "update-retention")).extracting(AuditEntry::outcome)
                .containsOnly(Outcome.DENIED);
    }

    @Test
    void aShorterRetentionShowsWhatItWillDeleteAndChangesNothingUntilConfirmed() {
        Organization organization = server.newOrganization();
        String owner = signIn(organization, Role.OWNER);
        // 10 August (111 days before the clock's 29 November) and this morning
        Instant august = Instant.parse("2026-08-10T07:00:00Z");
        server.deviceWith(organization, "laptop", "anna", List.of(
                Span.of(august, august.plus(Duration.ofMinutes(20)), Activity.active("editor", "/usr/bin/editor",
                        Optional.empty())),
                Span.of(PortalServer.START.minus(Duration.ofHours(2)), PortalServer.START.minus(Duration.ofHours(1)),
                        Activity.active("editor", "/usr/bin/editor", Optional.empty()))));
        String csrf = Portal.csrfIn(portal.get("/settings/retention", owner).body());

        HttpResponse<String> review = portal.post("/settings/retention", form("csrf", csrf, "spanDays", "30",
                "rollupMonths", "3", "auditDays", "730"), owner);

        assertThat(review.statusCode()).isEqualTo(200);
        assertThat(review.body()).contains("Keep data for less time?").contains("Nothing has changed yet.")
                .contains("Shorter: 30 days instead of 90")
                .contains("Deletes 1 span that started before 2026-10-30 11:15 Europe/Berlin"
                        + " (the oldest from 2026-08-10 09:00 Europe/Berlin).")
                .contains("Shorter: 3 months instead of 25").contains("Deletes the rollups of 1 day before"
                        + " Tue 1 Sep 2026 (the oldest Mon 10 Aug 2026).")
                .contains("Unchanged: 730 days")
                .contains("name=\"confirm\" value=\"yes\"").contains("Confirm the shorter retention");
        assertThat(retention(organization)).as("nothing saved before the confirmation")
                .isEqualTo(RetentionSettings.DEFAULTS);

        HttpResponse<String> unconfirmed = portal.post("/settings/retention/confirm", form("csrf", csrf,
                "spanDays", "30", "rollupMonths", "3", "auditDays", "730"), owner);

        assertThat(unconfirmed.statusCode()).isEqualTo(200);
        assertThat(unconfirmed.body()).contains("Keep data for less time?");
        assertThat(retention(organization)).isEqualTo(RetentionSettings.DEFAULTS);
        assertThat(server.audit(organization, "update-retention")).isEmpty();
        assertThat(server.audit(organization, "preview-retention-change")).hasSize(2);

        HttpResponse<String> confirmed = portal.post("/settings/retention/confirm", form("csrf", csrf,
                "spanDays", "30", "rollupMonths", "3", "auditDays", "730", "confirm", "yes"), owner);

        assertThat(confirmed.statusCode()).isEqualTo(303);
        assertThat(retention(organization)).isEqualTo(new RetentionSettings(30, 3, 730));
        assertThat(portal.get(confirmed.headers().firstValue("Location").orElseThrow(), owner).body())
                .contains("The retention was saved.").contains("value=\"30\"");

        HttpResponse<String> longer = portal.post("/settings/retention", form("csrf", csrf, "spanDays", "60",
                "rollupMonths", "3", "auditDays", "730"), owner);

        assertThat(longer.statusCode()).as("keeping longer deletes nothing: saved at once").isEqualTo(303);
        assertThat(retention(organization)).isEqualTo(new RetentionSettings(60, 3, 730));
        assertThat(portal.get("/settings/history?area=RETENTION", owner).body())
                .contains("data-label=\"Version\">2</td>").contains("data-label=\"Version\">1</td>");

        HttpResponse<String> invalid = portal.post("/settings/retention", form("csrf", csrf, "spanDays", "0",
                "rollupMonths", "3", "auditDays", "730"), owner);

        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("id=\"spanDays-error\"")
                .contains("Raw spans are kept 1 to 3660 days, not 0.");
    }

    @Test
    void theHistoryShowsEveryAreaWithAnEmptyStateThatSaysWhy() {
        Organization organization = server.newOrganization();
        String auditor = signIn(organization, Role.AUDITOR);
        server.services().organizations().updatePolicy(server.operator(organization), new CollectionPolicy(0, false,
                List.of(), Set.of("keepassxc"), Optional.empty(), false, Duration.ofMinutes(5), false, false));

        HttpResponse<String> policy = portal.get("/settings/history?area=POLICY", auditor);
        HttpResponse<String> categories = portal.get("/settings/history?area=CATEGORIES", auditor);
        HttpResponse<String> unknown = portal.get("/settings/history?area=EVERYTHING", auditor);

        assertThat(policy.statusCode()).isEqualTo(200);
        assertThat(policy.body()).contains("the host operator").contains("keepassxc")
                .contains("<code>excludedApplications</code>").contains("<code>idleThreshold</code>")
                .contains("aria-current=\"page\">Collection policy</a>");
        assertThat(categories.body()).contains("No changes yet.");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("<nav class=\"sections\"");
    }

    @Test
    void workingHoursThatDoNotParseAreShownBesideTheirDay() {
        Organization organization = server.newOrganization();
        String session = signIn(organization, Role.OWNER);
        String csrf = Portal.csrfIn(portal.get("/settings/policy", session).body());

        HttpResponse<String> refused = portal.post("/settings/policy", form("csrf", csrf, "idleMinutes", "three",
                "workingHours", "on", "workingHoursZone", "Europe/Berlin", "hours-TUESDAY", "17:00-09:00",
                "hours-MONDAY", "09:00-12:00"), session);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("id=\"idleMinutes-error\"")
                .contains("The idle threshold is a number of minutes, such as 3 or 0.5.")
                .contains("id=\"hours-TUESDAY-error\"").contains("'17:00-09:00' ends before it starts.")
                .contains("value=\"three\"").contains("value=\"09:00-12:00\"");
        assertThat(policy(organization).version()).isZero();
    }
}
