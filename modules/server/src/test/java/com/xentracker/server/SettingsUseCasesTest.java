package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.core.activity.WebPage;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.core.policy.RedactionRule;
import com.xentracker.server.ServerFixture.EnrolledDevice;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.organization.Category;
import com.xentracker.server.organization.CategoryRule;
import com.xentracker.server.organization.NewCategoryRule;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.organization.OrganizationSettings;
import com.xentracker.server.organization.Organizations;
import com.xentracker.server.organization.Productivity;
import com.xentracker.server.organization.RedactionPreview;
import com.xentracker.server.organization.RetentionImpact;
import com.xentracker.server.organization.RetentionSettings;
import com.xentracker.server.organization.RuleTest;
import com.xentracker.server.organization.SettingsArea;
import com.xentracker.server.organization.SettingsVersion;
import com.xentracker.testing.https.Https;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The settings use cases beyond plain reads and writes: versions in the settings history, what a retention change
 * would delete, the redaction preview, a rule's test and group ratings.
 */
class SettingsUseCasesTest {

    /** Monday 14 September 2026, 10:30 in Berlin. */
    private static final Instant NOW = Instant.parse("2026-09-14T08:30:00Z");
    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();

    @RegisterExtension
    static final ServerFixture server = new ServerFixture(NOW);

    private static Organizations organizations() {
        return server.services().organizations();
    }

    private static Actor operator(Organization organization) {
        return server.operator(organization.id());
    }

    private static Actor signedIn(Organization organization, Role role) {
        String email = role.name().toLowerCase() + "-" + UUID.randomUUID() + "@example.org";
        server.server().administration().createAccount(organization.id(), email, PASSWORD.clone(), role);
        return server.signIn(email, PASSWORD.clone()).orElseThrow();
    }

    private static Span browsing(Instant from, Instant to, String domain, String title) {
        return Span.of(from, to, Activity.active("chromium", "/usr/lib/chromium/chromium", Optional.of(title))
                .withPage(new WebPage(domain, Optional.empty())));
    }

    private static void upload(EnrolledDevice device, long sequence, Span... spans) {
        Https.Response response = server.upload(device, sequence, List.of(spans));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    @Test
    void everyChangeIsANewVersionOfItsAreaWithWhatItChangedAndWhoChangedIt() {
        Organization organization = server.newOrganization();
        Actor owner = signedIn(organization, Role.OWNER);
        Actor admin = signedIn(organization, Role.ADMIN);
        OrganizationSettings settings = organizations().settings(owner);

        organizations().updateSettings(owner, new OrganizationSettings("Renamed", ZoneId.of("Asia/Tokyo"), false, 7,
                48));
        organizations().updateSettings(operator(organization), organizations().settings(owner)
                .withRequireTwoFactor(false).withTimeZone(ZoneId.of("Pacific/Auckland")));
        Category category = organizations().createCategory(admin, "Development", Productivity.PRODUCTIVE);
        organizations().addCategoryRule(admin, category.id(), CategoryRule.Kind.APPLICATION, "IntelliJ IDEA");
        organizations().updateRetention(owner, new RetentionSettings(30, 12, 365));

        List<SettingsVersion> asOwner = organizations().history(owner, SettingsArea.ORGANIZATION, 10);
        assertThat(asOwner).extracting(SettingsVersion::version).containsExactly(2L, 1L);
        assertThat(asOwner.get(1).changedFields()).as("the first version: everything")
                .containsExactly("minimumGroupSize", "name", "requireTwoFactor", "selfService", "silentAfterHours",
                        "timeZone");
        assertThat(asOwner.get(1).changedBy()).isEqualTo("you");
        assertThat(asOwner.get(1).value()).contains("\"name\": \"Renamed\"").contains("\"minimumGroupSize\": 7")
                .doesNotContain(settings.name());
        assertThat(asOwner.get(0).changedFields()).containsExactly("timeZone");
        assertThat(asOwner.get(0).changedBy()).isEqualTo("the host operator");
        assertThat(asOwner.get(0).changedAt()).isEqualTo(NOW);

        List<SettingsVersion> categories = organizations().history(owner, SettingsArea.CATEGORIES, 10);
        assertThat(categories).extracting(SettingsVersion::version).containsExactly(2L, 1L);
        assertThat(categories.get(0).changedFields()).containsExactly("rules");
        assertThat(categories.get(0).value()).contains("\"pattern\": \"intellij idea\"")
                .contains("\"productivity\": \"PRODUCTIVE\"");
        assertThat(categories.get(0).changedBy()).as("the owner may list accounts: their addresses")
                .endsWith("@example.org").startsWith("admin-");
        assertThat(organizations().history(admin, SettingsArea.RETENTION, 10)).singleElement()
                .satisfies(version -> assertThat(version.changedBy()).as("an administrator may not list accounts")
                        .isEqualTo("another account"))
                .satisfies(version -> assertThat(version.value()).contains("\"spanDays\": 30"));
        assertThat(organizations().history(owner, SettingsArea.POLICY, 10)).isEmpty();
    }

    @Test
    void aPolicyVersionInTheHistoryIsThePolicyVersionAgentsReport() {
        Organization organization = server.newOrganization();
        CollectionPolicy first = organizations().updatePolicy(operator(organization), CollectionPolicy.defaults());
        CollectionPolicy second = organizations().updatePolicy(operator(organization), new CollectionPolicy(0, true,
                List.of(RedactionRule.of("\\S+@\\S+", "[email]")), java.util.Set.of("keepassxc"), Optional.empty(),
                false, CollectionPolicy.DEFAULT_IDLE_THRESHOLD, false, false));

        List<SettingsVersion> history = organizations().history(operator(organization), SettingsArea.POLICY, 10);

        assertThat(history).extracting(SettingsVersion::version).containsExactly(second.version(), first.version());
        assertThat(history.get(0).changedFields()).containsExactly("collectWindowTitles", "excludedApplications",
                "titleRedactions");
        assertThat(history.get(0).value()).contains("keepassxc").contains("[email]");
    }

    @Test
    void aRetentionChangeSaysWhatItWouldDeleteAndChangesNothingItself() {
        Organization organization = server.newOrganization();
        Actor owner = signedIn(organization, Role.OWNER);
        EnrolledDevice device = server.enroll(organization);
        // 20 July (56 days ago), 1 September (13 days ago) and today
        upload(device, 0, browsing(Instant.parse("2026-07-20T08:00:00Z"), Instant.parse("2026-07-20T08:10:00Z"),
                        "example.com", "a"),
                browsing(Instant.parse("2026-09-01T08:00:00Z"), Instant.parse("2026-09-01T08:10:00Z"),
                        "example.com", "b"),
                browsing(Instant.parse("2026-09-14T07:00:00Z"), Instant.parse("2026-09-14T07:10:00Z"),
                        "example.com", "c"));
        RetentionSettings before = organizations().retention(owner);

        RetentionImpact keepMore = organizations().retentionImpact(owner, new RetentionSettings(365, 36, 3650));
        RetentionImpact keepLess = organizations().retentionImpact(owner, new RetentionSettings(30, 1, 730));

        assertThat(keepMore.deletesData()).isFalse();
        assertThat(keepLess.current()).isEqualTo(before);
        assertThat(keepLess.spansBefore()).isEqualTo(Instant.parse("2026-08-15T08:30:00Z"));
        assertThat(keepLess.spans()).isEqualTo(1);
        assertThat(keepLess.oldestSpan()).hasValue(Instant.parse("2026-07-20T08:00:00Z"));
        assertThat(keepLess.rollupsBefore()).as("this month only").isEqualTo(LocalDate.parse("2026-09-01"));
        assertThat(keepLess.rollupDays()).isEqualTo(1);
        assertThat(keepLess.oldestRollupDay()).hasValue(LocalDate.parse("2026-07-20"));
        assertThat(keepLess.auditEntries()).as("the audit log is younger than two years").isZero();
        assertThat(keepLess.deletesData()).isTrue();
        assertThat(organizations().retention(owner)).isEqualTo(before);
        assertThat(server.count("SELECT count(*) FROM spans WHERE organization_id = ?", organization.id()))
                .isEqualTo(3);
        assertThatThrownBy(() -> organizations().retentionImpact(signedIn(organization, Role.ADMIN),
                new RetentionSettings(30, 1, 730))).isInstanceOf(NotPermittedException.class);
        assertThatThrownBy(() -> new RetentionSettings(0, 1, 1))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field())
                        .hasValue("spanDays"));
    }

    @Test
    void theRedactionPreviewShowsEachRuleAndWhyATitleWouldNotBeStored() {
        Organization organization = server.newOrganization();
        Actor admin = signedIn(organization, Role.ADMIN);
        List<RedactionRule> rules = List.of(RedactionRule.of("[\\w.]+@[\\w.]+", "[email]"),
                RedactionRule.of("(?i)invoice (\\d+)", "invoice #"));

        RedactionPreview preview = organizations().previewRedaction(admin, rules,
                "Re: invoice 4711 from anna@example.org - Mail");
        RedactionPreview blank = organizations().previewRedaction(admin, List.of(RedactionRule.of(".+", " ")),
                "Anything");

        assertThat(preview.steps()).containsExactly("Re: invoice 4711 from [email] - Mail",
                "Re: invoice # from [email] - Mail");
        assertThat(preview.stored()).hasValue("Re: invoice # from [email] - Mail");
        assertThat(preview.reason()).isEmpty();
        assertThat(blank.stored()).isEmpty();
        assertThat(blank.reason()).hasValue("nothing but blanks is left, so no title would be stored");
        assertThatThrownBy(() -> organizations().previewRedaction(admin, List.of(RedactionRule.of("a*", "x")),
                "sample")).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).hasValue("titleRedactions");
                    assertThat(e.getMessage()).contains("title redaction rule 1").contains("empty text");
                });
        assertThatThrownBy(() -> organizations().previewRedaction(signedIn(organization, Role.AUDITOR), rules,
                "sample")).isInstanceOf(NotPermittedException.class);
        assertThat(server.count("SELECT count(*) FROM audit_log WHERE organization_id = ? AND subject LIKE ?",
                organization.id(), "%anna%")).as("the sample stays out of the audit log").isZero();
    }

    @Test
    void aRuleTestListsWhatItWouldMatchInTheLastSevenDaysWithTheCategoryItHasNow() {
        Organization organization = server.newOrganization();
        Actor admin = signedIn(organization, Role.ADMIN);
        CollectionPolicy titles = new CollectionPolicy(0, true, List.of(), java.util.Set.of(), Optional.empty(),
                false, CollectionPolicy.DEFAULT_IDLE_THRESHOLD, false, false);
        organizations().updatePolicy(admin, titles);
        Category reading = organizations().createCategory(admin, "Reading");
        organizations().addCategoryRule(admin, reading.id(), CategoryRule.Kind.DOMAIN, "docs.example.com");
        EnrolledDevice device = server.enroll(organization);
        upload(device, 0,
                // 6 September is eight days ago in Berlin: outside the test's week
                browsing(Instant.parse("2026-09-06T08:00:00Z"), Instant.parse("2026-09-06T09:00:00Z"),
                        "www.example.com", "Old news"),
                browsing(Instant.parse("2026-09-08T08:00:00Z"), Instant.parse("2026-09-08T08:20:00Z"),
                        "docs.example.com", "Release notes"),
                browsing(Instant.parse("2026-09-14T07:00:00Z"), Instant.parse("2026-09-14T07:10:00Z"),
                        "example.com", "Release planning"),
                browsing(Instant.parse("2026-09-14T07:10:00Z"), Instant.parse("2026-09-14T07:15:00Z"),
                        "example.org", "Elsewhere"));

        RuleTest domains = organizations().testCategoryRule(admin, new NewCategoryRule(CategoryRule.Kind.DOMAIN,
                "Example.com", true));
        RuleTest exact = organizations().testCategoryRule(admin, new NewCategoryRule(CategoryRule.Kind.DOMAIN,
                "example.com", false));
        RuleTest title = organizations().testCategoryRule(admin, new NewCategoryRule(CategoryRule.Kind.TITLE,
                "release", false));

        assertThat(domains.from()).isEqualTo(LocalDate.parse("2026-09-08"));
        assertThat(domains.to()).isEqualTo(LocalDate.parse("2026-09-14"));
        assertThat(domains.matches()).extracting(m -> m.domain() + " " + m.activeMs() + " " + m.currentCategory())
                .containsExactly("docs.example.com 1200000 Reading", "example.com 600000 ");
        assertThat(domains.totalActiveMs()).isEqualTo(1_800_000);
        assertThat(exact.matches()).extracting(RuleTest.Match::domain).containsExactly("example.com");
        assertThat(title.titlesCollected()).isTrue();
        assertThat(title.matches()).extracting(m -> m.title().orElseThrow() + " " + m.currentCategory())
                .containsExactly("Release notes Reading", "Release planning ");
        assertThat(organizations().categories(admin)).as("testing added nothing").singleElement()
                .satisfies(c -> assertThat(c.rules()).hasSize(1));
        assertThatThrownBy(() -> organizations().testCategoryRule(admin, new NewCategoryRule(
                CategoryRule.Kind.DOMAIN, "not a host", true)))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field())
                        .hasValue("pattern"));
    }

    @Test
    void aGroupRatesCategoriesItsOwnWayAndTheRestKeepTheOrganizationsRating() {
        Organization organization = server.newOrganization();
        Actor admin = signedIn(organization, Role.ADMIN);
        Category chat = organizations().createCategory(admin, "Chat", Productivity.UNPRODUCTIVE);
        Category mail = organizations().createCategory(admin, "Mail", Productivity.NEUTRAL);
        UUID support = server.services().groups().create(admin, "Support").id();
        UUID engineering = server.services().groups().create(admin, "Engineering").id();

        organizations().rateCategoriesForGroup(admin, support, Map.of(chat.id(), Productivity.PRODUCTIVE,
                mail.id(), Productivity.PRODUCTIVE));
        organizations().rateCategoriesForGroup(admin, support, Map.of(chat.id(), Productivity.PRODUCTIVE));

        assertThat(organizations().categories(admin)).satisfiesExactly(
                c -> assertThat(c.groupRatings()).isEqualTo(Map.of(support, Productivity.PRODUCTIVE)),
                c -> assertThat(c.groupRatings()).as("Mail's override was taken back").isEmpty());
        assertThat(organizations().categories(admin).get(0).productivity()).isEqualTo(Productivity.UNPRODUCTIVE);
        assertThat(organizations().history(admin, SettingsArea.CATEGORIES, 1).get(0).value())
                .contains("\"Support\": \"PRODUCTIVE\"").doesNotContain("Engineering");
        assertThatThrownBy(() -> organizations().rateCategoriesForGroup(admin, engineering,
                Map.of(UUID.randomUUID(), Productivity.NEUTRAL))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> organizations().rateCategoriesForGroup(signedIn(organization, Role.AUDITOR),
                engineering, Map.of())).isInstanceOf(NotPermittedException.class);
    }
}
