package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.core.activity.WebPage;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.server.ServerFixture.EnrolledDevice;
import com.xentracker.server.access.Actor;
import com.xentracker.server.maintenance.RollupRecompute;
import com.xentracker.server.organization.Category;
import com.xentracker.server.organization.CategoryRule;
import com.xentracker.server.organization.NewCategoryRule;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.organization.Organizations;
import com.xentracker.server.organization.Productivity;
import com.xentracker.server.organization.Recategorization;
import com.xentracker.testing.https.Https;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Categorisation through real uploads: title rules (only while the policy collects titles), domain rules with and
 * without subdomains, application rules, all in priority order, at ingest and in the background re-categorisation,
 * which honours titles from the raw spans where they still account for the rollups and shows its progress.
 */
class CategorizationTest {

    /** Tuesday 10 March 2026, 13:00 in Berlin; the clock stands still, so the background job never runs on its own. */
    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

    @RegisterExtension
    static final ServerFixture server = new ServerFixture(NOW);

    private static Instant at(String day, String hhmm) {
        return Instant.parse(day + "T" + hhmm + ":00Z");
    }

    private static Span browsing(String day, String from, String to, String domain, String title) {
        return Span.of(at(day, from), at(day, to), Activity.active("chromium", "/usr/lib/chromium/chromium",
                Optional.of(title)).withPage(new WebPage(domain, Optional.empty())));
    }

    private static Span active(String day, String from, String to, String application, String title) {
        return Span.of(at(day, from), at(day, to), Activity.active(application, "/usr/bin/" + application,
                Optional.of(title)));
    }

    private static Organizations organizations() {
        return server.services().organizations();
    }

    private static Actor operator(Organization organization) {
        return server.operator(organization.id());
    }

    private static void upload(EnrolledDevice device, long sequence, Span... spans) {
        Https.Response response = server.upload(device, sequence, List.of(spans));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    private static void collectTitles(Organization organization, boolean titles) {
        CollectionPolicy current = organizations().policy(operator(organization));
        organizations().updatePolicy(operator(organization), new CollectionPolicy(0, titles,
                current.titleRedactions(), current.excludedApplications(), current.workingHours(),
                current.privateTimeAllowed(), current.idleThreshold(), current.audibleKeepsActive(),
                current.collectFullUrls(), current.excludedDomains()));
    }

    private static CategoryRule rule(Organization organization, Category category, CategoryRule.Kind kind,
            String pattern, boolean subdomains) {
        return organizations().addCategoryRule(operator(organization), category.id(),
                new NewCategoryRule(kind, pattern, subdomains));
    }

    /** category → active milliseconds of the organization's rollups, e.g. "Planning=600000" ('' uncategorised). */
    private static List<String> activeByCategory(Organization organization) {
        return server.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT category || '=' || sum(active_ms) FROM rollups WHERE organization_id = ?
                        GROUP BY category ORDER BY category""")
                .bind(0, organization.id())
                .mapTo(String.class)
                .list());
    }

    /** The same per day: "2026-03-10 Planning=600000". */
    private static List<String> activeByDayAndCategory(Organization organization) {
        return server.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT day || ' ' || category || '=' || sum(active_ms) FROM rollups
                        WHERE organization_id = ? GROUP BY day, category ORDER BY day, category""")
                .bind(0, organization.id())
                .mapTo(String.class)
                .list());
    }

    /** Runs the background re-categorisation until its budget is spent (at least one device). */
    private static int recategorize(Duration budget) {
        return server.jdbi().withHandle(handle -> RollupRecompute.run(handle, server.clock(), budget));
    }

    private static Recategorization progress(Organization organization) {
        return organizations().recategorization(operator(organization));
    }

    @Test
    void aTitleRuleCategorisesTimeByItsWindowTitleOnlyWhileThePolicyCollectsTitles() {
        Organization organization = server.newOrganization();
        Category planning = organizations().createCategory(operator(organization), "Planning");
        Category browsing = organizations().createCategory(operator(organization), "Browsing");

        assertThatThrownBy(() -> rule(organization, planning, CategoryRule.Kind.TITLE, "JIRA", false))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).hasValue("kind"));

        collectTitles(organization, true);
        rule(organization, planning, CategoryRule.Kind.TITLE, "JIRA", false);
        rule(organization, browsing, CategoryRule.Kind.APPLICATION, "Chromium", true);
        EnrolledDevice device = server.enroll(organization);
        upload(device, 0, browsing("2026-03-10", "09:00", "09:10", "tracker.example.com", "ACME-12 · Jira board"),
                browsing("2026-03-10", "09:10", "09:15", "news.example.org", "Morning news"),
                active("2026-03-10", "09:15", "09:20", "editor", "jira-notes.txt"));

        assertThat(activeByCategory(organization)).as("the title rule comes first and matches any application")
                .containsExactly("Browsing=300000", "Planning=900000");
    }

    @Test
    void switchingTitlesOffRecategorisesWithoutTheTitleRulesAndNewUploadsIgnoreThem() {
        Organization organization = server.newOrganization();
        Category planning = organizations().createCategory(operator(organization), "Planning");
        Category browsing = organizations().createCategory(operator(organization), "Browsing");
        collectTitles(organization, true);
        rule(organization, planning, CategoryRule.Kind.TITLE, "jira", false);
        rule(organization, browsing, CategoryRule.Kind.APPLICATION, "chromium", true);
        EnrolledDevice device = server.enroll(organization);
        upload(device, 0, browsing("2026-03-10", "09:00", "09:10", "tracker.example.com", "Jira board"),
                browsing("2026-03-10", "09:10", "09:15", "news.example.org", "Morning news"));
        recategorize(Duration.ofMinutes(1)); // the rule changes' own request, done with the same rules
        assertThat(activeByCategory(organization)).containsExactly("Browsing=300000", "Planning=600000");

        collectTitles(organization, false);

        assertThat(progress(organization).state()).isEqualTo(Recategorization.State.QUEUED);
        recategorize(Duration.ofMinutes(1));
        assertThat(progress(organization).state()).isEqualTo(Recategorization.State.DONE);
        assertThat(activeByCategory(organization)).containsExactly("Browsing=900000");

        // an agent that still sends a title (an old policy) is categorised without the title rules too
        upload(device, 1, browsing("2026-03-10", "10:00", "10:01", "tracker.example.com", "Jira board"));
        assertThat(activeByCategory(organization)).containsExactly("Browsing=960000");
    }

    @Test
    void rulesAreTriedInPriorityOrderAndMovingOneRecategorisesTheRollups() {
        Organization organization = server.newOrganization();
        Category browsing = organizations().createCategory(operator(organization), "Browsing");
        Category reading = organizations().createCategory(operator(organization), "Reading");
        CategoryRule application = rule(organization, browsing, CategoryRule.Kind.APPLICATION, "chromium", true);
        CategoryRule domain = rule(organization, reading, CategoryRule.Kind.DOMAIN, "example.com", true);
        assertThat(organizations().categoryRules(operator(organization))).extracting(CategoryRule::id)
                .containsExactly(application.id(), domain.id());
        EnrolledDevice device = server.enroll(organization);
        upload(device, 0, browsing("2026-03-10", "09:00", "09:10", "docs.example.com", "Docs"));
        recategorize(Duration.ofMinutes(1));

        assertThat(activeByCategory(organization)).as("the application rule is tried first")
                .containsExactly("Browsing=600000");

        List<CategoryRule> moved = organizations().moveCategoryRule(operator(organization), domain.id(), true);

        assertThat(moved).extracting(CategoryRule::id).containsExactly(domain.id(), application.id());
        assertThat(moved).extracting(CategoryRule::priority).containsExactly(10, 20);
        assertThat(progress(organization).pending()).isTrue();
        recategorize(Duration.ofMinutes(1));
        assertThat(activeByCategory(organization)).containsExactly("Reading=600000");
        upload(device, 1, browsing("2026-03-10", "10:00", "10:05", "www.example.com", "Home"));
        assertThat(activeByCategory(organization)).containsExactly("Reading=900000");
    }

    @Test
    void aDomainRuleMatchesSubdomainsOnlyWhenItSaysSo() {
        Organization organization = server.newOrganization();
        Category exact = organizations().createCategory(operator(organization), "Exact");
        Category wide = organizations().createCategory(operator(organization), "Wide");
        CategoryRule rule = rule(organization, exact, CategoryRule.Kind.DOMAIN, "https://Example.com/some/page",
                false);
        rule(organization, wide, CategoryRule.Kind.DOMAIN, "*.example.org", true);
        EnrolledDevice device = server.enroll(organization);

        upload(device, 0, browsing("2026-03-10", "09:00", "09:10", "example.com", "Home"),
                browsing("2026-03-10", "09:10", "09:15", "docs.example.com", "Docs"),
                browsing("2026-03-10", "09:15", "09:16", "example.org", "Org"),
                browsing("2026-03-10", "09:16", "09:18", "www.example.org", "Org"));

        assertThat(rule.pattern()).as("a pasted address is its host").isEqualTo("example.com");
        assertThat(rule.includeSubdomains()).isFalse();
        assertThat(activeByCategory(organization)).containsExactly("=300000", "Exact=600000", "Wide=180000");
    }

    @Test
    void theRecategorisationSplitsByTitleFromTheRawSpansAndOlderDaysKeepWhatTheRulesAllow() {
        Organization organization = server.newOrganization();
        collectTitles(organization, true);
        Category planning = organizations().createCategory(operator(organization), "Planning");
        Category browsing = organizations().createCategory(operator(organization), "Browsing");
        EnrolledDevice device = server.enroll(organization);
        // 2 March: categorised at ingest by a title rule, then its raw spans go (as retention would remove them)
        CategoryRule early = rule(organization, planning, CategoryRule.Kind.TITLE, "roadmap", false);
        upload(device, 0, browsing("2026-03-02", "09:00", "09:10", "wiki.example.com", "Roadmap 2026"),
                browsing("2026-03-02", "09:10", "09:12", "wiki.example.com", "Lunch menu"));
        // 9 and 10 March: uploaded before any rule could match their titles
        upload(device, 1, browsing("2026-03-09", "09:00", "09:10", "wiki.example.com", "Sprint planning"),
                browsing("2026-03-09", "09:10", "09:15", "wiki.example.com", "Inbox"),
                browsing("2026-03-10", "08:00", "08:06", "wiki.example.com", "Sprint planning"));
        recategorize(Duration.ofMinutes(1));
        server.jdbi().useHandle(handle -> handle.createUpdate(
                        "DELETE FROM spans WHERE organization_id = ? AND start_at < ?")
                .bind(0, organization.id()).bind(1, at("2026-03-03", "00:00")).execute());
        assertThat(activeByDayAndCategory(organization)).containsExactly("2026-03-02 =120000",
                "2026-03-02 Planning=600000", "2026-03-09 =900000", "2026-03-10 =360000");

        rule(organization, planning, CategoryRule.Kind.TITLE, "planning", false);
        rule(organization, browsing, CategoryRule.Kind.APPLICATION, "chromium", true);
        recategorize(Duration.ofMinutes(1));

        assertThat(activeByDayAndCategory(organization)).as("""
                days with raw spans split by title; 2 March, without them, keeps the time a title rule may have put \
                into Planning and gives the rest to the first application rule""")
                .containsExactly("2026-03-02 Browsing=120000", "2026-03-02 Planning=600000",
                        "2026-03-09 Browsing=300000", "2026-03-09 Planning=600000", "2026-03-10 Planning=360000");

        organizations().deleteCategoryRule(operator(organization), early.id());
        organizations().deleteCategory(operator(organization), planning.id());
        recategorize(Duration.ofMinutes(1));

        assertThat(activeByDayAndCategory(organization)).as("without Planning, all of it is browsing; totals kept")
                .containsExactly("2026-03-02 Browsing=720000", "2026-03-09 Browsing=900000",
                        "2026-03-10 Browsing=360000");
    }

    @Test
    void theRecategorisationGoesDeviceByDeviceShowsItsProgressAndStartsAgainWhenTheRulesChangeMeanwhile() {
        Organization organization = server.newOrganization();
        Category reading = organizations().createCategory(operator(organization), "Reading");
        EnrolledDevice first = server.enroll(organization);
        EnrolledDevice second = server.enroll(organization);
        upload(first, 0, browsing("2026-03-10", "09:00", "09:10", "docs.example.com", "Docs"));
        upload(second, 0, browsing("2026-03-10", "09:00", "09:05", "docs.example.com", "Docs"));
        assertThat(progress(organization).state()).isEqualTo(Recategorization.State.NEVER_REQUESTED);

        rule(organization, reading, CategoryRule.Kind.DOMAIN, "example.com", true);

        Recategorization queued = progress(organization);
        assertThat(queued.state()).isEqualTo(Recategorization.State.QUEUED);
        assertThat(queued.requestedAt()).hasValue(NOW);

        assertThat(recategorize(Duration.ZERO)).as("a run with no budget left still does one device").isEqualTo(1);

        Recategorization running = progress(organization);
        assertThat(running.state()).isEqualTo(Recategorization.State.RUNNING);
        assertThat(running.devicesDone()).isEqualTo(1);
        assertThat(running.devicesTotal()).isEqualTo(2);
        assertThat(running.percent()).isEqualTo(50);
        assertThat(activeByCategory(organization)).as("one device done (the first by id), the other not yet")
                .isIn(List.of("=300000", "Reading=600000"), List.of("=600000", "Reading=300000"));

        organizations().createCategory(operator(organization), "Other");
        assertThat(progress(organization).state()).as("a new category changes no rule").isEqualTo(
                Recategorization.State.RUNNING);
        rule(organization, reading, CategoryRule.Kind.APPLICATION, "chromium", true);
        assertThat(progress(organization)).as("a rule changed meanwhile: the run starts again")
                .satisfies(p -> assertThat(p.state()).isEqualTo(Recategorization.State.QUEUED))
                .satisfies(p -> assertThat(p.devicesDone()).isZero());

        assertThat(recategorize(Duration.ofMinutes(1))).isEqualTo(2);

        Recategorization done = progress(organization);
        assertThat(done.state()).isEqualTo(Recategorization.State.DONE);
        assertThat(done.devicesDone()).isEqualTo(2);
        assertThat(done.finishedAt()).hasValue(NOW);
        assertThat(done.percent()).isEqualTo(100);
        assertThat(activeByCategory(organization)).containsExactly("Reading=900000");
        assertThat(recategorize(Duration.ofMinutes(1))).as("nothing left to do").isZero();
    }

    @Test
    void aRenamedCategoryKeepsItsTimeAndARatingChangesNoRollup() {
        Organization organization = server.newOrganization();
        Category reading = organizations().createCategory(operator(organization), "Reading");
        rule(organization, reading, CategoryRule.Kind.DOMAIN, "example.com", true);
        EnrolledDevice device = server.enroll(organization);
        upload(device, 0, browsing("2026-03-10", "09:00", "09:10", "docs.example.com", "Docs"));

        Category renamed = organizations().updateCategory(operator(organization), reading.id(), "Research",
                Productivity.PRODUCTIVE);

        assertThat(renamed.name()).isEqualTo("Research");
        assertThat(renamed.productivity()).isEqualTo(Productivity.PRODUCTIVE);
        assertThat(activeByCategory(organization)).containsExactly("Research=600000");
        assertThatThrownBy(() -> organizations().updateCategory(operator(organization), reading.id(), " ",
                Productivity.NEUTRAL))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).hasValue("name"));
    }
}
