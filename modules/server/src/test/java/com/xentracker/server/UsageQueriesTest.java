package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.Span;
import com.xentracker.core.activity.WebPage;
import com.xentracker.server.ServerFixture.EnrolledDevice;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.audit.AuditEntry;
import com.xentracker.server.audit.AuditQuery;
import com.xentracker.server.organization.CategoryRule;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.people.Group;
import com.xentracker.server.people.Person;
import com.xentracker.server.usage.CategoryTotal;
import com.xentracker.server.usage.DayRange;
import com.xentracker.server.usage.DayTotal;
import com.xentracker.server.usage.Dimension;
import com.xentracker.server.usage.Overview;
import com.xentracker.server.usage.Period;
import com.xentracker.server.usage.PersonUsage;
import com.xentracker.server.usage.Productivity;
import com.xentracker.server.usage.Ranking;
import com.xentracker.server.usage.UsageFilter;
import com.xentracker.server.usage.UsageQueries;
import com.xentracker.server.usage.UsageTotal;
import com.xentracker.testing.https.Https;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reports' contract: organization-local days (also far from UTC and on daylight-saving days), the whole
 * organization, groups with the minimum group size, a viewer's groups, individuals only where allowed, and one audit
 * entry per report.
 */
class UsageQueriesTest {

    /** 12:00 UTC on 3 November 2026: already 4 November in Auckland (UTC+13), still the 3rd in Berlin. */
    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-11-03T12:00:00Z"));

    private static final ZoneId AUCKLAND = ZoneId.of("Pacific/Auckland");
    private static final ZoneId LOS_ANGELES = ZoneId.of("America/Los_Angeles");
    /** The fixture's organizations' zone. */
    private static final LocalDate DAY = LocalDate.of(2026, 11, 2);
    private static final Instant NINE = Instant.parse("2026-11-02T09:00:00Z");
    private static final Instant TEN = NINE.plus(Duration.ofHours(1));
    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    private static final AtomicInteger ACCOUNTS = new AtomicInteger();

    private static Instant at(String hhmm) {
        return Instant.parse("2026-11-02T" + hhmm + ":00Z");
    }

    private static Span active(String application, String from, String to) {
        return active(application, at(from), at(to));
    }

    private static Span active(String application, Instant from, Instant to) {
        return Span.of(from, to, Activity.active(application, "/usr/bin/" + application, Optional.empty()));
    }

    private static Span browsing(String domain, String from, String to) {
        return Span.of(at(from), at(to), Activity.active("firefox", "/usr/bin/firefox", Optional.empty())
                .withPage(WebPage.ofDomain(domain)));
    }

    private void upload(EnrolledDevice device, Span... spans) {
        upload(device, 0, spans);
    }

    private void upload(EnrolledDevice device, long sequence, Span... spans) {
        Https.Response response = server.upload(device, sequence, List.of(spans));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    private UsageQueries usage() {
        return server.server().services().usage();
    }

    private static Actor operator(Organization organization) {
        return server.operator(organization.id());
    }

    private static UsageFilter on(LocalDate day) {
        return UsageFilter.of(DayRange.day(day));
    }

    private List<UsageTotal> applications(Actor actor, UsageFilter filter) {
        return usage().applications(actor, filter).rows();
    }

    /** A person with a device of their own that uploaded {@code spans}. */
    private Person personWith(Organization organization, String name, Span... spans) {
        EnrolledDevice device = server.enroll(organization);
        Person person = server.services().people().assignToNewPerson(operator(organization), device.id(), "alice",
                name);
        upload(device, spans);
        return person;
    }

    private static Actor signedIn(Organization organization, Role role) {
        String email = role.name().toLowerCase() + "-usage-" + ACCOUNTS.incrementAndGet() + "@example.org";
        server.server().administration().createAccount(organization.id(), email, PASSWORD.clone(), role);
        return server.signIn(email, PASSWORD.clone()).orElseThrow();
    }

    private static Actor viewer(Organization organization, Group group, boolean individualDetail) {
        String email = "viewer-usage-" + ACCOUNTS.incrementAndGet() + "@example.org";
        var account = server.server().administration().createAccount(organization.id(), email, PASSWORD.clone(),
                Role.VIEWER);
        server.services().groups().grantViewer(operator(organization), group.id(), account.id(), individualDetail);
        return server.signIn(email, PASSWORD.clone()).orElseThrow();
    }

    private static Group group(Organization organization, String name, List<Person> members) {
        Group group = server.services().groups().create(operator(organization), name);
        members.forEach(person -> server.services().groups().addMember(operator(organization), group.id(),
                person.id()));
        return group;
    }

    // --- the time-zone contract

    @Test
    void activeTimeIsSummedPerApplicationOverTheOrganizationsLocalDay() {
        Organization organization = server.newOrganization();
        EnrolledDevice a = server.enroll(organization);
        EnrolledDevice b = server.enroll(organization);
        upload(a,
                active("editor", "08:30", "09:30"),                                  // 60 min
                active("browser", "09:30", "09:40"),                                 // 10 min
                Span.of(at("09:40"), at("09:50"), Activity.of(ActivityState.IDLE)),  // idle: not counted
                active("editor", "09:50", "10:30"));                                 // 40 min
        upload(b,
                active("editor", "09:00", "09:15"),                                  // 15 min
                active("browser", "10:00", "10:10"),                                 // 10 min
                active("browser", "22:30", "23:30"));                                // 30 min before Berlin midnight

        assertThat(applications(operator(organization), on(DAY))).containsExactly(
                new UsageTotal("editor", Duration.ofMinutes(115), 2),
                new UsageTotal("browser", Duration.ofMinutes(50), 2));
    }

    @Test
    void aSpanCrossingLocalMidnightCountsOnBothDays() {
        Organization organization = server.newOrganization();
        upload(server.enroll(organization), active("terminal", Instant.parse("2026-11-02T22:00:00Z"),
                Instant.parse("2026-11-03T01:00:00Z")));

        assertThat(applications(operator(organization), on(DAY)))
                .containsExactly(new UsageTotal("terminal", Duration.ofHours(1), 1));
        assertThat(applications(operator(organization), on(DAY.plusDays(1))))
                .containsExactly(new UsageTotal("terminal", Duration.ofHours(2), 1));
    }

    @Test
    void todayAndYesterdayAreTheOrganizationsLocalDaysFarFromUtc() {
        Organization organization = server.newOrganization(AUCKLAND);
        // 23:00–23:30 on 3 November and 00:10–00:40 on 4 November in Auckland; both on 3 November in UTC
        upload(server.enroll(organization),
                active("late-evening", Instant.parse("2026-11-03T10:00:00Z"), Instant.parse("2026-11-03T10:30:00Z")),
                active("after-midnight", Instant.parse("2026-11-03T11:10:00Z"),
                        Instant.parse("2026-11-03T11:40:00Z")));

        Ranking today = usage().applications(operator(organization), UsageFilter.of(Period.today()));
        Ranking yesterday = usage().applications(operator(organization), UsageFilter.of(Period.yesterday()));

        assertThat(today.coverage().today()).isEqualTo(LocalDate.of(2026, 11, 4));
        assertThat(today.coverage().zone()).isEqualTo(AUCKLAND);
        assertThat(today.coverage().days()).isEqualTo(DayRange.day(LocalDate.of(2026, 11, 4)));
        assertThat(today.rows()).containsExactly(new UsageTotal("after-midnight", Duration.ofMinutes(30), 1));
        assertThat(yesterday.rows()).containsExactly(new UsageTotal("late-evening", Duration.ofMinutes(30), 1));
        assertThat(usage().applications(operator(organization), UsageFilter.of(Period.lastDays(7))).coverage()
                .days()).isEqualTo(DayRange.of(LocalDate.of(2026, 10, 29), LocalDate.of(2026, 11, 4)));
    }

    @Test
    void daylightSavingDaysHaveTwentyFiveAndTwentyThreeHoursAndCountThemAll() {
        Organization organization = server.newOrganization(LOS_ANGELES);
        EnrolledDevice device = server.enroll(organization);
        // active for every hour of 1 November 2026 (clocks go back: 25 hours) and of 8 March 2026 (forward: 23)
        upload(device, 0, hourly("night-shift", LocalDate.of(2026, 11, 1)));
        upload(device, 1, hourly("night-shift", LocalDate.of(2026, 3, 8)));

        Overview autumn = usage().overview(operator(organization),
                UsageFilter.of(DayRange.of(LocalDate.of(2026, 10, 31), LocalDate.of(2026, 11, 2))));
        Overview spring = usage().overview(operator(organization),
                UsageFilter.of(DayRange.of(LocalDate.of(2026, 3, 7), LocalDate.of(2026, 3, 9))));

        assertThat(autumn.days()).extracting(DayTotal::day, DayTotal::length, DayTotal::active).containsExactly(
                tuple(LocalDate.of(2026, 10, 31), Duration.ofHours(24), Duration.ZERO),
                tuple(LocalDate.of(2026, 11, 1), Duration.ofHours(25), Duration.ofHours(25)),
                tuple(LocalDate.of(2026, 11, 2), Duration.ofHours(24), Duration.ZERO));
        assertThat(spring.days()).extracting(DayTotal::day, DayTotal::length, DayTotal::active).containsExactly(
                tuple(LocalDate.of(2026, 3, 7), Duration.ofHours(24), Duration.ZERO),
                tuple(LocalDate.of(2026, 3, 8), Duration.ofHours(23), Duration.ofHours(23)),
                tuple(LocalDate.of(2026, 3, 9), Duration.ofHours(24), Duration.ZERO));
        assertThat(autumn.total()).isEqualTo(Duration.ofHours(25));
    }

    /** One-hour spans from the local day's first instant to the next day's: all of its 23, 24 or 25 hours. */
    private static Span[] hourly(String application, LocalDate day) {
        List<Span> spans = new ArrayList<>();
        Instant start = day.atStartOfDay(LOS_ANGELES).toInstant();
        Instant end = day.plusDays(1).atStartOfDay(LOS_ANGELES).toInstant();
        for (Instant hour = start; hour.isBefore(end); hour = hour.plus(Duration.ofHours(1))) {
            spans.add(active(application, hour, hour.plus(Duration.ofHours(1))));
        }
        return spans.toArray(Span[]::new);
    }

    @Test
    void anotherOrganizationsSpansAreNeverCounted() {
        Organization mine = server.newOrganization();
        Organization theirs = server.newOrganization();
        upload(server.enroll(theirs), active("secret-app", NINE, NINE.plus(Duration.ofMinutes(30))));

        assertThat(applications(operator(mine), on(DAY))).isEmpty();
        assertThat(usage().overview(operator(mine), on(DAY)).total()).isZero();
        assertThat(applications(operator(theirs), on(DAY))).hasSize(1);
    }

    @Test
    void excludedPausedAndUnknownTimeIsNeverCountedAsUsage() {
        Organization organization = server.newOrganization();
        upload(server.enroll(organization),
                active("editor", "09:00", "09:10"),
                Span.of(at("09:10"), at("09:20"), Activity.of(ActivityState.EXCLUDED)),
                Span.of(at("09:20"), at("09:40"), Activity.of(ActivityState.PAUSED)),
                Span.of(at("09:40"), at("09:50"), Activity.of(ActivityState.UNKNOWN)));

        assertThat(applications(operator(organization), on(DAY)))
                .containsExactly(new UsageTotal("editor", Duration.ofMinutes(10), 1));
        assertThat(usage().overview(operator(organization), on(DAY)).total()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aPeriodMustNotEndBeforeItStartsNorBeLongerThanAYear() {
        assertThatThrownBy(() -> DayRange.of(DAY, DAY.minusDays(1))).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> DayRange.of(DAY.minusDays(DayRange.MAX_DAYS), DAY))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> Period.lastDays(0)).isInstanceOf(InvalidRequestException.class);
        assertThat(DayRange.of(DAY.minusDays(DayRange.MAX_DAYS - 1), DAY).days()).isEqualTo(DayRange.MAX_DAYS);
    }

    // --- sites, categories, productivity

    @Test
    void sitesCategoriesAndTheProductivitySplitWithAGroupsOwnRating() {
        Organization organization = server.newOrganization();
        Actor operator = operator(organization);
        var development = server.services().organizations().createCategory(operator, "Development");
        server.services().organizations().addCategoryRule(operator, development.id(), CategoryRule.Kind.APPLICATION,
                "editor");
        var news = server.services().organizations().createCategory(operator, "News");
        server.services().organizations().addCategoryRule(operator, news.id(), CategoryRule.Kind.DOMAIN,
                "news.example.org");
        rate(organization, "Development", "PRODUCTIVE");
        rate(organization, "News", "UNPRODUCTIVE");
        List<Person> people = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            people.add(personWith(organization, "Reader " + i, active("editor", "09:00", "09:30"),
                    browsing("news.example.org", "10:00", "10:10"), browsing("docs.example.com", "10:10", "10:15"),
                    active("terminal", "11:00", "11:04")));
        }
        Group press = group(organization, "Press", people);
        // the press office reads the news for a living
        server.jdbi().useHandle(handle -> handle.createUpdate("""
                        INSERT INTO category_group_ratings (organization_id, group_id, category_id, productivity)
                        VALUES (?, ?, ?, 'PRODUCTIVE')""")
                .bind(0, organization.id()).bind(1, press.id()).bind(2, news.id()).execute());

        Ranking sites = usage().sites(operator, on(DAY));
        Overview organizationView = usage().overview(operator, on(DAY));
        Overview pressView = usage().overview(operator, on(DAY).inGroup(press.id()));

        assertThat(sites.rows()).containsExactly(new UsageTotal("news.example.org", Duration.ofMinutes(50), 5),
                new UsageTotal("docs.example.com", Duration.ofMinutes(25), 5));
        assertThat(sites.total()).isEqualTo(Duration.ofMinutes(75));
        assertThat(usage().categories(operator, on(DAY)).rows()).extracting(CategoryTotal::category,
                CategoryTotal::productivity, CategoryTotal::active).containsExactly(
                tuple("Development", Productivity.PRODUCTIVE, Duration.ofMinutes(150)),
                tuple("News", Productivity.UNPRODUCTIVE, Duration.ofMinutes(50)),
                tuple("", Productivity.UNCATEGORISED, Duration.ofMinutes(45)));
        assertThat(organizationView.productivity()).containsEntry(Productivity.PRODUCTIVE, Duration.ofMinutes(150))
                .containsEntry(Productivity.UNPRODUCTIVE, Duration.ofMinutes(50))
                .containsEntry(Productivity.NEUTRAL, Duration.ZERO)
                .containsEntry(Productivity.UNCATEGORISED, Duration.ofMinutes(45));
        assertThat(pressView.productivity()).containsEntry(Productivity.PRODUCTIVE, Duration.ofMinutes(200))
                .containsEntry(Productivity.UNPRODUCTIVE, Duration.ZERO);
        assertThat(organizationView.topSites()).extracting(UsageTotal::name)
                .containsExactly("news.example.org", "docs.example.com");
        assertThat(organizationView.topApplications()).extracting(UsageTotal::name)
                .containsExactly("editor", "firefox", "terminal");
    }

    private static void rate(Organization organization, String category, String productivity) {
        server.jdbi().useHandle(handle -> handle.createUpdate(
                        "UPDATE categories SET productivity = ? WHERE organization_id = ? AND name = ?")
                .bind(0, productivity).bind(1, organization.id()).bind(2, category).execute());
    }

    // --- team views and the minimum group size

    @Test
    void aGroupOfFourShowsNothingAndAGroupOfFiveItsAggregatesForEveryRole() {
        Organization organization = server.newOrganization();
        List<Person> people = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            people.add(personWith(organization, "Member " + i, active("editor", "09:00", "09:10")));
        }
        Group four = group(organization, "Four", people.subList(0, 4));
        Group five = group(organization, "Five", people);

        for (Actor actor : List.of(operator(organization), signedIn(organization, Role.AUDITOR),
                viewer(organization, four, false))) {
            Overview small = usage().overview(actor, on(DAY).inGroup(four.id()));
            assertThat(small.coverage().withheld()).isTrue();
            assertThat(small.coverage().group()).hasValueSatisfying(team -> {
                assertThat(team.size()).isEqualTo(4);
                assertThat(team.minimum()).isEqualTo(5);
            });
            assertThat(small.total()).isZero();
            assertThat(small.topApplications()).isEmpty();
            assertThat(usage().applications(actor, on(DAY).inGroup(four.id())).rows()).isEmpty();
        }
        Actor viewerOfFive = viewer(organization, five, false);
        Overview large = usage().overview(viewerOfFive, on(DAY).inGroup(five.id()));
        assertThat(large.coverage().withheld()).isFalse();
        assertThat(large.total()).isEqualTo(Duration.ofMinutes(50));
        assertThat(usage().applications(viewerOfFive, on(DAY).inGroup(five.id())).rows())
                .containsExactly(new UsageTotal("editor", Duration.ofMinutes(50), 5));
    }

    @Test
    void aViewerSeesOnlyItsGroupsAndASmallGroupOnlyWithIndividualDetail() {
        Organization organization = server.newOrganization();
        List<Person> large = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            large.add(personWith(organization, "Large " + i, active("editor", "09:00", "09:10")));
        }
        Person alone = personWith(organization, "Alone", active("payroll", "09:00", "10:00"));
        Person other = personWith(organization, "Other", active("secret-tool", "09:00", "10:00"));
        Group big = group(organization, "Big", large);
        Group solo = group(organization, "Solo", List.of(alone));
        Group elsewhere = group(organization, "Elsewhere", List.of(other));

        Actor ofBoth = viewer(organization, big, false);
        server.services().groups().grantViewer(operator(organization), solo.id(), ofBoth.accountId().orElseThrow(),
                false);
        Actor ofSoloOnly = viewer(organization, solo, false);
        Actor withDetail = viewer(organization, solo, true);

        // the group of one counts nowhere without individual detail; "Elsewhere" was never given
        assertThat(applications(ofBoth, on(DAY))).containsExactly(new UsageTotal("editor",
                Duration.ofMinutes(50), 5));
        Overview soloOnly = usage().overview(ofSoloOnly, on(DAY));
        assertThat(soloOnly.coverage().withheld()).isTrue();
        assertThat(soloOnly.total()).isZero();
        assertThat(soloOnly.silentDevices()).isEmpty();
        assertThat(applications(withDetail, on(DAY))).containsExactly(new UsageTotal("payroll",
                Duration.ofHours(1), 1));
        assertThat(usage().teams(ofBoth).teams()).extracting(team -> team.name()).containsExactly("Big", "Solo");
        assertThatThrownBy(() -> usage().overview(ofBoth, on(DAY).inGroup(elsewhere.id())))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> usage().applications(withDetail, on(DAY).ofPerson(other.id())))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> usage().applications(ofBoth, on(DAY).ofPerson(large.get(0).id())))
                .isInstanceOf(NotPermittedException.class);
        assertThat(applications(withDetail, on(DAY).ofPerson(alone.id())))
                .containsExactly(new UsageTotal("payroll", Duration.ofHours(1), 1));
        assertThat(applications(signedIn(organization, Role.AUDITOR), on(DAY))).extracting(UsageTotal::name)
                .containsExactly("payroll", "secret-tool", "editor");
    }

    @Test
    void whoUsedItListsPeopleOnlyToWhomMaySeeThemAndOnlyThoseItMay() {
        Organization organization = server.newOrganization();
        Person ada = personWith(organization, "Ada", active("editor", "09:00", "10:00"),
                browsing("docs.example.com", "10:00", "10:20"));
        Person bob = personWith(organization, "Bob", active("editor", "09:00", "09:30"));
        personWith(organization, "Cy", active("mail", "09:00", "09:30"));
        Group pair = group(organization, "Pair", List.of(bob));

        assertThat(usage().users(operator(organization), Dimension.APPLICATION, "editor", on(DAY)).people())
                .extracting(row -> row.person().displayName(), PersonUsage::active)
                .containsExactly(tuple("Ada", Duration.ofHours(1)), tuple("Bob", Duration.ofMinutes(30)));
        assertThat(usage().users(operator(organization), Dimension.SITE, "docs.example.com", on(DAY)).people())
                .extracting(row -> row.person().id()).containsExactly(ada.id());
        assertThat(usage().users(operator(organization), Dimension.CATEGORY, "", on(DAY)).people()).hasSize(3);
        assertThat(usage().users(viewer(organization, pair, true), Dimension.APPLICATION, "editor", on(DAY))
                .people()).extracting(row -> row.person().id()).containsExactly(bob.id());
        assertThatThrownBy(() -> usage().users(viewer(organization, pair, false), Dimension.APPLICATION, "editor",
                on(DAY))).isInstanceOf(NotPermittedException.class);
    }

    // --- accountability

    @Test
    void everyReportIsOneAuditEntryNamingItsDaysAndThePersonItShowed() {
        Organization organization = server.newOrganization(AUCKLAND);
        Person person = personWith(organization, "Audited", active("editor", "09:00", "09:10"));
        Actor auditor = signedIn(organization, Role.AUDITOR);
        long before = server.count("SELECT count(*) FROM audit_log WHERE organization_id = ?", organization.id());

        usage().overview(auditor, UsageFilter.of(Period.lastDays(7)));
        usage().categories(auditor, UsageFilter.of(Period.today()).ofPerson(person.id()));

        assertThat(server.count("SELECT count(*) FROM audit_log WHERE organization_id = ?", organization.id()))
                .isEqualTo(before + 2);
        List<AuditEntry> entries = server.services().audit().search(operator(organization),
                AuditQuery.newest(2)).entries();
        assertThat(entries).extracting(AuditEntry::action, entry -> entry.subject().text(),
                entry -> entry.subject().person()).containsExactly(
                tuple("view-individual-usage", "person " + person.id() + "; categories 2026-11-04/2026-11-04",
                        Optional.of(person.id())),
                tuple("view-usage", "overview 2026-10-29/2026-11-04", Optional.empty()));
    }
}
