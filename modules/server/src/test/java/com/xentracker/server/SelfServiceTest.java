package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.server.ServerFixture.EnrolledDevice;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.account.IssuedLink;
import com.xentracker.server.audit.DataAccess;
import com.xentracker.server.export.Dataset;
import com.xentracker.server.export.ExportFilter;
import com.xentracker.server.export.ExportRequest;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.people.PersonActivity;
import com.xentracker.server.people.PersonActivity.TimeSpent;
import com.xentracker.server.spi.ServerServices;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The employee's own view through the real server: a self-service account sees its own person's timeline, totals,
 * accesses and access package, and nothing of anyone else whatever it asks for; the organization's setting turns it
 * all off (sign-in, sessions, every use case); creating one is for owners and administrators while it is on.
 */
class SelfServiceTest {

    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-10-14T15:00:00Z"));

    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    private static final Instant NINE = Instant.parse("2026-10-14T07:00:00Z");
    private static final LocalDate TODAY = LocalDate.parse("2026-10-14");
    private static final AtomicInteger COUNTER = new AtomicInteger();

    /** An organization with self-service on, its owner, and two people with a device and a morning each. */
    private record World(Organization organization, UUID own, UUID other, Actor owner) {

        Actor operator() {
            return server.operator(organization.id());
        }
    }

    private static ServerServices services() {
        return server.services();
    }

    private static World world() {
        Organization organization = server.newOrganization();
        Actor operator = server.operator(organization.id());
        setSelfService(organization, true);
        UUID own = services().people().create(operator, "Ada Own " + COUNTER.incrementAndGet()).id();
        UUID other = services().people().create(operator, "Bob Other " + COUNTER.incrementAndGet()).id();
        recordMorning(organization, own, "mine-app");
        recordMorning(organization, other, "theirs-app");
        String ownerEmail = "owner-" + COUNTER.incrementAndGet() + "@example.org";
        server.server().administration().createOwner(organization.id(), ownerEmail, PASSWORD.clone());
        return new World(organization, own, other, server.signIn(ownerEmail, PASSWORD.clone()).orElseThrow());
    }

    private static void recordMorning(Organization organization, UUID person, String application) {
        EnrolledDevice device = server.enroll(organization);
        assertThat(server.upload(device, 0, List.of(Span.of(NINE, NINE.plus(Duration.ofMinutes(40)),
                Activity.active(application, "/usr/bin/" + application, Optional.empty())))).status())
                .isEqualTo(200);
        services().people().assign(server.operator(organization.id()), device.id(), "alice", person);
    }

    private static void setSelfService(Organization organization, boolean on) {
        Actor operator = server.operator(organization.id());
        services().organizations().updateSettings(operator,
                services().organizations().settings(operator).withSelfService(on));
    }

    private static String selfAccount(World world, UUID person) {
        String email = "self-" + COUNTER.incrementAndGet() + "@example.org";
        server.server().administration().createSelfAccount(world.organization().id(), person, email,
                PASSWORD.clone());
        return email;
    }

    private static Actor signedIn(String email) {
        return server.signIn(email, PASSWORD.clone()).orElseThrow();
    }

    private static long entries(World world, String action, String outcome, UUID person) {
        return server.count("SELECT count(*) FROM audit_log WHERE organization_id = ? AND action = ? AND outcome = ?"
                + " AND subject_person_id = ?", world.organization().id(), action, outcome, person);
    }

    @Test
    void aSelfAccountSeesTheTimelineAndTotalsTheAdministratorsSeeOfItsOwnPerson() {
        World world = world();
        Actor self = signedIn(selfAccount(world, world.own()));

        PersonActivity own = services().people().ownActivity(self, TODAY, TODAY.minusDays(6), TODAY);
        PersonActivity asAdministrators = services().people().activity(world.owner(), world.own(), TODAY,
                TODAY.minusDays(6), TODAY);

        assertThat(own.person().id()).isEqualTo(world.own());
        assertThat(own.applications()).extracting(TimeSpent::name).containsExactly("mine-app");
        assertThat(own.timeline()).isEqualTo(asAdministrators.timeline());
        assertThat(own.days()).isEqualTo(asAdministrators.days());
        assertThat(own.timeline().spans()).hasSize(1);
        assertThat(services().people().ownActivityUntilToday(self, 7).days()).isEqualTo(own.days());
        assertThat(entries(world, "view-own-activity", "SUCCESS", world.own())).isEqualTo(2);
        assertThat(entries(world, "view-own-activity", "SUCCESS", world.other())).isZero();
    }

    @Test
    void aSelfAccountIsRefusedThePersonPageThePackageAndTheListsForAnyIdItsOwnIncluded() {
        World world = world();
        Actor self = signedIn(selfAccount(world, world.own()));

        for (UUID person : List.of(world.other(), world.own(), UUID.randomUUID())) {
            assertThatThrownBy(() -> services().people().activity(self, person, TODAY, TODAY, TODAY))
                    .isInstanceOf(NotPermittedException.class);
            assertThatThrownBy(() -> services().exports().accessPackage(self, person,
                    (file, type) -> OutputStream.nullOutputStream())).isInstanceOf(NotPermittedException.class);
            assertThatThrownBy(() -> services().exports().export(self, ExportRequest.of(Dataset.SPANS,
                    ExportFilter.ofPerson(person)), (file, type) -> OutputStream.nullOutputStream()))
                    .isInstanceOf(NotPermittedException.class);
        }
        assertThatThrownBy(() -> services().people().directory(self)).isInstanceOf(NotPermittedException.class);
        assertThatThrownBy(() -> services().devices().list(self)).isInstanceOf(NotPermittedException.class);
        assertThatThrownBy(() -> services().organizations().settings(self))
                .isInstanceOf(NotPermittedException.class);
        assertThat(entries(world, "view-person", "DENIED", world.other())).isEqualTo(1);
        assertThat(entries(world, "export-access-package", "DENIED", world.other())).isEqualTo(1);
    }

    @Test
    void theOwnUseCasesAreRefusedToEveryoneButASelfAccount() {
        World world = world();
        String adminEmail = "admin-" + COUNTER.incrementAndGet() + "@example.org";
        server.server().administration().createAccount(world.organization().id(), adminEmail, PASSWORD.clone(),
                Role.ADMIN);
        for (Actor actor : List.of(world.owner(), world.operator(), signedIn(adminEmail))) {
            assertThatThrownBy(() -> services().people().ownActivityUntilToday(actor, 7))
                    .isInstanceOf(NotPermittedException.class);
            assertThatThrownBy(() -> services().audit().ownDataAccesses(actor, Optional.empty(), 10))
                    .isInstanceOf(NotPermittedException.class);
            assertThatThrownBy(() -> services().exports().ownAccessPackage(actor,
                    (file, type) -> OutputStream.nullOutputStream())).isInstanceOf(NotPermittedException.class);
        }
    }

    @Test
    void whileSelfServiceIsOffASelfAccountCannotSignInAndItsSessionsEnd() {
        World world = world();
        String email = selfAccount(world, world.own());
        Actor self = signedIn(email);

        setSelfService(world.organization(), false);

        assertThatThrownBy(() -> services().people().ownActivityUntilToday(self, 7))
                .isInstanceOf(NotSignedInException.class);
        assertThat(server.signIn(email, PASSWORD.clone())).as("the right password, refused").isEmpty();
        assertThat(server.count("SELECT count(*) FROM audit_log WHERE organization_id = ? AND action = 'sign-in-failed'"
                + " AND outcome = 'DENIED' AND subject LIKE '%self-service is turned off%'",
                world.organization().id())).isEqualTo(1);

        setSelfService(world.organization(), true);

        assertThat(services().people().ownActivityUntilToday(signedIn(email), 7).person().id())
                .isEqualTo(world.own());
    }

    @Test
    void aSessionThatOutlivesTheSettingIsRefusedByEveryUseCase() {
        World world = world();
        Actor self = signedIn(selfAccount(world, world.own()));
        // as if the setting changed without ending the sessions: the guard reads it in every use case
        server.jdbi().useHandle(handle -> handle.createUpdate("UPDATE organizations SET self_service = false"
                + " WHERE id = :id").bind("id", world.organization().id()).execute());

        assertThatThrownBy(() -> services().people().ownActivityUntilToday(self, 7))
                .isInstanceOf(NotPermittedException.class);
        assertThatThrownBy(() -> services().audit().ownDataAccesses(self, Optional.empty(), 10))
                .isInstanceOf(NotPermittedException.class);
        assertThatThrownBy(() -> services().exports().ownAccessPackage(self,
                (file, type) -> OutputStream.nullOutputStream())).isInstanceOf(NotPermittedException.class);
        assertThatThrownBy(() -> services().ownAccount().view(self)).isInstanceOf(NotPermittedException.class);
        assertThat(server.count("SELECT count(*) FROM audit_log WHERE organization_id = ? AND outcome = 'DENIED'"
                + " AND actor_account_id = ?", world.organization().id(), self.accountId().orElseThrow()))
                .isEqualTo(4);
    }

    @Test
    void aSelfAccountSeesWhoViewedAndExportedItsDataButNotItsOwnViewsNorOthersEntries() {
        World world = world();
        Actor self = signedIn(selfAccount(world, world.own()));
        String auditorEmail = "auditor-" + COUNTER.incrementAndGet() + "@example.org";
        server.server().administration().createAccount(world.organization().id(), auditorEmail, PASSWORD.clone(),
                Role.AUDITOR);
        Actor auditor = signedIn(auditorEmail);
        services().people().ownActivityUntilToday(self, 7);
        services().people().activityUntilToday(world.owner(), world.own(), 7);
        services().people().activityUntilToday(world.owner(), world.other(), 7);
        services().exports().export(auditor, ExportRequest.of(Dataset.SPANS, ExportFilter.none()),
                (file, type) -> OutputStream.nullOutputStream());

        List<DataAccess> accesses = services().audit().ownDataAccesses(self, Optional.empty(), 50);

        assertThat(accesses).extracting(DataAccess::action).contains("view-person", "export-data")
                .doesNotContain("view-own-activity");
        assertThat(accesses).filteredOn(access -> access.action().equals("view-person")).singleElement()
                .satisfies(access -> {
                    assertThat(access.by()).isEqualTo("owner " + world.owner().name());
                    assertThat(access.subject()).contains(world.own().toString())
                            .doesNotContain(world.other().toString());
                    assertThat(access.at()).isEqualTo(server.clock().instant());
                });
        assertThat(accesses).filteredOn(access -> access.action().equals("export-data")).extracting(DataAccess::by)
                .containsExactly("auditor " + auditorEmail);
        assertThat(accesses).allSatisfy(access -> assertThat(access.subject())
                .doesNotContain(world.other().toString()));
        assertThat(entries(world, "view-own-data-accesses", "SUCCESS", world.own())).isEqualTo(1);
        // paging: older than the newest entry
        long newest = accesses.get(0).sequence();
        assertThat(services().audit().ownDataAccesses(self, Optional.of(newest), 50))
                .extracting(DataAccess::sequence).allMatch(sequence -> sequence < newest)
                .hasSize(accesses.size() - 1);
    }

    @Test
    void theOwnAccessPackageHoldsTheOwnPersonAlone() throws IOException {
        World world = world();
        Actor self = signedIn(selfAccount(world, world.own()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        var receipt = services().exports().ownAccessPackage(self, (file, type) -> bytes);

        Map<String, String> files = unzip(bytes.toByteArray());
        assertThat(receipt.complete()).isTrue();
        assertThat(files).containsKeys("README.txt", "person.csv", "spans.csv", "rollups.csv", "accesses.csv",
                "manifest.csv");
        assertThat(files.get("person.csv")).contains(world.own().toString());
        assertThat(files.get("spans.csv")).contains("mine-app").doesNotContain("theirs-app");
        assertThat(String.join("", files.values())).doesNotContain(world.other().toString())
                .doesNotContain("Bob Other");
        assertThat(entries(world, "export-own-access-package", "SUCCESS", world.own())).isEqualTo(1);
        assertThat(server.count("SELECT count(*) FROM audit_log WHERE organization_id = ?"
                + " AND action = 'export-own-access-package' AND subject LIKE ?", world.organization().id(),
                "%sha256 " + receipt.sha256() + "%")).isEqualTo(1);
    }

    @Test
    void ownersAndAdministratorsInviteASelfAccountForAPersonWhileSelfServiceIsOn() {
        World world = world();

        IssuedLink issued = services().accounts().inviteSelf(world.owner(), world.own(), "ada@example.org");
        services().accountLinks().setPasswordWithLink(issued.link().token(), PASSWORD.clone());

        assertThat(issued.account().role()).isEqualTo(Role.SELF);
        assertThat(issued.account().person()).contains(world.own());
        assertThat(services().people().ownActivityUntilToday(signedIn("ada@example.org"), 7).person().id())
                .isEqualTo(world.own());
        assertThat(entries(world, "invite-self-account", "SUCCESS", world.own())).isEqualTo(1);
        assertThat(services().accounts().list(world.owner())).filteredOn(account -> account.role() == Role.SELF)
                .extracting(Account::person).containsExactly(Optional.of(world.own()));
        // one per person
        assertThatThrownBy(() -> services().accounts().inviteSelf(world.owner(), world.own(), "ada2@example.org"))
                .isInstanceOf(ConflictException.class);
        // another organization's person is unknown
        World elsewhere = world();
        assertThatThrownBy(() -> services().accounts().inviteSelf(world.owner(), elsewhere.own(), "x@example.org"))
                .isInstanceOf(NotFoundException.class);
        // the role goes with a person only
        assertThatThrownBy(() -> services().accounts().invite(world.owner(), "y@example.org", Role.SELF))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> services().accounts().changeRole(world.owner(), issued.account().id(), Role.ADMIN))
                .isInstanceOf(InvalidRequestException.class);
        // while off: refused, and nothing is created
        setSelfService(world.organization(), false);
        assertThatThrownBy(() -> services().accounts().inviteSelf(world.owner(), world.other(), "bob@example.org"))
                .isInstanceOf(ConflictException.class);
        assertThat(server.count("SELECT count(*) FROM accounts WHERE email = 'bob@example.org'")).isZero();
    }

    @Test
    void erasingThePersonDeletesTheirSelfAccountAndMergingMovesIt() {
        World world = world();
        String email = selfAccount(world, world.own());
        Actor self = signedIn(email);

        services().people().merge(world.owner(), world.own(), world.other());

        assertThat(services().people().ownActivityUntilToday(self, 7).person().id()).isEqualTo(world.other());

        services().people().delete(world.owner(), world.other());

        assertThat(server.count("SELECT count(*) FROM accounts WHERE email = ?", email)).isZero();
        assertThatThrownBy(() -> services().people().ownActivityUntilToday(self, 7))
                .isInstanceOf(NotSignedInException.class);
    }

    private static Map<String, String> unzip(byte[] zip) throws IOException {
        Map<String, String> files = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                files.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return files;
    }
}
