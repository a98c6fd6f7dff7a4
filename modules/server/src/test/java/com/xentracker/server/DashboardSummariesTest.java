package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.Span;
import com.xentracker.server.ServerFixture.EnrolledDevice;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.people.Person;
import com.xentracker.server.maintenance.DashboardSummaries;
import com.xentracker.server.rollup.DailyRollups;
import com.xentracker.server.usage.DayRange;
import com.xentracker.server.usage.UsageFilter;
import com.xentracker.server.usage.UsageTotal;
import com.xentracker.testing.https.Https;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reports' per-day summaries ({@code app_days}, {@code site_days}, {@code category_days}) with the marks of
 * changed days ({@code rollup_changes}) give exactly the answer of a direct aggregate over the rollups (applications,
 * sites, categories and active time per day), at once after every change and after every job run.
 */
class DashboardSummariesTest {

    /** After the data (from 2026-10-20, a few weeks); only ever moved forwards by the tests. */
    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-12-01T12:00:00Z"));

    /** The fixture's organizations' zone. */
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final LocalDate FIRST_DAY = LocalDate.of(2026, 10, 20);
    private static final String[] APPLICATIONS = {"editor", "terminal", "chromium", "mail", "chat"};
    private static final String[] DOMAINS = {"docs.example.com", "news.example.org", "example.net"};
    private static final String[] CATEGORIES = {"", "Development", "Communication"};

    /**
     * What the reports answered before the summaries: the aggregate over the rollups themselves, by application,
     * domain (sites: browsers only) or category.
     */
    private static List<UsageTotal> direct(UUID organization, String column, LocalDate first, LocalDate end) {
        return server.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT name, sum(active_ms) AS active_ms, count(*) AS devices
                        FROM (SELECT %1$s AS name, device_id, sum(active_ms) AS active_ms
                              FROM rollups
                              WHERE organization_id = :organization AND day >= :first AND day < :end
                                AND active_ms > 0 AND (%1$s <> '' OR :column <> 'domain')
                              GROUP BY %1$s, device_id) per_device
                        GROUP BY name
                        ORDER BY active_ms DESC, name""".formatted(column))
                .bind("organization", organization)
                .bind("column", column)
                .bind("first", first)
                .bind("end", end)
                .map((rs, ctx) -> new UsageTotal(rs.getString(1), Duration.ofMillis(rs.getLong(2)),
                        rs.getLong(3)))
                .list());
    }

    private static List<UsageTotal> direct(UUID organization, LocalDate first, LocalDate end) {
        return direct(organization, "application", first, end);
    }

    /** The applications report of the whole organization, days {@code first} to {@code end} (exclusive). */
    private static List<UsageTotal> dashboard(UUID organization, LocalDate first, LocalDate end) {
        return server.services().usage().applications(server.operator(organization), days(first, end)).rows();
    }

    private static List<UsageTotal> sites(UUID organization, LocalDate first, LocalDate end) {
        return server.services().usage().sites(server.operator(organization), days(first, end)).rows();
    }

    private static List<UsageTotal> categories(UUID organization, LocalDate first, LocalDate end) {
        return server.services().usage().categories(server.operator(organization), days(first, end)).rows().stream()
                .map(row -> new UsageTotal(row.category(), row.active(), row.devices())).toList();
    }

    /** The overview's active time per day, as (day, milliseconds) of the days with any. */
    private static Map<LocalDate, Long> perDay(UUID organization, LocalDate first, LocalDate end) {
        Map<LocalDate, Long> days = new java.util.TreeMap<>();
        server.services().usage().overview(server.operator(organization), days(first, end)).days().stream()
                .filter(day -> !day.active().isZero())
                .forEach(day -> days.put(day.day(), day.active().toMillis()));
        return days;
    }

    private static Map<LocalDate, Long> directPerDay(UUID organization, LocalDate first, LocalDate end) {
        Map<LocalDate, Long> days = new java.util.TreeMap<>();
        server.jdbi().useHandle(handle -> handle.createQuery("""
                        SELECT day, sum(active_ms) FROM rollups
                        WHERE organization_id = :organization AND day >= :first AND day < :end AND active_ms > 0
                        GROUP BY day""")
                .bind("organization", organization)
                .bind("first", first)
                .bind("end", end)
                .map((rs, ctx) -> Map.entry(rs.getObject(1, LocalDate.class), rs.getLong(2)))
                .forEach(entry -> days.put(entry.getKey(), entry.getValue())));
        return days;
    }

    private static UsageFilter days(LocalDate first, LocalDate end) {
        return UsageFilter.of(DayRange.of(first, end.minusDays(1)));
    }

    /** Every period of the first 30 days of the data the test checks: each length from a few starting days. */
    private static void assertDashboardEqualsRollups(UUID organization) {
        int checked = 0;
        for (int start = 0; start < 30; start += 7) {
            for (int length : new int[] {1, 2, 7, 30}) {
                LocalDate first = FIRST_DAY.plusDays(start);
                LocalDate end = first.plusDays(length);
                assertThat(dashboard(organization, first, end)).as("%s to %s", first, end)
                        .containsExactlyElementsOf(direct(organization, first, end));
                assertThat(sites(organization, first, end)).as("sites %s to %s", first, end)
                        .containsExactlyElementsOf(direct(organization, "domain", first, end));
                assertThat(categories(organization, first, end)).as("categories %s to %s", first, end)
                        .containsExactlyElementsOf(direct(organization, "category", first, end));
                assertThat(perDay(organization, first, end)).as("per day %s to %s", first, end)
                        .isEqualTo(directPerDay(organization, first, end));
                checked += direct(organization, first, end).isEmpty() ? 0 : 1;
            }
        }
        assertThat(checked).as("periods with data").isPositive();
    }

    private static void summarize() {
        server.jdbi().useHandle(handle -> DashboardSummaries.run(handle, server.clock().instant()));
    }

    private static long marks(UUID organization) {
        return server.count("SELECT count(*) FROM rollup_changes WHERE organization_id = ?", organization);
    }

    private static long summaries(UUID organization) {
        return server.count("SELECT count(*) FROM app_days WHERE organization_id = ?", organization);
    }

    /**
     * Random spans over 30 days of the given devices, added to the rollups the way ingest adds them: one batch (and
     * transaction) per device.
     */
    private static void randomActivity(Random random, Organization organization, List<EnrolledDevice> devices,
            int spans) {
        Map<EnrolledDevice, DailyRollups> batches = new LinkedHashMap<>();
        for (int i = 0; i < spans; i++) {
            EnrolledDevice device = devices.get(random.nextInt(devices.size()));
            DailyRollups rollups = batches.computeIfAbsent(device, d -> DailyRollups.in(BERLIN));
            Instant start = FIRST_DAY.atStartOfDay(BERLIN).toInstant()
                    .plus(Duration.ofMinutes(random.nextInt(30 * 24 * 60)));
            // up to 5 hours: some cross local midnight and count on two days
            Instant end = start.plus(Duration.ofMinutes(1 + random.nextInt(300)));
            ActivityState state = random.nextInt(5) == 0 ? ActivityState.IDLE : ActivityState.ACTIVE;
            String application = state == ActivityState.ACTIVE ? APPLICATIONS[random.nextInt(APPLICATIONS.length)]
                    : "";
            // the browser's time on one of a few sites; categories by no rule in particular
            String domain = application.equals("chromium") ? DOMAINS[random.nextInt(DOMAINS.length)] : "";
            String category = state == ActivityState.ACTIVE ? CATEGORIES[random.nextInt(CATEGORIES.length)] : "";
            // the person is not part of the organization's answers; two per device make several rows per key
            UUID person = new UUID(device.id().getMostSignificantBits(), random.nextInt(2));
            rollups.add(person, device.id(), start, end, state, application, domain, category);
        }
        batches.values().forEach(rollups -> server.jdbi().useTransaction(handle ->
                rollups.addTo(handle, organization.id())));
    }

    @Test
    void summarizedAnswersEqualTheDirectAggregateBeforeAndAfterTheJobOnRandomData() {
        Random random = new Random(6);
        List<Organization> organizations = List.of(server.newOrganization(), server.newOrganization(),
                server.newOrganization());
        List<List<EnrolledDevice>> devices = new ArrayList<>();
        for (Organization organization : organizations) {
            List<EnrolledDevice> enrolled = new ArrayList<>();
            for (int i = 0; i < 3 + random.nextInt(5); i++) {
                enrolled.add(server.enroll(organization));
            }
            devices.add(enrolled);
        }
        for (int i = 0; i < organizations.size(); i++) {
            randomActivity(random, organizations.get(i), devices.get(i), 300);
        }
        for (Organization organization : organizations) {
            assertThat(marks(organization.id())).isPositive();
            assertDashboardEqualsRollups(organization.id());
        }

        summarize();
        for (Organization organization : organizations) {
            assertThat(marks(organization.id())).isZero();
            assertThat(summaries(organization.id())).isPositive();
            assertDashboardEqualsRollups(organization.id());
        }

        // more activity on some days: those are read from the rollups until the next run, the rest from summaries
        for (int i = 0; i < organizations.size(); i++) {
            randomActivity(random, organizations.get(i), devices.get(i), 20);
        }
        for (Organization organization : organizations) {
            assertThat(marks(organization.id())).isPositive();
            assertDashboardEqualsRollups(organization.id());
        }
        summarize();
        for (Organization organization : organizations) {
            assertThat(marks(organization.id())).isZero();
            assertDashboardEqualsRollups(organization.id());
        }
    }

    private static void upload(EnrolledDevice device, long sequence, Span... spans) {
        Https.Response response = server.upload(device, sequence, List.of(spans));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    private static Span active(String application, LocalDate day, int hour, int minutes) {
        Instant start = day.atTime(hour, 0).atZone(BERLIN).toInstant();
        return Span.of(start, start.plus(Duration.ofMinutes(minutes)),
                Activity.active(application, "/usr/bin/" + application, Optional.empty()));
    }

    @Test
    void aLateUploadForAnAlreadySummarizedDayShowsAtOnceAndAfterTheNextRun() {
        Organization organization = server.newOrganization();
        EnrolledDevice a = server.enroll(organization);
        EnrolledDevice b = server.enroll(organization);
        LocalDate day = FIRST_DAY.plusDays(3);
        upload(a, 0, active("editor", day, 9, 60), active("editor", day.plusDays(1), 9, 30));
        // through the server's own job, as in production
        server.clock().advance(Duration.ofMinutes(1));
        server.server().jobs().runDue();
        assertThat(marks(organization.id())).isZero();
        assertThat(dashboard(organization.id(), day, day.plusDays(2)))
                .containsExactly(new UsageTotal("editor", Duration.ofMinutes(90), 1));

        // device b's batch for the old day arrives late: the answer has it at once, without waiting for the job
        upload(b, 0, active("editor", day, 14, 15), active("mail", day, 15, 5));
        List<UsageTotal> expected = List.of(new UsageTotal("editor", Duration.ofMinutes(105), 2),
                new UsageTotal("mail", Duration.ofMinutes(5), 1));
        assertThat(dashboard(organization.id(), day, day.plusDays(2))).containsExactlyElementsOf(expected);
        assertThat(marks(organization.id())).isOne();

        server.clock().advance(Duration.ofMinutes(1));
        server.server().jobs().runDue();
        assertThat(marks(organization.id())).isZero();
        assertThat(dashboard(organization.id(), day, day.plusDays(2))).containsExactlyElementsOf(expected);
        assertThat(dashboard(organization.id(), day, day.plusDays(2)))
                .containsExactlyElementsOf(direct(organization.id(), day, day.plusDays(2)));
    }

    @Test
    void deletingADeviceOrAPersonChangesTheAnswerAtOnceAndAfterTheNextRun() {
        Organization organization = server.newOrganization();
        EnrolledDevice kept = server.enroll(organization);
        EnrolledDevice deleted = server.enroll(organization);
        EnrolledDevice ofPerson = server.enroll(organization);
        LocalDate day = FIRST_DAY.plusDays(10);
        upload(kept, 0, active("editor", day, 9, 10));
        upload(deleted, 0, active("editor", day, 9, 20), active("terminal", day.plusDays(1), 9, 20));
        Person person = server.services().people().create(server.operator(organization.id()), "Person to delete");
        server.services().people().assign(server.operator(organization.id()), ofPerson.id(), "alice", person.id());
        upload(ofPerson, 0, active("mail", day, 9, 40));
        summarize();
        assertThat(dashboard(organization.id(), day, day.plusDays(2))).containsExactly(
                new UsageTotal("mail", Duration.ofMinutes(40), 1),
                new UsageTotal("editor", Duration.ofMinutes(30), 2),
                new UsageTotal("terminal", Duration.ofMinutes(20), 1));

        server.services().devices().delete(server.operator(organization.id()), deleted.id());
        List<UsageTotal> withoutDevice = List.of(new UsageTotal("mail", Duration.ofMinutes(40), 1),
                new UsageTotal("editor", Duration.ofMinutes(10), 1));
        assertThat(dashboard(organization.id(), day, day.plusDays(2))).containsExactlyElementsOf(withoutDevice);
        summarize();
        assertThat(dashboard(organization.id(), day, day.plusDays(2))).containsExactlyElementsOf(withoutDevice);

        server.services().people().delete(server.operator(organization.id()), person.id());
        List<UsageTotal> withoutPerson = List.of(new UsageTotal("editor", Duration.ofMinutes(10), 1));
        assertThat(dashboard(organization.id(), day, day.plusDays(2))).containsExactlyElementsOf(withoutPerson);
        summarize();
        assertThat(marks(organization.id())).isZero();
        assertThat(dashboard(organization.id(), day, day.plusDays(2))).containsExactlyElementsOf(withoutPerson);
    }

    @Test
    void devicesAreNumberedPerOrganizationAndANumberIsNeverHandedOutTwice() {
        Organization organization = server.newOrganization();
        EnrolledDevice first = server.enroll(organization);
        EnrolledDevice second = server.enroll(organization);
        server.services().devices().delete(server.operator(organization.id()), second.id());
        EnrolledDevice third = server.enroll(organization);
        EnrolledDevice elsewhere = server.enroll(server.newOrganization());

        assertThat(List.of(number(first), number(third), number(elsewhere))).containsExactly(1L, 3L, 1L);
    }

    private static long number(EnrolledDevice device) {
        return server.count("SELECT number FROM devices WHERE id = ?", device.id());
    }

    /**
     * The ordering argument with two connections: an ingest that has upserted the mark of a summarized day but not
     * committed makes the job's DELETE of that mark wait, so the job's aggregate then includes the ingest's rows;
     * a mark an uncommitted ingest inserts fresh is not deleted, so its day stays marked.
     */
    @Test
    void theJobWaitsForAnIngestHoldingAMarkAndNeverDropsAnUncommittedChange() throws Exception {
        Organization organization = server.newOrganization();
        EnrolledDevice a = server.enroll(organization);
        EnrolledDevice b = server.enroll(organization);
        LocalDate day = FIRST_DAY.plusDays(20);
        upload(a, 0, active("editor", day, 9, 10));
        // a committed mark of (day, a) waits for the job, as on a working day
        upload(a, 1, active("editor", day, 10, 10));

        try (Handle ingest = server.jdbi().open()) {
            ingest.begin();
            DailyRollups late = DailyRollups.in(BERLIN);
            Span span = active("editor", day, 11, 10);
            late.add(UUID.randomUUID(), a.id(), span.start(), span.end(), ActivityState.ACTIVE, "editor", "", "");
            Span other = active("terminal", day, 11, 5);
            late.add(UUID.randomUUID(), b.id(), other.start(), other.end(), ActivityState.ACTIVE, "terminal", "", "");
            late.addTo(ingest, organization.id());

            CompletableFuture<Void> job = CompletableFuture.runAsync(() -> server.jdbi().useHandle(handle ->
                    DashboardSummaries.summarize(handle, organization.id(), day)));
            // the job blocks on (day, a)'s mark while the ingest holds it
            Thread.sleep(500);
            assertThat(job).isNotDone();
            ingest.commit();
            job.get(30, TimeUnit.SECONDS);
        }

        // (day, a) was deleted after the commit, so the summary has a's third span; (day, b) was inserted by the
        // ingest and stays, so the day is still read from the rollups and the answer is exact at once
        assertThat(server.count("SELECT active_ms FROM app_days WHERE organization_id = ? AND application = 'editor'",
                organization.id())).isEqualTo(Duration.ofMinutes(30).toMillis());
        List<UUID> marked = server.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT device_id FROM rollup_changes WHERE organization_id = :organization")
                .bind("organization", organization.id()).mapTo(UUID.class).list());
        assertThat(marked).containsExactly(b.id());
        List<UsageTotal> expected = List.of(new UsageTotal("editor", Duration.ofMinutes(30), 1),
                new UsageTotal("terminal", Duration.ofMinutes(5), 1));
        assertThat(dashboard(organization.id(), day, day.plusDays(1))).containsExactlyElementsOf(expected);
        summarize();
        assertThat(marks(organization.id())).isZero();
        assertThat(dashboard(organization.id(), day, day.plusDays(1))).containsExactlyElementsOf(expected);
    }

    @Test
    void twoRunsAtOnceWhileDevicesUploadLeaveSummariesEqualToTheRollups() throws Exception {
        Organization organization = server.newOrganization();
        List<EnrolledDevice> devices = List.of(server.enroll(organization), server.enroll(organization),
                server.enroll(organization));
        Random random = new Random(7);
        randomActivity(random, organization, devices, 100);
        CompletableFuture<Void> ingest = CompletableFuture.runAsync(() -> {
            Random own = new Random(8);
            for (int i = 0; i < 30; i++) {
                randomActivity(own, organization, devices, 10);
            }
        });
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 5; i++) {
                summarize();
            }
        });
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 5; i++) {
                summarize();
            }
        });
        CompletableFuture.allOf(ingest, first, second).get(120, TimeUnit.SECONDS);

        assertDashboardEqualsRollups(organization.id());
        summarize();
        assertThat(marks(organization.id())).isZero();
        assertDashboardEqualsRollups(organization.id());
    }

    @Test
    void aRunOverItsBudgetSummarizesTheNewestDaysFirstAndLeavesTheRestMarkedWithExactAnswers() {
        // whatever is due runs now, so the server's own job (ticking in the background) is not due during this test
        server.server().jobs().runDue();
        Organization organization = server.newOrganization();
        EnrolledDevice device = server.enroll(organization);
        // days after every other test's, so this organization's newest day is the newest marked anywhere
        LocalDate first = LocalDate.of(2027, 3, 1);
        upload(device, 0, active("editor", first, 9, 10), active("mail", first.plusDays(1), 9, 20),
                active("editor", first.plusDays(2), 9, 30));
        LocalDate end = first.plusDays(3);
        assertThat(marks(organization.id())).isEqualTo(3);

        List<LocalDate> left = new java.util.ArrayList<>();
        for (int run = 0; run < 3; run++) {
            int done = server.jdbi().withHandle(handle -> DashboardSummaries.run(handle, server.clock().instant(),
                    Duration.ZERO));

            // a spent budget still summarizes one day, the newest, and never more
            assertThat(done).isOne();
            left.add(server.jdbi().withHandle(handle -> handle.createQuery(
                            "SELECT day FROM rollup_changes WHERE organization_id = :o ORDER BY day DESC LIMIT 1")
                    .bind("o", organization.id()).mapTo(LocalDate.class).findOne().orElse(null)));
            assertThat(dashboard(organization.id(), first, end)).containsExactlyElementsOf(
                    direct(organization.id(), first, end));
        }
        assertThat(left).containsExactly(first.plusDays(1), first, null);
        assertThat(marks(organization.id())).isZero();
        assertThat(dashboard(organization.id(), first, end)).containsExactly(
                new UsageTotal("editor", Duration.ofMinutes(40), 1),
                new UsageTotal("mail", Duration.ofMinutes(20), 1));
    }

    @Test
    void recategorisingMarksTheDaysItMovesSoThatCategoriesAreExactAtOnceAndAfterTheNextRun() {
        Organization organization = server.newOrganization();
        EnrolledDevice device = server.enroll(organization);
        LocalDate day = FIRST_DAY.plusDays(5);
        upload(device, 0, active("editor", day, 9, 30), active("mail", day, 10, 15));
        summarize();
        assertThat(categories(organization.id(), day, day.plusDays(1)))
                .containsExactly(new UsageTotal("", Duration.ofMinutes(45), 1));

        var operator = server.operator(organization.id());
        var development = server.services().organizations().createCategory(operator, "Development");
        server.services().organizations().addCategoryRule(operator, development.id(),
                com.xentracker.server.organization.CategoryRule.Kind.APPLICATION, "editor");
        server.jdbi().useHandle(handle -> com.xentracker.server.maintenance.RollupRecompute.run(handle,
                server.clock()));

        List<UsageTotal> expected = List.of(new UsageTotal("Development", Duration.ofMinutes(30), 1),
                new UsageTotal("", Duration.ofMinutes(15), 1));
        assertThat(marks(organization.id())).isOne();
        assertThat(categories(organization.id(), day, day.plusDays(1))).containsExactlyElementsOf(expected);
        summarize();
        assertThat(marks(organization.id())).isZero();
        assertThat(categories(organization.id(), day, day.plusDays(1))).containsExactlyElementsOf(expected);
        assertThat(categories(organization.id(), day, day.plusDays(1)))
                .containsExactlyElementsOf(direct(organization.id(), "category", day, day.plusDays(1)));
    }
}
