package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.audit.AuditEntry;
import com.xentracker.server.audit.AuditQuery;
import com.xentracker.server.audit.Outcome;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.people.Person;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The guard every use case runs under: the change or read and its one audit entry commit together or not at all; a
 * refusal or failure is recorded apart; the session and the role are read again in each use case's transaction.
 */
class GuardTest {

    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-06-15T09:35:00Z"));

    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();

    private static Actor signedIn(Organization organization, Role role) {
        Account account = server.server().administration().createAccount(organization.id(),
                role.name().toLowerCase() + "-" + UUID.randomUUID() + "@example.org", PASSWORD.clone(), role);
        return server.signIn(account.email(), PASSWORD.clone()).orElseThrow();
    }

    private static List<AuditEntry> entries(Organization organization, String action) {
        return server.services().audit().search(server.operator(organization.id()),
                AuditQuery.newest(AuditQuery.MAX_LIMIT).withAction(action)).entries();
    }

    private static long people(Organization organization) {
        return server.count("SELECT count(*) FROM people WHERE organization_id = ?", organization.id());
    }

    /** Makes PostgreSQL refuse every audit entry of one action (as a full disk or a lost connection would). */
    private static AutoCloseable auditRefuses(String action) {
        String constraint = "test_refuses_" + action.replace('-', '_');
        server.jdbi().useHandle(handle -> handle.execute("ALTER TABLE audit_log ADD CONSTRAINT " + constraint
                + " CHECK (action <> '" + action + "') NOT VALID"));
        return () -> server.jdbi().useHandle(handle -> handle.execute("ALTER TABLE audit_log DROP CONSTRAINT "
                + constraint));
    }

    @Test
    void aChangeCommitsWithItsOneAuditEntryNamingTheActorAndTheSubject() {
        Organization organization = server.newOrganization();
        Actor admin = signedIn(organization, Role.ADMIN);

        Person person = server.services().people().create(admin, "Grace Hopper");

        assertThat(entries(organization, "create-person")).singleElement().satisfies(entry -> {
            assertThat(entry.actorAccount()).isEqualTo(admin.accountId());
            assertThat(entry.subject().person()).contains(person.id());
            assertThat(entry.subject().text()).doesNotContain("Grace");
            assertThat(entry.outcome()).isEqualTo(Outcome.SUCCESS);
        });
    }

    @Test
    void aChangeIsRolledBackWhenItsAuditEntryCannotBeWritten() throws Exception {
        Organization organization = server.newOrganization();
        Actor admin = signedIn(organization, Role.ADMIN);

        try (AutoCloseable refusing = auditRefuses("create-person")) {
            assertThatThrownBy(() -> server.services().people().create(admin, "Not recorded, not created"))
                    .isInstanceOf(StorageException.class)
                    .hasMessageNotContaining("Not recorded");
        }

        assertThat(people(organization)).isZero();
    }

    @Test
    void aReadIsNotServedWhenItsAuditEntryCannotBeWritten() throws Exception {
        Organization organization = server.newOrganization();
        server.services().people().create(server.operator(organization.id()), "Ada Lovelace");
        Actor auditor = signedIn(organization, Role.AUDITOR);

        try (AutoCloseable refusing = auditRefuses("view-people")) {
            assertThatThrownBy(() -> server.services().people().directory(auditor))
                    .isInstanceOf(StorageException.class);
        }
    }

    @Test
    void aRefusalChangesNothingAndIsAuditedAsDenied() {
        Organization organization = server.newOrganization();
        Actor auditor = signedIn(organization, Role.AUDITOR);

        assertThatThrownBy(() -> server.services().people().create(auditor, "Mallory"))
                .isInstanceOf(NotPermittedException.class);

        assertThat(people(organization)).isZero();
        assertThat(entries(organization, "create-person")).singleElement().satisfies(entry -> {
            assertThat(entry.actorAccount()).isEqualTo(auditor.accountId());
            assertThat(entry.outcome()).isEqualTo(Outcome.DENIED);
        });
    }

    @Test
    void aFailureIsAuditedAsFailedWithItsCode() {
        Organization organization = server.newOrganization();
        Actor owner = signedIn(organization, Role.OWNER);
        UUID unknown = UUID.randomUUID();

        assertThatThrownBy(() -> server.services().people().delete(owner, unknown))
                .isInstanceOf(NotFoundException.class);

        assertThat(entries(organization, "delete-person")).singleElement().satisfies(entry -> {
            assertThat(entry.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(entry.subject().person()).contains(unknown);
            assertThat(entry.subject().text()).endsWith("not-found");
        });
    }

    @Test
    void aSessionThatEndedIsRefusedInTheUseCaseAndRecordsNothing() {
        Organization organization = server.newOrganization();
        Account account = server.server().administration().createAccount(organization.id(),
                "ended-" + UUID.randomUUID() + "@example.org", PASSWORD.clone(), Role.ADMIN);
        var signedIn = (com.xentracker.server.account.SignIn.SignedIn) server.services().signIn()
                .withPassword(account.email(), PASSWORD.clone(), "127.0.0.1");
        Actor actor = signedIn.actor();

        server.services().sessions().close(signedIn.sessionToken());

        assertThatThrownBy(() -> server.services().people().create(actor, "After sign-out"))
                .isInstanceOf(NotSignedInException.class);
        assertThat(people(organization)).isZero();
        assertThat(entries(organization, "create-person")).isEmpty();
    }

    @Test
    void aRoleChangeAppliesToTheNextUseCaseOfAnOpenSession() {
        Organization organization = server.newOrganization();
        Actor actor = signedIn(organization, Role.ADMIN);
        server.services().people().create(actor, "While an administrator");

        server.jdbi().useHandle(handle -> handle.createUpdate("UPDATE accounts SET role = 'VIEWER' WHERE id = :id")
                .bind("id", actor.accountId().orElseThrow()).execute());

        assertThatThrownBy(() -> server.services().people().create(actor, "As a viewer"))
                .isInstanceOf(NotPermittedException.class);
        assertThat(people(organization)).isOne();
    }

    @Test
    void anActorOfOneOrganizationNeverReachesAnothers() {
        Organization mine = server.newOrganization();
        Organization theirs = server.newOrganization();
        Person theirPerson = server.services().people().create(server.operator(theirs.id()), "Theirs");
        Actor owner = signedIn(mine, Role.OWNER);

        assertThatThrownBy(() -> server.services().people().delete(owner, theirPerson.id()))
                .isInstanceOf(NotFoundException.class);

        assertThat(people(theirs)).isOne();
        assertThat(entries(theirs, "delete-person")).isEmpty();
        assertThat(entries(mine, "delete-person")).singleElement()
                .extracting(AuditEntry::outcome).isEqualTo(Outcome.FAILED);
    }

    @Test
    void concurrentUseCasesGetAGapFreeChainInOneOrganization() throws Exception {
        Organization organization = server.newOrganization();
        Actor admin = signedIn(organization, Role.ADMIN);
        Actor auditor = signedIn(organization, Role.AUDITOR);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<Object>> work = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                int n = i;
                // changes (READ COMMITTED) and snapshot reads (REPEATABLE READ, retried when they lose the race
                // for the chain's head) interleaved
                work.add(() -> n % 2 == 0 ? server.services().people().create(admin, "Person " + n)
                        : server.services().usage().applications(auditor,
                                com.xentracker.server.usage.UsageFilter.of(
                                        com.xentracker.server.usage.Period.lastDays(2))));
            }
            for (Future<Object> result : pool.invokeAll(work)) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }

        long entries = server.count("SELECT count(*) FROM audit_log WHERE organization_id = ?", organization.id());
        assertThat(server.count("SELECT max(seq) FROM audit_log WHERE organization_id = ?", organization.id()))
                .isEqualTo(entries);
        assertThat(server.count("SELECT count(DISTINCT seq) FROM audit_log WHERE organization_id = ?",
                organization.id())).isEqualTo(entries);
        // each entry links to its predecessor's hash
        assertThat(server.count("""
                SELECT count(*) FROM audit_log a JOIN audit_log b
                  ON b.organization_id = a.organization_id AND b.seq = a.seq - 1
                WHERE a.organization_id = ? AND a.prev_hash <> b.hash""", organization.id())).isZero();
        assertThat(entries(organization, "view-usage")).hasSize(15);
    }
}
