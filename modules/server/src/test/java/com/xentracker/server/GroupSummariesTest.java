package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.core.activity.WebPage;
import com.xentracker.server.ServerFixture.EnrolledDevice;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.maintenance.DashboardSummaries;
import com.xentracker.server.maintenance.RollupRecompute;
import com.xentracker.server.organization.Category;
import com.xentracker.server.organization.CategoryRule;
import com.xentracker.server.organization.NewCategoryRule;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.organization.OrganizationSettings;
import com.xentracker.server.organization.Recategorization;
import com.xentracker.server.people.Group;
import com.xentracker.server.people.Person;
import com.xentracker.server.usage.DayRange;
import com.xentracker.server.usage.UsageFilter;
import com.xentracker.server.usage.UsageTotal;
import com.xentracker.testing.https.Https;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Team views and a viewer's reports read their groups' per-day summaries ({@code group_days}) with the days marked in
 * {@code rollup_changes} or {@code group_changes} read from the rollups: the figures equal a direct aggregate over
 * the group's people's rollups at once after every change (new uploads, a member added or removed, a
 * re-categorisation, a merge, a deletion) and after the summarizing job. And a change of the organization's time zone
 * recounts the days the spans still cover into the new zone's days.
 */
class GroupSummariesTest {

    /** After the data (from 2026-11-20, ten days); only ever moved forwards by the tests. */
    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-12-01T12:00:00Z"));

    /** The fixture's organizations' zone. */
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final LocalDate FIRST_DAY = LocalDate.of(2026, 11, 20);
    private static final int DAYS = 10;
    private static final String[] APPLICATIONS = {"editor", "terminal", "mail", "chat"};
    private static final String[] DOMAINS = {"docs.example.com", "news.example.org", "example.net"};
    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    private static final AtomicInteger ACCOUNTS = new AtomicInteger();

    private record Member(Person person, EnrolledDevice device, long[] sequence) {
    }

    private static Actor operator(Organization organization) {
        return server.operator(organization.id());
    }

    private static void upload(Member member, List<Span> spans) {
        Https.Response response = server.upload(member.device(), member.sequence()[0]++, spans);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    /** Spans on random days of the ten, each 5 to 120 minutes of an application or a site, some across midnight. */
    private static List<Span> randomSpans(Random random, int count) {
        List<Span> spans = new ArrayList<>();
        Instant free = FIRST_DAY.atStartOfDay(BERLIN).toInstant();
        for (int i = 0; i < count; i++) {
            // in time order and apart, as an agent reports them
            Instant start = free.plus(Duration.ofMinutes(30 + random.nextInt(DAYS * 24 * 60 / count)));
            Instant end = start.plus(Duration.ofMinutes(5 + random.nextInt(115)));
            free = end;
            Activity activity = random.nextInt(3) == 0
                    ? Activity.active("chromium", "/usr/bin/chromium", Optional.empty())
                            .withPage(WebPage.ofDomain(DOMAINS[random.nextInt(DOMAINS.length)]))
                    : Activity.active(APPLICATIONS[random.nextInt(APPLICATIONS.length)], "/usr/bin/app",
                            Optional.empty());
            spans.add(Span.of(start, end, activity));
        }
        return spans;
    }

    private static List<Member> people(Organization organization, Random random, int count) {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            EnrolledDevice device = server.enroll(organization);
            Person person = server.services().people().assignToNewPerson(operator(organization), device.id(),
                    "alice", "Person " + i);
            Member member = new Member(person, device, new long[1]);
            upload(member, randomSpans(random, 12));
            members.add(member);
        }
        return members;
    }

    private static Group group(Organization organization, String name, List<Member> members) {
        Group group = server.services().groups().create(operator(organization), name);
        members.forEach(member -> server.services().groups().addMember(operator(organization), group.id(),
                member.person().id()));
        return group;
    }

    private static Actor viewer(Organization organization, List<Group> groups) {
        String email = "viewer-groups-" + ACCOUNTS.incrementAndGet() + "@example.org";
        var account = server.server().administration().createAccount(organization.id(), email, PASSWORD.clone(),
                Role.VIEWER);
        groups.forEach(group -> server.services().groups().grantViewer(operator(organization), group.id(),
                account.id(), false));
        return server.signIn(email, PASSWORD.clone()).orElseThrow();
    }

    private static void summarize() {
        server.jdbi().useHandle(handle -> DashboardSummaries.run(handle, server.clock().instant()));
    }

    private static void recompute() {
        server.jdbi().useHandle(handle -> RollupRecompute.run(handle, server.clock(), Duration.ofMinutes(1)));
    }

    private static long groupMarks(Organization organization) {
        return server.count("SELECT count(*) FROM group_changes WHERE organization_id = ?", organization.id());
    }

    private static long groupSummaries(Organization organization) {
        return server.count("SELECT count(*) FROM group_days WHERE organization_id = ?", organization.id());
    }

    // --- what the reports would be if they summed the people's rollups (as before the group summaries)

    /** The people now in any of {@code groups}. */
    private static String[] members(Organization organization, List<Group> groups) {
        return server.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT DISTINCT CAST(person_id AS text) FROM group_members
                        WHERE organization_id = :organization AND group_id = ANY(CAST(:groups AS uuid[]))""")
                .bind("organization", organization.id())
                .bind("groups", groups.stream().map(g -> g.id().toString()).toArray(String[]::new))
                .mapTo(String.class)
                .list()
                .toArray(String[]::new));
    }

    private static List<UsageTotal> direct(Organization organization, List<Group> groups, String column,
            DayRange days) {
        return server.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT name, sum(active_ms) AS active_ms, count(*) AS devices
                        FROM (SELECT %1$s AS name, device_id, sum(active_ms) AS active_ms
                              FROM rollups
                              WHERE organization_id = :organization AND person_id = ANY(CAST(:people AS uuid[]))
                                AND day >= :first AND day <= :last
                                AND active_ms > 0 AND (%1$s <> '' OR :column <> 'domain')
                              GROUP BY %1$s, device_id) per_device
                        GROUP BY name
                        ORDER BY active_ms DESC, name""".formatted(column))
                .bind("organization", organization.id())
                .bind("people", members(organization, groups))
                .bind("column", column)
                .bind("first", days.first())
                .bind("last", days.last())
                .map((rs, ctx) -> new UsageTotal(rs.getString(1), Duration.ofMillis(rs.getLong(2)),
                        rs.getLong(3)))
                .list());
    }

    private static Map<LocalDate, Long> directPerDay(Organization organization, List<Group> groups, DayRange days) {
        Map<LocalDate, Long> perDay = new TreeMap<>();
        server.jdbi().useHandle(handle -> handle.createQuery("""
                        SELECT day, sum(active_ms) FROM rollups
                        WHERE organization_id = :organization AND person_id = ANY(CAST(:people AS uuid[]))
                          AND day >= :first AND day <= :last AND active_ms > 0
                        GROUP BY day""")
                .bind("organization", organization.id())
                .bind("people", members(organization, groups))
                .bind("first", days.first())
                .bind("last", days.last())
                .map((rs, ctx) -> Map.entry(rs.getObject(1, LocalDate.class), rs.getLong(2)))
                .forEach(entry -> perDay.put(entry.getKey(), entry.getValue())));
        return perDay;
    }

    /** A team view's reports over several periods equal the direct aggregate over the group's people's rollups. */
    private static void assertTeamEqualsRollups(Organization organization, Group group) {
        var usage = server.services().usage();
        Actor operator = operator(organization);
        int checked = 0;
        for (DayRange days : List.of(DayRange.of(FIRST_DAY, FIRST_DAY.plusDays(DAYS)),
                DayRange.day(FIRST_DAY.plusDays(3)), DayRange.of(FIRST_DAY.plusDays(2), FIRST_DAY.plusDays(6)))) {
            UsageFilter filter = UsageFilter.of(days).inGroup(group.id());
            String what = group.name() + " " + days;
            assertThat(usage.applications(operator, filter).rows()).as("applications of %s", what)
                    .containsExactlyElementsOf(direct(organization, List.of(group), "application", days));
            assertThat(usage.sites(operator, filter).rows()).as("sites of %s", what)
                    .containsExactlyElementsOf(direct(organization, List.of(group), "domain", days));
            assertThat(usage.categories(operator, filter).rows().stream()
                    .map(row -> new UsageTotal(row.category(), row.active(), row.devices())).toList())
                    .as("categories of %s", what)
                    .containsExactlyElementsOf(direct(organization, List.of(group), "category", days));
            Map<LocalDate, Long> perDay = new TreeMap<>();
            var overview = usage.overview(operator, filter);
            overview.days().stream().filter(day -> !day.active().isZero())
                    .forEach(day -> perDay.put(day.day(), day.active().toMillis()));
            assertThat(perDay).as("active time per day of %s", what)
                    .isEqualTo(directPerDay(organization, List.of(group), days));
            assertThat(overview.topApplications()).as("top applications of %s", what)
                    .containsExactlyElementsOf(direct(organization, List.of(group), "application", days).stream()
                            .limit(overview.topApplications().size()).toList());
            checked += perDay.isEmpty() ? 0 : 1;
        }
        assertThat(checked).as("periods with data").isPositive();
    }

    /** A viewer's own aggregate (the groups it is given) equals the direct aggregate over their people. */
    private static void assertViewerEqualsRollups(Organization organization, Actor viewer, List<Group> groups) {
        DayRange days = DayRange.of(FIRST_DAY, FIRST_DAY.plusDays(DAYS));
        var usage = server.services().usage();
        assertThat(usage.applications(viewer, UsageFilter.of(days)).rows()).as("a viewer's applications")
                .containsExactlyElementsOf(direct(organization, groups, "application", days));
        assertThat(usage.sites(viewer, UsageFilter.of(days)).rows()).as("a viewer's sites")
                .containsExactlyElementsOf(direct(organization, groups, "domain", days));
        Map<LocalDate, Long> perDay = new TreeMap<>();
        usage.overview(viewer, UsageFilter.of(days)).days().stream().filter(day -> !day.active().isZero())
                .forEach(day -> perDay.put(day.day(), day.active().toMillis()));
        assertThat(perDay).as("a viewer's active time per day").isEqualTo(directPerDay(organization, groups, days));
    }

    private void assertAll(Organization organization, List<Group> groups, Actor viewer) {
        groups.forEach(group -> assertTeamEqualsRollups(organization, group));
        assertViewerEqualsRollups(organization, viewer, groups);
    }

    @Test
    void teamAndViewerReportsEqualTheirPeoplesRollupsThroughMembershipRecategorisationMergeAndDeletion() {
        Random random = new Random(11);
        Organization organization = server.newOrganization();
        List<Member> people = people(organization, random, 11);
        Group first = group(organization, "First", people.subList(0, 5));
        Group second = group(organization, "Second", people.subList(5, 10));
        List<Group> groups = List.of(first, second);
        Actor viewer = viewer(organization, groups);

        // nothing summarized yet: every day is read from the rollups
        assertAll(organization, groups, viewer);
        summarize();
        assertThat(groupSummaries(organization)).isPositive();
        assertThat(groupMarks(organization)).isZero();
        assertAll(organization, groups, viewer);

        // new uploads: their days are read from the rollups until the next run
        upload(people.get(1), randomSpans(random, 6));
        upload(people.get(7), randomSpans(random, 6));
        assertAll(organization, groups, viewer);
        summarize();
        assertAll(organization, groups, viewer);

        // a member added: the group's days of that person are marked, then summarized with them
        server.services().groups().addMember(operator(organization), first.id(), people.get(10).person().id());
        assertThat(groupMarks(organization)).isPositive();
        assertAll(organization, groups, viewer);
        summarize();
        assertThat(groupMarks(organization)).isZero();
        assertAll(organization, groups, viewer);

        // a person in both groups: the viewer's aggregate counts them once (read from the rollups)
        server.services().groups().addMember(operator(organization), second.id(), people.get(0).person().id());
        summarize();
        assertAll(organization, groups, viewer);
        server.services().groups().removeMember(operator(organization), second.id(), people.get(0).person().id());
        assertAll(organization, groups, viewer);
        summarize();
        assertAll(organization, groups, viewer);

        // a re-categorisation: the days it moved are marked by it
        Category development = server.services().organizations().createCategory(operator(organization),
                "Development");
        server.services().organizations().addCategoryRule(operator(organization), development.id(),
                new NewCategoryRule(CategoryRule.Kind.APPLICATION, "editor", false));
        recompute();
        assertAll(organization, groups, viewer);
        summarize();
        assertThat(direct(organization, List.of(first), "category", DayRange.of(FIRST_DAY,
                FIRST_DAY.plusDays(DAYS)))).extracting(UsageTotal::name).contains("Development");
        assertAll(organization, groups, viewer);

        // a merge across groups: the source's time moves into the other group
        server.services().people().merge(operator(organization), people.get(2).person().id(),
                people.get(6).person().id());
        assertAll(organization, groups, viewer);
        summarize();
        assertAll(organization, groups, viewer);

        // a deletion (erasure) of a person
        server.services().people().delete(operator(organization), people.get(3).person().id());
        assertAll(organization, groups, viewer);
        summarize();
        assertAll(organization, groups, viewer);
    }

    // --- the time zone

    private static long activeOn(Organization organization, LocalDate day) {
        return server.services().usage().applications(operator(organization), UsageFilter.of(DayRange.day(day)))
                .total().toMillis();
    }

    @Test
    void aTimeZoneChangeRecountsTheDaysTheSpansCoverIntoTheNewZonesDays() {
        Organization organization = server.newOrganization(ZoneId.of("UTC"));
        Random random = new Random(3);
        List<Member> people = people(organization, random, 5);
        Group team = group(organization, "Team", people);
        // 23:30–23:50 UTC on 28 November: the 28th in UTC, already 29 November 12:30 in Auckland (UTC+13)
        Instant late = Instant.parse("2026-11-28T23:30:00Z");
        long before28 = activeOn(organization, LocalDate.of(2026, 11, 28));
        upload(people.get(0), List.of(Span.of(late, late.plus(Duration.ofMinutes(20)),
                Activity.active("latecomer", "/usr/bin/latecomer", Optional.empty()))));
        summarize();
        assertThat(activeOn(organization, LocalDate.of(2026, 11, 28)) - before28).isEqualTo(20 * 60_000L);
        long totalBefore = server.count("SELECT coalesce(sum(active_ms), 0) FROM rollups WHERE organization_id = ?",
                organization.id());

        OrganizationSettings settings = server.services().organizations().settings(operator(organization));
        server.services().organizations().updateSettings(operator(organization), new OrganizationSettings(
                settings.name(), ZoneId.of("Pacific/Auckland"), settings.requireTwoFactor(),
                settings.minimumGroupSize(), settings.silentAfterHours()));
        Recategorization queued = server.services().organizations().recategorization(operator(organization));
        assertThat(queued.recount()).isTrue();
        assertThat(queued.state()).isEqualTo(Recategorization.State.QUEUED);

        recompute();
        assertThat(server.services().organizations().recategorization(operator(organization)).state())
                .isEqualTo(Recategorization.State.DONE);
        // the recounted days are marked, and read from the rollups until summarized: right before and after
        for (boolean summarized : new boolean[] {false, true}) {
            if (summarized) {
                summarize();
            }
            var usage = server.services().usage();
            var day29 = usage.applications(operator(organization), UsageFilter.of(DayRange.day(
                    LocalDate.of(2026, 11, 29))));
            assertThat(day29.rows()).extracting(UsageTotal::name).as("summarized %s", summarized)
                    .contains("latecomer");
            assertThat(day29.rows()).filteredOn(row -> row.name().equals("latecomer"))
                    .extracting(UsageTotal::active).containsExactly(Duration.ofMinutes(20));
            var day28 = usage.applications(operator(organization), UsageFilter.of(DayRange.day(
                    LocalDate.of(2026, 11, 28))));
            assertThat(day28.rows()).extracting(UsageTotal::name).doesNotContain("latecomer");
            var team29 = usage.applications(operator(organization), UsageFilter.of(DayRange.day(
                    LocalDate.of(2026, 11, 29))).inGroup(team.id()));
            assertThat(team29.rows()).extracting(UsageTotal::name).as("the team view").contains("latecomer");
            assertTeamEqualsRollups(organization, team);
        }
        // nothing lost or counted twice: the spans are all within the span retention
        assertThat(server.count("SELECT coalesce(sum(active_ms), 0) FROM rollups WHERE organization_id = ?",
                organization.id())).isEqualTo(totalBefore);
    }
}
