package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.server.ServerFixture.EnrolledDevice;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.audit.AuditEntry;
import com.xentracker.server.audit.AuditQuery;
import com.xentracker.server.audit.Outcome;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.people.DeviceAccount;
import com.xentracker.server.people.Group;
import com.xentracker.server.people.GroupMember;
import com.xentracker.server.people.Groups;
import com.xentracker.server.people.PeopleDirectory;
import com.xentracker.server.people.Person;
import com.xentracker.server.people.ViewerGrant;
import com.xentracker.server.people.VisibleGroup;
import com.xentracker.server.usage.DayRange;
import com.xentracker.server.usage.UsageFilter;
import com.xentracker.server.usage.UsageTotal;
import com.xentracker.transport.envelope.BatchBinding;
import com.xentracker.transport.envelope.BatchSealer;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.Routes;
import com.xentracker.transport.wire.SpanBatch;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import com.xentracker.testing.https.Https;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Groups and what viewers see, on the real server with data uploaded by enrolled devices: a viewer's usage is that of
 * the people in its groups (each person once), individuals only in groups granted with individual detail; owners and
 * administrators manage groups, only owners grant them; another organization's ids are unknown.
 */
class GroupsAndViewersTest {

    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-05-12T09:28:00Z"));

    private static final String PASSWORD = "a long enough password";
    private static final AtomicInteger ACCOUNTS = new AtomicInteger();
    /** The fixture's organizations are in Europe/Berlin: 2 November 2026 is 23:00Z on the 1st to 23:00Z. */
    /** The day of the data, in the organizations' zone (Europe/Berlin). */
    private static final java.time.LocalDate DAY = java.time.LocalDate.of(2026, 11, 2);

    /**
     * An organization with three people, each with a laptop that uploaded a day's usage: Ada (editor 60 min), Bob
     * (editor 30 min, browser 10 min) and Cy (editor 45 min, payroll 20 min). Team {Ada, Bob}, Pair {Bob}, Solo {Cy}.
     */
    private record Company(Organization organization, Person ada, Person bob, Person cy, UUID adaLaptop,
            UUID bobLaptop, UUID cyLaptop, Group team, Group pair, Group solo) {
    }

    /**
     * The company of the tests that change none of its groups: each gives its own new viewer account grants and reads
     * (every company costs three enrollments and uploads).
     */
    private static Company shared;

    @BeforeAll
    static void sharedCompany() {
        shared = company();
    }

    private static Actor operator(Organization organization) {
        return server.operator(organization.id());
    }

    private static Groups groups() {
        return server.services().groups();
    }

    private static Span active(String application, String from, String to) {
        return Span.of(Instant.parse("2026-11-02T" + from + ":00Z"), Instant.parse("2026-11-02T" + to + ":00Z"),
                Activity.active(application, "/usr/bin/" + application, Optional.empty()));
    }

    /** Enrolls a laptop, maps its account to a new person, then uploads the spans as its first batch. */
    private static Person personWithALaptop(Organization organization, String name, List<UUID> laptop,
            Span... spans) {
        EnrolledDevice device = server.enroll(organization);
        Person person = server.services().people().assignToNewPerson(operator(organization), device.id(), "alice",
                name);
        byte[] sealed = BatchSealer.create(device.keys().getPrivate(),
                        Pem.certificate(device.enrollment().organizationCertificatePem()))
                .seal(server.codec().encode(new SpanBatch(device.id(), 0, List.of(spans))),
                        BatchBinding.of(organization.id(), device.id(), 0));
        Https.Response response = server.https().post(Routes.batch(device.id(), 0), Routes.SEALED_BATCH_MEDIA_TYPE,
                sealed);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        laptop.add(device.id());
        return person;
    }

    private static Company company() {
        Organization organization = server.newOrganization();
        List<UUID> laptops = new java.util.ArrayList<>();
        Person ada = personWithALaptop(organization, "Ada", laptops, active("editor", "09:00", "10:00"));
        Person bob = personWithALaptop(organization, "Bob", laptops, active("editor", "09:00", "09:30"),
                active("browser", "09:30", "09:40"));
        Person cy = personWithALaptop(organization, "Cy", laptops, active("editor", "10:00", "10:45"),
                active("payroll", "11:00", "11:20"));
        Actor operator = operator(organization);
        // These tests are about groups and grants, not about the minimum group size of team views (UsageQueriesTest
        // and the portal's TeamsTest check that): every group of these companies counts in a viewer's usage.
        server.jdbi().useHandle(handle -> handle.createUpdate(
                        "UPDATE organizations SET minimum_group_size = 1 WHERE id = ?")
                .bind(0, organization.id()).execute());
        Group team = groups().create(operator, "Team");
        Group pair = groups().create(operator, "Pair");
        Group solo = groups().create(operator, "Solo");
        groups().addMember(operator, team.id(), ada.id());
        groups().addMember(operator, team.id(), bob.id());
        groups().addMember(operator, pair.id(), bob.id());
        groups().addMember(operator, solo.id(), cy.id());
        return new Company(organization, ada, bob, cy, laptops.get(0), laptops.get(1), laptops.get(2), team, pair,
                solo);
    }

    private static Account account(Organization organization, Role role) {
        return server.server().administration().createAccount(organization.id(),
                role.name().toLowerCase() + "-" + ACCOUNTS.incrementAndGet() + "@example.org", PASSWORD.toCharArray(),
                role);
    }

    private static Actor signedIn(Account account) {
        return server.signIn(account.email(), PASSWORD.toCharArray()).orElseThrow();
    }

    private static Actor signedIn(Organization organization, Role role) {
        return signedIn(account(organization, role));
    }

    private static List<UsageTotal> usage(Actor actor) {
        return server.services().usage().applications(actor, UsageFilter.of(DayRange.day(DAY))).rows();
    }

    private static List<AuditEntry> audit(Organization organization, String action) {
        return server.services().audit().search(operator(organization), AuditQuery.newest(AuditQuery.MAX_LIMIT)
                .withAction(action)).entries();
    }

    private static Optional<VisibleGroup> listed(Actor actor, Group group) {
        return groups().list(actor).stream().filter(visible -> visible.group().id().equals(group.id())).findFirst();
    }

    // --- what a viewer sees

    @Test
    void aViewerSeesTheUsageOfThePeopleInItsGroupsOnlyEachPersonOnce() {
        Company company = shared;
        Account viewer = account(company.organization(), Role.VIEWER);
        groups().grantViewer(operator(company.organization()), company.team().id(), viewer.id(), false);
        groups().grantViewer(operator(company.organization()), company.pair().id(), viewer.id(), false);

        List<UsageTotal> seen = usage(signedIn(viewer));

        // Bob is in both groups and counted once; Cy is in neither and not counted at all
        assertThat(seen).containsExactly(
                new UsageTotal("editor", Duration.ofMinutes(90), 2),
                new UsageTotal("browser", Duration.ofMinutes(10), 1));
        assertThat(usage(signedIn(company.organization(), Role.AUDITOR))).containsExactly(
                new UsageTotal("editor", Duration.ofMinutes(135), 3),
                new UsageTotal("payroll", Duration.ofMinutes(20), 1),
                new UsageTotal("browser", Duration.ofMinutes(10), 1));
    }

    @Test
    void aViewerWithoutGrantsSeesNoUsageAndNoGroups() {
        Company company = shared;
        Actor viewer = signedIn(company.organization(), Role.VIEWER);

        assertThat(usage(viewer)).isEmpty();
        assertThat(groups().list(viewer)).isEmpty();
        assertThatThrownBy(() -> server.services().people().directory(viewer))
                .isInstanceOf(NotPermittedException.class);
    }

    @Test
    void aViewerWithoutIndividualDetailIsRefusedThePeopleAndTheRefusalIsAudited() {
        Company company = shared;
        Account viewer = account(company.organization(), Role.VIEWER);
        groups().grantViewer(operator(company.organization()), company.team().id(), viewer.id(), false);
        Actor actor = signedIn(viewer);

        assertThatThrownBy(() -> server.services().people().directory(actor))
                .isInstanceOf(NotPermittedException.class);
        assertThat(audit(company.organization(), "view-people"))
                .filteredOn(entry -> entry.actorAccount().equals(Optional.of(viewer.id())))
                .singleElement().extracting(AuditEntry::outcome).isEqualTo(Outcome.DENIED);
        assertThat(actor.may(com.xentracker.server.access.Action.VIEW_PEOPLE)).isFalse();
    }

    @Test
    void aViewerWithIndividualDetailSeesOnlyThePeopleAndDeviceAccountsOfThoseGroups() {
        Company company = shared;
        Account viewer = account(company.organization(), Role.VIEWER);
        groups().grantViewer(operator(company.organization()), company.pair().id(), viewer.id(), true);
        // the team without detail: Ada's usage counts, Ada herself stays hidden
        groups().grantViewer(operator(company.organization()), company.team().id(), viewer.id(), false);
        Actor actor = signedIn(viewer);

        PeopleDirectory directory = server.services().people().directory(actor);

        assertThat(directory.people()).extracting(Person::id).containsExactly(company.bob().id());
        assertThat(directory.accounts()).extracting(DeviceAccount::deviceId).containsExactly(company.bobLaptop());
        assertThat(directory.accounts()).extracting(DeviceAccount::person)
                .containsExactly(Optional.of(company.bob().id()));
        assertThat(usage(actor)).extracting(UsageTotal::name).containsExactly("editor", "browser");
        assertThat(actor.may(com.xentracker.server.access.Action.VIEW_PEOPLE)).isTrue();
    }

    @Test
    void aViewerListsOnlyItsGroupsWithSizesAndMembersOnlyWhereItHasIndividualDetail() {
        Company company = shared;
        Account viewer = account(company.organization(), Role.VIEWER);
        groups().grantViewer(operator(company.organization()), company.team().id(), viewer.id(), false);
        groups().grantViewer(operator(company.organization()), company.pair().id(), viewer.id(), true);

        List<VisibleGroup> listed = groups().list(signedIn(viewer));

        assertThat(listed).extracting(visible -> visible.group().name()).containsExactly("Pair", "Team");
        assertThat(listed).extracting(VisibleGroup::size).containsExactly(1, 2);
        assertThat(listed.get(0).members()).hasValue(List.of(new GroupMember(company.bob().id(), "Bob")));
        assertThat(listed.get(1).members()).isEmpty();
        assertThat(listed).allSatisfy(visible -> assertThat(visible.grants()).isEmpty());
    }

    @Test
    void aViewerIsRefusedDevicesTokensSettingsAccountsAndTheAuditLog() {
        Company company = shared;
        Account viewer = account(company.organization(), Role.VIEWER);
        groups().grantViewer(operator(company.organization()), company.team().id(), viewer.id(), true);
        Actor actor = signedIn(viewer);

        List<Runnable> reads = List.of(
                () -> server.services().devices().list(actor),
                () -> server.services().enrollmentTokens().list(actor),
                () -> server.services().organizations().settings(actor),
                () -> server.services().organizations().policy(actor),
                () -> server.services().organizations().categories(actor),
                () -> server.services().accounts().list(actor),
                () -> server.services().audit().search(actor, AuditQuery.newest(10)));
        for (Runnable read : reads) {
            assertThatThrownBy(read::run).isInstanceOf(NotPermittedException.class);
        }
    }

    // --- who manages groups

    @Test
    void administratorsManageGroupsAndMembers() {
        Company company = company();
        Actor admin = signedIn(company.organization(), Role.ADMIN);

        Group created = groups().create(admin, "  Night shift ");
        groups().addMember(admin, created.id(), company.ada().id());
        groups().addMember(admin, created.id(), company.cy().id());
        groups().addMember(admin, created.id(), company.cy().id()); // a member already: nothing changes
        groups().removeMember(admin, created.id(), company.ada().id());
        groups().removeMember(admin, created.id(), company.ada().id()); // not a member any more: nothing changes
        groups().rename(admin, created.id(), "Late shift");

        assertThat(created.name()).isEqualTo("Night shift");
        VisibleGroup shift = listed(admin, created).orElseThrow();
        assertThat(shift.group().name()).isEqualTo("Late shift");
        assertThat(shift.members()).hasValue(List.of(new GroupMember(company.cy().id(), "Cy")));
        assertThat(shift.grants()).as("administrators do not see accounts").isEmpty();

        groups().delete(admin, created.id());
        assertThat(listed(admin, created)).isEmpty();
        assertThat(groups().list(admin)).extracting(visible -> visible.group().name())
                .containsExactly("Pair", "Solo", "Team");
    }

    @Test
    void onlyOwnersGrantAndRevokeViewerGroups() {
        Company company = company();
        Account viewer = account(company.organization(), Role.VIEWER);
        Actor admin = signedIn(company.organization(), Role.ADMIN);
        Actor owner = signedIn(company.organization(), Role.OWNER);

        assertThatThrownBy(() -> groups().grantViewer(admin, company.team().id(), viewer.id(), true))
                .isInstanceOf(NotPermittedException.class);
        groups().grantViewer(owner, company.team().id(), viewer.id(), false);
        assertThatThrownBy(() -> groups().revokeViewer(admin, company.team().id(), viewer.id()))
                .isInstanceOf(NotPermittedException.class);
        assertThat(usage(signedIn(viewer))).isNotEmpty();

        groups().revokeViewer(owner, company.team().id(), viewer.id());
        groups().revokeViewer(owner, company.team().id(), viewer.id()); // revoked already: nothing changes

        assertThat(usage(signedIn(viewer))).isEmpty();
        assertThat(audit(company.organization(), "grant-viewer-group")).extracting(AuditEntry::outcome)
                .containsExactly(Outcome.SUCCESS, Outcome.DENIED);
    }

    @Test
    void auditorsAndViewersChangeNoGroups() {
        Company company = company();
        Account viewerAccount = account(company.organization(), Role.VIEWER);
        groups().grantViewer(operator(company.organization()), company.team().id(), viewerAccount.id(), true);
        for (Actor actor : List.of(signedIn(company.organization(), Role.AUDITOR), signedIn(viewerAccount))) {
            List<Runnable> changes = List.of(
                    () -> groups().create(actor, "Mine"),
                    () -> groups().rename(actor, company.team().id(), "Renamed"),
                    () -> groups().delete(actor, company.team().id()),
                    () -> groups().addMember(actor, company.team().id(), company.cy().id()),
                    () -> groups().removeMember(actor, company.team().id(), company.ada().id()),
                    () -> groups().grantViewer(actor, company.solo().id(), viewerAccount.id(), true),
                    () -> groups().revokeViewer(actor, company.team().id(), viewerAccount.id()));
            for (Runnable change : changes) {
                assertThatThrownBy(change::run).isInstanceOf(NotPermittedException.class);
            }
        }
        assertThat(groups().list(operator(company.organization()))).extracting(visible -> visible.group().name())
                .containsExactly("Pair", "Solo", "Team");
        assertThat(listed(operator(company.organization()), company.team()).orElseThrow().members().orElseThrow())
                .extracting(GroupMember::displayName).containsExactly("Ada", "Bob");
        assertThat(usage(signedIn(viewerAccount))).extracting(UsageTotal::name)
                .containsExactly("editor", "browser");
    }

    @Test
    void ownersAndAuditorsSeeEachGroupsGrantsWithTheAccountsRole() {
        Company company = shared;
        Account viewer = account(company.organization(), Role.VIEWER);
        groups().grantViewer(operator(company.organization()), company.team().id(), viewer.id(), true);

        for (Role role : List.of(Role.OWNER, Role.AUDITOR)) {
            VisibleGroup team = listed(signedIn(company.organization(), role), company.team()).orElseThrow();
            assertThat(team.grants().orElseThrow()).contains(new ViewerGrant(viewer.id(), viewer.email(),
                    Role.VIEWER, true));
            assertThat(team.members().orElseThrow()).extracting(GroupMember::personId)
                    .containsExactly(company.ada().id(), company.bob().id());
        }
    }

    // --- names, ids and grants

    @Test
    void groupNamesAreUniquePerOrganizationIgnoringCaseAndHaveOneToAHundredCharacters() {
        Company company = company();
        Actor admin = signedIn(company.organization(), Role.ADMIN);
        Organization other = server.newOrganization();

        assertThatThrownBy(() -> groups().create(admin, "team")).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> groups().create(admin, " Team ")).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> groups().rename(admin, company.pair().id(), "SOLO"))
                .isInstanceOf(ConflictException.class);
        groups().rename(admin, company.pair().id(), "pair"); // its own name in another case
        assertThat(groups().create(operator(other), "Team").name()).isEqualTo("Team");
        for (String bad : new String[] {"", "   ", "x".repeat(101), null}) {
            assertThatThrownBy(() -> groups().create(admin, bad)).isInstanceOf(InvalidRequestException.class);
            assertThatThrownBy(() -> groups().rename(admin, company.team().id(), bad))
                    .isInstanceOf(InvalidRequestException.class);
        }
        // a hundred characters as PostgreSQL counts them, not as UTF-16 does
        assertThat(groups().create(admin, "😀".repeat(100)).name()).hasSize(200);
        assertThat(groups().list(admin)).extracting(visible -> visible.group().name())
                .contains("pair", "Solo", "Team").doesNotContain("team", "SOLO");
        assertThat(audit(company.organization(), "create-group")).filteredOn(e -> e.actorAccount().isPresent())
                .extracting(AuditEntry::outcome).contains(Outcome.FAILED, Outcome.SUCCESS);
    }

    @Test
    void anotherOrganizationsGroupsPeopleAndAccountsAreUnknown() {
        Company mine = company();
        Company theirs = company();
        Account theirViewer = account(theirs.organization(), Role.VIEWER);
        Account myViewer = account(mine.organization(), Role.VIEWER);
        Actor owner = signedIn(mine.organization(), Role.OWNER);
        UUID theirGroup = theirs.team().id();
        UUID theirPerson = theirs.cy().id();

        List<Runnable> attempts = List.of(
                () -> groups().rename(owner, theirGroup, "Taken over"),
                () -> groups().delete(owner, theirGroup),
                () -> groups().addMember(owner, theirGroup, mine.cy().id()),
                () -> groups().addMember(owner, mine.team().id(), theirPerson),
                () -> groups().removeMember(owner, theirGroup, theirs.ada().id()),
                () -> groups().removeMember(owner, mine.team().id(), theirPerson),
                () -> groups().grantViewer(owner, theirGroup, myViewer.id(), true),
                () -> groups().grantViewer(owner, mine.team().id(), theirViewer.id(), true),
                () -> groups().revokeViewer(owner, mine.team().id(), theirViewer.id()),
                () -> groups().addMember(owner, UUID.randomUUID(), mine.cy().id()),
                () -> groups().addMember(owner, mine.team().id(), UUID.randomUUID()));
        for (Runnable attempt : attempts) {
            assertThatThrownBy(attempt::run).isInstanceOf(NotFoundException.class);
        }

        assertThat(groups().list(operator(theirs.organization()))).extracting(visible -> visible.group().name())
                .containsExactly("Pair", "Solo", "Team");
        assertThat(listed(operator(theirs.organization()), theirs.team()).orElseThrow().members().orElseThrow())
                .extracting(GroupMember::personId).containsExactly(theirs.ada().id(), theirs.bob().id());
        assertThat(listed(operator(mine.organization()), mine.team()).orElseThrow().members().orElseThrow())
                .extracting(GroupMember::personId).containsExactly(mine.ada().id(), mine.bob().id());
        assertThat(groups().list(owner)).extracting(visible -> visible.group().id())
                .doesNotContain(theirGroup, theirs.pair().id(), theirs.solo().id());
        assertThat(server.count("SELECT count(*) FROM viewer_grants WHERE organization_id = ?",
                theirs.organization().id())).isZero();
        assertThat(usage(signedIn(myViewer))).isEmpty();
    }

    @Test
    void onlyViewerAccountsAreGivenGroupsAndGrantingAgainReplacesTheDetail() {
        Company company = shared;
        Actor owner = signedIn(company.organization(), Role.OWNER);
        for (Role role : List.of(Role.OWNER, Role.ADMIN, Role.AUDITOR)) {
            Account account = account(company.organization(), role);
            assertThatThrownBy(() -> groups().grantViewer(owner, company.team().id(), account.id(), false))
                    .isInstanceOf(ConflictException.class);
        }
        Account viewer = account(company.organization(), Role.VIEWER);

        groups().grantViewer(owner, company.team().id(), viewer.id(), true);
        assertThat(server.services().people().directory(signedIn(viewer)).people()).hasSize(2);
        groups().grantViewer(owner, company.team().id(), viewer.id(), false);

        assertThatThrownBy(() -> server.services().people().directory(signedIn(viewer)))
                .isInstanceOf(NotPermittedException.class);
        assertThat(listed(owner, company.team()).orElseThrow().grants().orElseThrow())
                .filteredOn(grant -> grant.accountId().equals(viewer.id()))
                .containsExactly(new ViewerGrant(viewer.id(), viewer.email(), Role.VIEWER, false));
        assertThat(server.count("SELECT count(*) FROM viewer_grants WHERE organization_id = ? AND account_id = ?",
                company.organization().id(), viewer.id())).isEqualTo(1);
    }

    @Test
    void grantsOfAnAccountWhoseRoleChangesWaitUnusedUntilItIsAViewerAgain() {
        Company company = shared;
        Account viewer = account(company.organization(), Role.VIEWER);
        groups().grantViewer(operator(company.organization()), company.solo().id(), viewer.id(), false);
        Actor actor = signedIn(viewer);
        assertThat(usage(actor)).extracting(UsageTotal::name).containsExactly("editor", "payroll");

        setRole(viewer, Role.AUDITOR);
        assertThat(usage(actor)).extracting(UsageTotal::name)
                .containsExactly("editor", "payroll", "browser");
        assertThat(listed(operator(company.organization()), company.solo()).orElseThrow().grants().orElseThrow())
                .filteredOn(grant -> grant.accountId().equals(viewer.id()))
                .singleElement().satisfies(grant -> {
                    assertThat(grant.role()).isEqualTo(Role.AUDITOR);
                    assertThat(grant.inEffect()).isFalse();
                });

        setRole(viewer, Role.VIEWER);
        assertThat(usage(actor)).extracting(UsageTotal::name).containsExactly("editor", "payroll");
    }

    private static void setRole(Account account, Role role) {
        server.jdbi().useHandle(handle -> handle.createUpdate("UPDATE accounts SET role = ? WHERE id = ?")
                .bind(0, role.name()).bind(1, account.id()).execute());
    }

    // --- deletions

    @Test
    void deletingAPersonTakesThemOutOfTheirGroupsAndOutOfTheirViewersUsage() {
        Company company = company();
        Account viewer = account(company.organization(), Role.VIEWER);
        groups().grantViewer(operator(company.organization()), company.team().id(), viewer.id(), true);
        groups().grantViewer(operator(company.organization()), company.pair().id(), viewer.id(), true);

        server.services().people().delete(operator(company.organization()), company.bob().id());

        assertThat(server.count("SELECT count(*) FROM group_members WHERE organization_id = ? AND person_id = ?",
                company.organization().id(), company.bob().id())).isZero();
        Actor actor = signedIn(viewer);
        assertThat(groups().list(actor)).extracting(VisibleGroup::size).containsExactly(0, 1);
        assertThat(usage(actor)).containsExactly(new UsageTotal("editor", Duration.ofMinutes(60), 1));
        assertThat(server.services().people().directory(actor).people()).extracting(Person::id)
                .containsExactly(company.ada().id());
    }

    @Test
    void deletingAGroupDeletesItsMembershipsAndGrantsButNotItsPeople() {
        Company company = company();
        Account viewer = account(company.organization(), Role.VIEWER);
        groups().grantViewer(operator(company.organization()), company.team().id(), viewer.id(), true);

        groups().delete(signedIn(company.organization(), Role.ADMIN), company.team().id());

        UUID organization = company.organization().id();
        assertThat(server.count("SELECT count(*) FROM group_members WHERE organization_id = ? AND group_id = ?",
                organization, company.team().id())).isZero();
        assertThat(server.count("SELECT count(*) FROM viewer_grants WHERE organization_id = ?", organization))
                .isZero();
        assertThat(server.count("SELECT count(*) FROM group_members WHERE organization_id = ?", organization))
                .isEqualTo(2);
        Actor actor = signedIn(viewer);
        assertThat(usage(actor)).isEmpty();
        assertThat(groups().list(actor)).isEmpty();
        assertThatThrownBy(() -> server.services().people().directory(actor))
                .isInstanceOf(NotPermittedException.class);
        assertThat(server.services().people().directory(operator(company.organization())).people())
                .extracting(Person::displayName).contains("Ada", "Bob", "Cy");
        assertThatThrownBy(() -> groups().delete(operator(company.organization()), company.team().id()))
                .isInstanceOf(NotFoundException.class);
    }

    // --- the audit log

    @Test
    void everyGroupChangeIsAuditedWithIdsOnly() {
        Company company = company();
        Account admin = account(company.organization(), Role.ADMIN);
        Account owner = account(company.organization(), Role.OWNER);
        Account viewer = account(company.organization(), Role.VIEWER);
        Actor adminActor = signedIn(admin);
        Actor ownerActor = signedIn(owner);

        Group night = groups().create(adminActor, "Night shift of Ada");
        groups().addMember(adminActor, night.id(), company.ada().id());
        groups().rename(adminActor, night.id(), "Ada's nights");
        groups().grantViewer(ownerActor, night.id(), viewer.id(), true);
        groups().revokeViewer(ownerActor, night.id(), viewer.id());
        groups().removeMember(adminActor, night.id(), company.ada().id());
        groups().delete(adminActor, night.id());
        groups().list(adminActor);

        List<AuditEntry> entries = server.services().audit().search(operator(company.organization()),
                        AuditQuery.newest(50)).entries().stream()
                .filter(entry -> entry.actorAccount().filter(id -> id.equals(admin.id()) || id.equals(owner.id()))
                        .isPresent())
                .filter(entry -> !entry.action().equals("sign-in"))
                .toList();
        assertThat(entries).extracting(AuditEntry::action).containsExactly("view-groups", "delete-group",
                "remove-group-member", "revoke-viewer-group", "grant-viewer-group", "rename-group",
                "add-group-member", "create-group");
        assertThat(entries).allSatisfy(entry -> {
            assertThat(entry.outcome()).isEqualTo(Outcome.SUCCESS);
            assertThat(entry.subject().text()).doesNotContain("Ada", "Night", "night", viewer.email());
        });
        String group = "group " + night.id();
        assertThat(entries.get(7).subject().text()).isEqualTo(group);
        assertThat(entries.get(6).subject().person()).contains(company.ada().id());
        assertThat(entries.get(6).subject().text()).contains(group);
        assertThat(entries.get(2).subject().person()).contains(company.ada().id());
        assertThat(entries.get(3).subject().text()).contains(group, viewer.id().toString());
        assertThat(entries.get(4).subject().text()).contains(group, viewer.id().toString(), "individual detail");
        assertThat(server.services().audit().search(operator(company.organization()),
                AuditQuery.newest(50).aboutPerson(company.ada().id())).entries()).extracting(AuditEntry::action)
                .contains("add-group-member", "remove-group-member");
    }
}
