package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.Gap;
import com.xentracker.core.activity.GapReason;
import com.xentracker.core.activity.Span;
import com.xentracker.core.activity.WebPage;
import com.xentracker.server.ServerFixture.EnrolledDevice;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.audit.AuditEntry;
import com.xentracker.server.audit.AuditQuery;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.people.Group;
import com.xentracker.server.people.ListedPerson;
import com.xentracker.server.people.PeopleFilter;
import com.xentracker.server.people.PeopleListing;
import com.xentracker.server.people.Person;
import com.xentracker.server.people.PersonActivity;
import com.xentracker.server.people.PersonActivity.DayTimeline;
import com.xentracker.server.people.PersonActivity.TimelineSpan;
import com.xentracker.server.usage.Productivity;
import com.xentracker.testing.https.Https;
import com.xentracker.transport.wire.AgentState;
import com.xentracker.transport.wire.SpanBatch;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A person's page as the server reads it (days of the organization's zone, daylight-saving days of 23 hours, spans and
 * gaps cut to the day, categories rated) and the changes to people: rename, merge, and the person ingest created for a
 * login that an administrator's assignment leaves with nothing.
 */
class PersonActivityTest {

    /** Some weeks after the data, which lies around Auckland's daylight-saving start (2026-09-27). */
    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-10-19T02:40:00Z"));

    private static final ZoneId AUCKLAND = ZoneId.of("Pacific/Auckland");
    /** Sunday 27 September 2026 in Auckland: 02:00 NZST becomes 03:00 NZDT, the day has 23 hours. */
    private static final LocalDate DST_START = LocalDate.parse("2026-09-27");
    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private static Instant local(LocalDate day, String hhmm) {
        return day.atTime(java.time.LocalTime.parse(hhmm)).atZone(AUCKLAND).toInstant();
    }

    private static Span active(String application, Instant from, Duration length) {
        return Span.of(from, from.plus(length), Activity.active(application, "/usr/bin/" + application,
                Optional.empty()));
    }

    private static Actor operator(Organization organization) {
        return server.operator(organization.id());
    }

    private static void upload(EnrolledDevice device, long sequence, List<Span> spans, List<Gap> gaps) {
        Https.Response response = device.sealing().upload(server.https(),
                new SpanBatch(device.id(), sequence, spans, gaps, AgentState.unknown()));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    /** The person ingest made for the device's OS user ("alice") on its first batch. */
    private static Person personOf(Organization organization, EnrolledDevice device) {
        UUID id = server.services().people().directory(operator(organization)).accounts().stream()
                .filter(account -> account.deviceId().equals(device.id())).findFirst().orElseThrow().person()
                .orElseThrow();
        return server.services().people().directory(operator(organization)).people().stream()
                .filter(person -> person.id().equals(id)).findFirst().orElseThrow();
    }

    private static PersonActivity day(Actor actor, UUID person, LocalDate day) {
        return server.services().people().activity(actor, person, day, day.minusDays(6), day);
    }

    @Test
    void aFarZonesDaylightSavingDayHas23HoursAndItsSpansAndGapsAreCutToIt() {
        Organization organization = server.newOrganization(AUCKLAND);
        EnrolledDevice laptop = server.enroll(organization);
        Instant before = local(DST_START.minusDays(1), "23:30");
        upload(laptop, 0, List.of(
                // from the evening before into the day: only its part after midnight is the day's
                active("editor", before, Duration.ofMinutes(45)),
                // 01:30 NZST and, an hour of wall-clock later, 03:30 NZDT
                active("editor", local(DST_START, "01:30"), Duration.ofMinutes(15)),
                Span.of(local(DST_START, "03:30"), local(DST_START, "04:00"), Activity.of(ActivityState.PAUSED)),
                Span.of(local(DST_START, "04:00"), local(DST_START, "04:20"), Activity.of(ActivityState.IDLE)),
                // the next day's first minutes belong to the next day
                active("editor", local(DST_START, "23:50"), Duration.ofMinutes(20))),
                List.of(Gap.of(local(DST_START, "10:00"), local(DST_START, "11:00"), GapReason.BUFFER_FULL)));

        PersonActivity activity = day(operator(organization), personOf(organization, laptop).id(), DST_START);

        DayTimeline timeline = activity.timeline();
        assertThat(activity.zone()).isEqualTo(AUCKLAND);
        assertThat(timeline.start()).isEqualTo(Instant.parse("2026-09-26T12:00:00Z"));
        assertThat(timeline.end()).isEqualTo(Instant.parse("2026-09-27T11:00:00Z"));
        assertThat(timeline.length()).isEqualTo(Duration.ofHours(23));
        assertThat(timeline.spans()).extracting(TimelineSpan::start).containsExactly(
                Instant.parse("2026-09-26T12:00:00Z"), Instant.parse("2026-09-26T13:30:00Z"),
                Instant.parse("2026-09-26T14:30:00Z"), Instant.parse("2026-09-26T15:00:00Z"),
                Instant.parse("2026-09-27T10:50:00Z"));
        assertThat(timeline.spans().get(0).duration()).isEqualTo(Duration.ofMinutes(15));
        assertThat(timeline.spans().get(4).end()).isEqualTo(timeline.end());
        assertThat(timeline.spans().get(2).isPrivate()).isTrue();
        assertThat(timeline.spans().get(2).productivity()).isEmpty();
        assertThat(timeline.spans().get(1).productivity()).contains(Productivity.UNCATEGORISED);
        assertThat(timeline.gaps()).singleElement().satisfies(gap -> {
            assertThat(gap.from()).isEqualTo(Instant.parse("2026-09-26T21:00:00Z"));
            assertThat(gap.reason()).isEqualTo(GapReason.BUFFER_FULL);
        });
        // daily totals in the organization's days: 23 hours long on the change, 15 + 15 + 10 active minutes
        assertThat(activity.days()).hasSize(7);
        assertThat(activity.days().get(6).length()).isEqualTo(Duration.ofHours(23));
        assertThat(activity.days().get(6).active()).isEqualTo(Duration.ofMinutes(40));
        assertThat(activity.days().get(6).idle()).isEqualTo(Duration.ofMinutes(20));
        assertThat(activity.days().get(5).active()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void spansAreColouredByTheirCategorysRatingAndSitesAndTitlesComeAsStored() {
        Organization organization = server.newOrganization(AUCKLAND);
        Actor operator = operator(organization);
        var organizations = server.services().organizations();
        var development = organizations.createCategory(operator, "Development");
        organizations.addCategoryRule(operator, development.id(),
                com.xentracker.server.organization.CategoryRule.Kind.APPLICATION, "editor");
        server.jdbi().useHandle(handle -> handle.execute(
                "UPDATE categories SET productivity = 'PRODUCTIVE' WHERE organization_id = ? AND name = ?",
                organization.id(), "Development"));
        EnrolledDevice laptop = server.enroll(organization);
        LocalDate day = DST_START.plusDays(7);
        Span browsing = Span.of(local(day, "10:00"), local(day, "10:30"), new Activity(ActivityState.ACTIVE,
                "chromium", "/usr/bin/chromium", Optional.of("Release notes"),
                Optional.of(WebPage.of("docs.example.org", "https://docs.example.org/notes"))));
        upload(laptop, 0, List.of(active("editor", local(day, "09:00"), Duration.ofHours(1)), browsing), List.of());

        PersonActivity activity = day(operator, personOf(organization, laptop).id(), day);

        assertThat(activity.timeline().spans()).extracting(TimelineSpan::category).containsExactly("Development", "");
        assertThat(activity.timeline().spans()).extracting(span -> span.productivity().orElseThrow())
                .containsExactly(Productivity.PRODUCTIVE, Productivity.UNCATEGORISED);
        assertThat(activity.timeline().spans().get(1).title()).contains("Release notes");
        assertThat(activity.timeline().spans().get(1).url()).contains("https://docs.example.org/notes");
        assertThat(activity.applications()).extracting(PersonActivity.TimeSpent::name)
                .containsExactly("editor", "chromium");
        assertThat(activity.sites()).singleElement().isEqualTo(new PersonActivity.TimeSpent("docs.example.org",
                Duration.ofMinutes(30)));
        assertThat(activity.devices()).singleElement().satisfies(device -> assertThat(device.id())
                .isEqualTo(laptop.id()));
    }

    @Test
    void everyViewOfAPersonIsAuditedWithThePersonAsSubject() {
        Organization organization = server.newOrganization(AUCKLAND);
        EnrolledDevice laptop = server.enroll(organization);
        upload(laptop, 0, List.of(active("editor", local(DST_START, "09:00"), Duration.ofHours(1))), List.of());
        Person alice = personOf(organization, laptop);

        day(operator(organization), alice.id(), DST_START);

        List<AuditEntry> entries = server.services().audit().search(operator(organization),
                AuditQuery.newest(10).withAction("view-person")).entries();
        assertThat(entries).singleElement().satisfies(entry -> {
            assertThat(entry.subject().person()).contains(alice.id());
            assertThat(entry.subject().text()).contains("2026-09-27").doesNotContain("alice", "editor");
        });
    }

    @Test
    void mergeMovesAccountsSpansRollupsAndGroupsAndLeavesOnePerson() {
        Organization organization = server.newOrganization(AUCKLAND);
        Actor operator = operator(organization);
        EnrolledDevice laptop = server.enroll(organization);
        EnrolledDevice desktop = enrollAs(organization, "alice.work");
        upload(laptop, 0, List.of(active("editor", local(DST_START, "09:00"), Duration.ofHours(1))), List.of());
        upload(desktop, 0, List.of(active("editor", local(DST_START, "09:30"), Duration.ofHours(1)),
                active("mail", local(DST_START, "11:00"), Duration.ofMinutes(20))), List.of());
        Person home = personOf(organization, laptop);
        Person work = personOf(organization, desktop);
        Group team = server.services().groups().create(operator, "Team");
        server.services().groups().addMember(operator, team.id(), work.id());

        server.services().people().merge(operator, work.id(), home.id());

        assertThat(server.services().people().directory(operator).people()).extracting(Person::id)
                .containsExactly(home.id());
        PersonActivity merged = day(operator, home.id(), DST_START);
        assertThat(merged.devices()).extracting(PersonActivity.PersonDevice::id)
                .containsExactlyInAnyOrder(laptop.id(), desktop.id());
        assertThat(merged.timeline().spans()).hasSize(3);
        assertThat(merged.days().get(6).active()).isEqualTo(Duration.ofMinutes(140));
        assertThat(merged.groups()).extracting(Group::id).containsExactly(team.id());
        assertThat(server.count("SELECT count(*) FROM spans WHERE organization_id = ? AND person_id = ?",
                organization.id(), work.id())).isZero();
        assertThat(server.count("SELECT count(*) FROM rollups WHERE organization_id = ? AND person_id = ?",
                organization.id(), work.id())).isZero();
        // the desktop's next batch lands on the merged person, not on a new one
        upload(desktop, 1, List.of(active("mail", local(DST_START, "12:00"), Duration.ofMinutes(5))), List.of());
        assertThat(server.services().people().directory(operator).people()).hasSize(1);
        assertThat(day(operator, home.id(), DST_START).timeline().spans()).hasSize(4);
    }

    @Test
    void aPersonCannotBeMergedIntoThemselvesOrIntoSomeoneUnknown() {
        Organization organization = server.newOrganization(AUCKLAND);
        Actor operator = operator(organization);
        Person ada = server.services().people().create(operator, "Ada");
        Person stranger = server.services().people().create(operator(server.newOrganization()), "Stranger");

        assertThatThrownBy(() -> server.services().people().merge(operator, ada.id(), ada.id()))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> server.services().people().merge(operator, ada.id(), stranger.id()))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> server.services().people().merge(operator, stranger.id(), ada.id()))
                .isInstanceOf(NotFoundException.class);
        assertThat(server.services().people().directory(operator).people()).extracting(Person::id)
                .containsExactly(ada.id());
    }

    @Test
    void reassigningAnAccountMergesTheAutoCreatedPersonItLeavesWithNothingButNotAnAdministratorsPerson() {
        Organization organization = server.newOrganization(AUCKLAND);
        Actor operator = operator(organization);
        EnrolledDevice laptop = server.enroll(organization);
        upload(laptop, 0, List.of(active("editor", local(DST_START, "09:00"), Duration.ofHours(1))), List.of());
        Person automatic = personOf(organization, laptop);
        Group team = server.services().groups().create(operator, "Team");
        server.services().groups().addMember(operator, team.id(), automatic.id());
        Person ada = server.services().people().create(operator, "Ada Lovelace");
        Person grace = server.services().people().create(operator, "Grace Hopper");

        server.services().people().assign(operator, laptop.id(), "alice", ada.id());

        assertThat(automatic.login()).contains("alice");
        assertThat(server.services().people().directory(operator).people()).extracting(Person::displayName)
                .containsExactly("Ada Lovelace", "Grace Hopper");
        assertThat(day(operator, ada.id(), DST_START).groups()).extracting(Group::id).containsExactly(team.id());
        assertThat(server.services().audit().search(operator, AuditQuery.newest(1).withAction("assign-person"))
                .entries()).singleElement().satisfies(entry -> assertThat(entry.subject().text())
                        .contains("auto-created person " + automatic.id() + " merged into it"));

        // Ada was made by an administrator: moving the account on leaves her in place, empty
        server.services().people().assign(operator, laptop.id(), "alice", grace.id());

        assertThat(server.services().people().directory(operator).people()).extracting(Person::displayName)
                .containsExactly("Ada Lovelace", "Grace Hopper");
    }

    @Test
    void renameChangesTheNameAndNothingElse() {
        Organization organization = server.newOrganization(AUCKLAND);
        Actor operator = operator(organization);
        EnrolledDevice laptop = server.enroll(organization);
        upload(laptop, 0, List.of(active("editor", local(DST_START, "09:00"), Duration.ofHours(1))), List.of());
        Person alice = personOf(organization, laptop);

        server.services().people().rename(operator, alice.id(), "  Alice Liddell ");

        Person renamed = personOf(organization, laptop);
        assertThat(renamed.displayName()).isEqualTo("Alice Liddell");
        assertThat(renamed.login()).isEqualTo(alice.login());
        assertThat(day(operator, alice.id(), DST_START).timeline().spans()).hasSize(1);
        assertThatThrownBy(() -> server.services().people().rename(operator, alice.id(), " "))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> server.services().people().rename(operator, UUID.randomUUID(), "Nobody"))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void findMatchesNameOrLoginIgnoringCaseFiltersByGroupAndNeverAuditsTheSearchText() {
        Organization organization = server.newOrganization(AUCKLAND);
        Actor operator = operator(organization);
        EnrolledDevice laptop = server.enroll(organization);
        upload(laptop, 0, List.of(active("editor", local(DST_START, "09:00"), Duration.ofHours(1))), List.of());
        Person alice = personOf(organization, laptop);
        Person bob = server.services().people().create(operator, "Bob Builder");
        Group team = server.services().groups().create(operator, "Team");
        server.services().groups().addMember(operator, team.id(), bob.id());
        var people = server.services().people();

        assertThat(people.find(operator, PeopleFilter.of("ALI", Optional.empty())).matches())
                .extracting(listed -> listed.person().id()).containsExactly(alice.id());
        assertThat(people.find(operator, PeopleFilter.of("builder", Optional.empty())).matches())
                .extracting(listed -> listed.person().id()).containsExactly(bob.id());
        PeopleListing inTeam = people.find(operator, PeopleFilter.everyone().inGroup(team.id()));
        assertThat(inTeam.matches()).extracting(listed -> listed.person().id()).containsExactly(bob.id());
        assertThat(inTeam.directory().people()).hasSize(2);
        ListedPerson listedAlice = people.find(operator, PeopleFilter.everyone()).matches().stream()
                .filter(listed -> listed.person().id().equals(alice.id())).findFirst().orElseThrow();
        assertThat(listedAlice.lastActive()).contains(DST_START);
        assertThat(listedAlice.accounts()).singleElement().satisfies(account -> assertThat(account.deviceId())
                .isEqualTo(laptop.id()));
        assertThatThrownBy(() -> people.find(operator, PeopleFilter.everyone().inGroup(UUID.randomUUID())))
                .isInstanceOf(NotFoundException.class);
        assertThat(server.services().audit().search(operator, AuditQuery.newest(50).withAction("view-people"))
                .entries()).extracting(entry -> entry.subject().text())
                .noneMatch(text -> text.toLowerCase(java.util.Locale.ROOT).contains("ali")
                        || text.toLowerCase(java.util.Locale.ROOT).contains("builder"))
                .anyMatch(text -> text.contains("in group " + team.id()));
    }

    @Test
    void aViewerSeesOnlyThePeopleOfItsGroupsGrantedWithIndividualDetail() {
        Organization organization = server.newOrganization(AUCKLAND);
        Actor operator = operator(organization);
        Person inside = server.services().people().create(operator, "Inside");
        Person outside = server.services().people().create(operator, "Outside");
        Group detail = server.services().groups().create(operator, "Detail");
        Group aggregate = server.services().groups().create(operator, "Aggregate");
        server.services().groups().addMember(operator, detail.id(), inside.id());
        server.services().groups().addMember(operator, aggregate.id(), outside.id());
        String email = "viewer-" + COUNTER.incrementAndGet() + "@example.org";
        var viewerAccount = server.server().administration().createAccount(organization.id(), email, PASSWORD.clone(),
                Role.VIEWER);
        server.services().groups().grantViewer(operator, detail.id(), viewerAccount.id(), true);
        server.services().groups().grantViewer(operator, aggregate.id(), viewerAccount.id(), false);
        Actor viewer = server.signIn(email, PASSWORD.clone()).orElseThrow();

        PeopleListing listing = server.services().people().find(viewer, PeopleFilter.everyone());

        assertThat(listing.matches()).extracting(listed -> listed.person().id()).containsExactly(inside.id());
        assertThat(listing.groups()).extracting(Group::id).containsExactly(detail.id());
        assertThat(day(viewer, inside.id(), DST_START).person().id()).isEqualTo(inside.id());
        assertThatThrownBy(() -> day(viewer, outside.id(), DST_START)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> server.services().people().find(viewer, PeopleFilter.everyone()
                .inGroup(aggregate.id()))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aPeriodMustBeOrderedAndAtMostAYear() {
        Organization organization = server.newOrganization(AUCKLAND);
        Person ada = server.services().people().create(operator(organization), "Ada");
        var people = server.services().people();

        assertThatThrownBy(() -> people.activity(operator(organization), ada.id(), DST_START, DST_START,
                DST_START.minusDays(1))).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> people.activity(operator(organization), ada.id(), DST_START,
                DST_START.minusDays(366), DST_START)).isInstanceOf(InvalidRequestException.class);
        assertThat(people.activity(operator(organization), ada.id(), DST_START, DST_START.minusDays(365), DST_START)
                .days()).hasSize(366);
    }

    private static EnrolledDevice enrollAs(Organization organization, String osUser) {
        java.security.KeyPair keys = com.xentracker.transport.pki.DeviceKeys.generate();
        var request = new com.xentracker.transport.wire.EnrollmentRequest(server.token(organization).token(),
                com.xentracker.transport.pki.Pem.encodePublicKey(keys.getPublic()), "host-of-" + osUser, "Linux 6.1",
                osUser, "0.1.0-test");
        Https.Response response = server.https().post(com.xentracker.transport.wire.Routes.ENROLL,
                "application/json", server.codec().encode(request));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return new EnrolledDevice(keys, server.codec().decode(response.body(),
                com.xentracker.transport.wire.EnrollmentResponse.class));
    }
}
