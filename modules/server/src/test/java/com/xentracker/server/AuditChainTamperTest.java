package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.audit.AuditEntry;
import com.xentracker.server.audit.AuditQuery;
import com.xentracker.server.audit.ChainBreak;
import com.xentracker.server.audit.ChainBreak.Kind;
import com.xentracker.server.audit.ChainVerification;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.organization.RetentionSettings;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The audit chain against someone who can write the database but does not have the server's master key: entries
 * edited, deleted, reordered, the newest ones removed, the chain rewritten with recomputed hashes, checkpoints
 * deleted or edited. Each change is made directly in PostgreSQL, and verification must name its kind and place.
 */
class AuditChainTamperTest {

    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-02-03T09:07:00Z"));

    /** An organization whose chain has {@code entries} entries (sequence 1 to {@code entries}). */
    private Organization organizationWithEntries(int entries) {
        Organization organization = server.newOrganization();
        appendUntil(organization, entries);
        assertThat(head(organization)).isEqualTo(entries);
        return organization;
    }

    /** Appends entries through the server's use cases until the chain has {@code entries}. */
    private void appendUntil(Organization organization, long entries) {
        while (head(organization) < entries) {
            server.services().people().create(server.operator(organization.id()), "Person " + head(organization));
        }
    }

    private long head(Organization organization) {
        return server.count("SELECT COALESCE(max(last_seq), 0) FROM audit_chain_heads WHERE organization_id = ?",
                organization.id());
    }

    private ChainVerification verify(Organization organization) {
        return server.services().audit().verify(server.operator(organization.id()));
    }

    private void sql(String statement, Object... arguments) {
        server.jdbi().useHandle(handle -> handle.execute(statement, arguments));
    }

    private UUID entryId(Organization organization, long sequence) {
        return server.jdbi().withHandle(handle -> handle.select(
                        "SELECT id FROM audit_log WHERE organization_id = ? AND seq = ?", organization.id(), sequence)
                .mapTo(UUID.class).one());
    }

    @Test
    void anUntouchedChainVerifiesIntact() {
        Organization organization = organizationWithEntries(12);

        ChainVerification verification = verify(organization);

        assertThat(verification.intact()).as("%s", verification.breaks()).isTrue();
        assertThat(verification.breaks()).isEmpty();
        assertThat(verification.entries()).isEqualTo(12);
        assertThat(verification.firstSequence()).contains(1L);
        assertThat(verification.lastSequence()).contains(12L);
        assertThat(verification.headSequence()).isEqualTo(12);
        assertThat(verification.headHash()).matches("[0-9a-f]{64}");
        // the verification is recorded, with its result, and the next one includes that entry
        assertThat(server.services().audit().search(server.operator(organization.id()),
                AuditQuery.newest(1).withAction("verify-audit-trail")).entries()).singleElement()
                .satisfies(entry -> assertThat(entry.subject().text()).contains("intact: 12 entries"));
        assertThat(verify(organization).entries()).as("with the verification's and the search's").isEqualTo(14);
    }

    @Test
    void anEditedFieldIsReportedAsEditedAtItsSequence() {
        Organization organization = organizationWithEntries(10);
        sql("UPDATE audit_log SET action = 'view-usage' WHERE organization_id = ? AND seq = 4", organization.id());
        sql("UPDATE audit_log SET subject = subject || ' and more' WHERE organization_id = ? AND seq = 7",
                organization.id());

        ChainVerification verification = verify(organization);

        assertThat(verification.intact()).isFalse();
        assertThat(verification.breaks()).extracting(ChainBreak::kind, ChainBreak::sequence, ChainBreak::entry)
                .containsExactly(tuple(Kind.EDITED, 4L, Optional.of(entryId(organization, 4))),
                        tuple(Kind.EDITED, 7L, Optional.of(entryId(organization, 7))));
        assertThat(verification.breakCount()).isEqualTo(2);
    }

    @Test
    void anEntryDeletedInTheMiddleIsReportedAsMissing() {
        Organization organization = organizationWithEntries(10);
        sql("DELETE FROM audit_log WHERE organization_id = ? AND seq IN (5, 6)", organization.id());

        ChainVerification verification = verify(organization);

        assertThat(verification.breaks()).extracting(ChainBreak::kind, ChainBreak::sequence, ChainBreak::entry)
                .containsExactly(tuple(Kind.MISSING, 5L, Optional.empty()));
        assertThat(verification.breaks().get(0).detail()).contains("5 to 6");
        assertThat(verification.entries()).isEqualTo(8);
    }

    @Test
    void reorderedEntriesAreReportedAsMovedWithWhereTheyWereWritten() {
        Organization organization = organizationWithEntries(10);
        UUID fourth = entryId(organization, 4);
        UUID fifth = entryId(organization, 5);
        // the sequence numbers are unique: swap through a free one
        sql("UPDATE audit_log SET seq = -4 WHERE organization_id = ? AND seq = 4", organization.id());
        sql("UPDATE audit_log SET seq = 4 WHERE organization_id = ? AND seq = 5", organization.id());
        sql("UPDATE audit_log SET seq = 5 WHERE organization_id = ? AND seq = -4", organization.id());

        ChainVerification verification = verify(organization);

        assertThat(verification.breaks()).extracting(ChainBreak::kind, ChainBreak::sequence, ChainBreak::entry)
                .containsExactly(tuple(Kind.MOVED, 4L, Optional.of(fifth)), tuple(Kind.MOVED, 5L, Optional.of(fourth)));
        assertThat(verification.breaks().get(0).detail()).contains("written as number 5");
    }

    @Test
    void deletingTheNewestEntriesIsReportedAtTheHead() {
        Organization organization = organizationWithEntries(10);
        sql("DELETE FROM audit_log WHERE organization_id = ? AND seq > 7", organization.id());

        ChainVerification verification = verify(organization);

        assertThat(verification.breaks()).extracting(ChainBreak::kind, ChainBreak::sequence)
                .containsExactly(tuple(Kind.HEAD_MISMATCH, 8L));
        assertThat(verification.breaks().get(0).detail()).contains("8 to 10");
    }

    @Test
    void aRewriteWithRecomputedHashesIsCaughtAtTheHeadAndAfterTheNextEntryAtItsLink() {
        Organization organization = organizationWithEntries(10);
        sql("UPDATE audit_log SET action = 'view-usage' WHERE organization_id = ? AND seq = 4", organization.id());
        Attacker.recomputeFrom(organization.id(), 4);

        // the hashes alone now agree from end to end; the head still names the newest entry's old hash
        ChainVerification verification = verify(organization);
        assertThat(verification.breaks()).extracting(ChainBreak::kind, ChainBreak::sequence)
                .containsExactly(tuple(Kind.HEAD_MISMATCH, 10L));
        assertThat(verification.breaks().get(0).detail()).contains("another hash than the head recorded");

        // the verification's own entry (11) follows the hash the head kept, not the rewritten entry 10
        assertThat(verify(organization).breaks()).extracting(ChainBreak::kind, ChainBreak::sequence)
                .containsExactly(tuple(Kind.LINK_BROKEN, 11L));
    }

    @Test
    void aForgedHeadIsCaughtByItsMacAndTheServersNextEntriesDoNotVouchForIt() {
        Organization organization = organizationWithEntries(10);
        sql("UPDATE audit_log SET action = 'view-usage' WHERE organization_id = ? AND seq = 4", organization.id());
        byte[] newest = Attacker.recomputeFrom(organization.id(), 4);
        // the attacker moves the head too, but cannot make its MAC
        sql("UPDATE audit_chain_heads SET last_hash = ? WHERE organization_id = ?", newest, organization.id());

        ChainVerification verification = verify(organization);

        assertThat(verification.breaks()).extracting(ChainBreak::kind, ChainBreak::sequence)
                .containsExactly(tuple(Kind.HEAD_MISMATCH, 10L));
        assertThat(verification.breaks().get(0).detail()).contains("does not verify with the server's key");
        // the server goes on appending on top of the forged head (the verification was entry 11); a fresh MAC
        // would make the rewrite verify, so the head keeps one that does not
        appendUntil(organization, 15);
        assertThat(verify(organization).breaks()).extracting(ChainBreak::kind, ChainBreak::sequence)
                .containsExactly(tuple(Kind.HEAD_MISMATCH, 15L));
    }

    @Test
    void aRewriteWithRecomputedHashesIsFoundBetweenTheHourlyCheckpoints() {
        Organization organization = organizationWithEntries(6);
        anHourLater(); // a checkpoint at 6
        appendUntil(organization, 12);
        anHourLater(); // and one at 12
        assertThat(server.count("SELECT count(*) FROM audit_checkpoints WHERE organization_id = ? AND seq IN (6, 12)",
                organization.id())).isEqualTo(2);
        appendUntil(organization, 16);
        sql("UPDATE audit_log SET outcome = 'DENIED' WHERE organization_id = ? AND seq = 9", organization.id());
        byte[] newest = Attacker.recomputeFrom(organization.id(), 9);
        sql("UPDATE audit_chain_heads SET last_hash = ? WHERE organization_id = ?", newest, organization.id());

        ChainVerification verification = verify(organization);

        // the entry at the checkpoint at 12 does not have the hash it had: the change is after 6 and up to 12
        assertThat(verification.breaks()).extracting(ChainBreak::kind, ChainBreak::sequence)
                .containsExactly(tuple(Kind.CHECKPOINT_MISMATCH, 12L), tuple(Kind.HEAD_MISMATCH, 16L));
        assertThat(verification.breaks().get(0).detail()).contains("after the checkpoint at 6");
    }

    @Test
    void aRollbackToAnEarlierHeadIsFoundByACheckpointMadeAfterIt() {
        Organization organization = organizationWithEntries(5);
        // a copy of the head as it is now, MAC and all, kept by someone with database access
        record SavedHead(long sequence, byte[] hash, byte[] mac) {
        }
        SavedHead saved = server.jdbi().withHandle(handle -> handle.select(
                        "SELECT last_seq, last_hash, mac FROM audit_chain_heads WHERE organization_id = ?",
                        organization.id())
                .map((rs, ctx) -> new SavedHead(rs.getLong(1), rs.getBytes(2), rs.getBytes(3))).one());
        appendUntil(organization, 8);
        anHourLater(); // a checkpoint at 8

        // everything after 5 removed, the old head put back: the rest verifies, the head's MAC is genuine
        sql("DELETE FROM audit_log WHERE organization_id = ? AND seq > 5", organization.id());
        sql("UPDATE audit_chain_heads SET last_seq = ?, last_hash = ?, mac = ? WHERE organization_id = ?",
                saved.sequence(), saved.hash(), saved.mac(), organization.id());
        ChainVerification verification = verify(organization);

        assertThat(verification.breaks()).extracting(ChainBreak::kind, ChainBreak::sequence)
                .containsExactly(tuple(Kind.HEAD_MISMATCH, 5L));
        assertThat(verification.breaks().get(0).detail()).contains("checkpoint was made at 8");
    }

    /**
     * Runs the scheduled jobs an hour and a bit later (hourly: retention, the checkpoints of the heads). The server's
     * own ticker may run them first after the clock moved; either way they have run with the new time on return.
     * Every test that moves the clock ends so, and the ticker finds nothing due in between.
     */
    private void anHourLater() {
        server.clock().advance(Duration.ofMinutes(61));
        server.server().jobs().runDue();
    }

    @Test
    void retentionRemovesTheOldestEntriesBehindACheckpointAndTheRestStillVerifies() {
        Organization organization = organizationWithEntries(8);
        server.services().organizations().updateRetention(server.operator(organization.id()),
                new RetentionSettings(90, 25, 1)); // entry 9
        server.clock().advance(Duration.ofDays(2));
        appendUntil(organization, 12);

        anHourLater();

        assertThat(server.count("SELECT min(seq) FROM audit_log WHERE organization_id = ?", organization.id()))
                .isEqualTo(10);
        assertThat(server.count("SELECT count(*) FROM audit_checkpoints WHERE organization_id = ? AND seq = 9",
                organization.id())).isOne();
        ChainVerification verification = verify(organization);
        assertThat(verification.intact()).as("%s", verification.breaks()).isTrue();
        assertThat(verification.firstSequence()).contains(10L);
        assertThat(verification.entries()).isEqualTo(verification.headSequence() - 9);

        // the checkpoint is what accounts for entries 1 to 9: deleted, nothing does
        sql("DELETE FROM audit_checkpoints WHERE organization_id = ? AND seq < 10", organization.id());
        assertThat(verify(organization).breaks()).extracting(ChainBreak::kind, ChainBreak::sequence)
                .containsExactly(tuple(Kind.CHECKPOINT_MISSING, 1L));
    }

    @Test
    void anEditedCheckpointIsReportedAsInvalid() {
        Organization organization = organizationWithEntries(5);
        server.services().organizations().updateRetention(server.operator(organization.id()),
                new RetentionSettings(90, 25, 1)); // entry 6
        server.clock().advance(Duration.ofDays(2));
        appendUntil(organization, 9);
        anHourLater();
        assertThat(verify(organization).intact()).isTrue();
        // the attacker removes entry 7 as if retention had: moves the checkpoint over it
        sql("UPDATE audit_checkpoints SET seq = 7, hash = (SELECT hash FROM audit_log WHERE organization_id = ?"
                + " AND seq = 7) WHERE organization_id = ? AND seq = 6", organization.id(), organization.id());
        sql("DELETE FROM audit_log WHERE organization_id = ? AND seq = 7", organization.id());

        ChainVerification verification = verify(organization);

        assertThat(verification.breaks()).extracting(ChainBreak::kind, ChainBreak::sequence)
                .containsExactly(tuple(Kind.CHECKPOINT_MISSING, 1L), tuple(Kind.CHECKPOINT_INVALID, 7L));
    }

    @Test
    void retentionRemovesNothingFromAChainWhoseOldEntriesDoNotVerify() {
        Organization organization = organizationWithEntries(6);
        server.services().organizations().updateRetention(server.operator(organization.id()),
                new RetentionSettings(90, 25, 1));
        // someone changes an old entry, hoping retention removes the evidence with it
        sql("UPDATE audit_log SET subject = 'nothing to see' WHERE organization_id = ? AND seq = 3",
                organization.id());
        server.clock().advance(Duration.ofDays(2));
        appendUntil(organization, 9);

        anHourLater();

        assertThat(server.count("SELECT min(seq) FROM audit_log WHERE organization_id = ?", organization.id()))
                .isOne();
        assertThat(verify(organization).breaks()).extracting(ChainBreak::kind, ChainBreak::sequence)
                .containsExactly(tuple(Kind.EDITED, 3L));
    }

    @Test
    void entriesWrittenWithoutAPlaceInTheChainAreReportedThenLinkedAndVerify() {
        Organization organization = organizationWithEntries(4);
        server.server().jobs().runDue(); // nothing due in the background until the clock moves
        // as a node of an older version writes them: the columns of the first schema only
        for (int i = 0; i < 3; i++) {
            sql("INSERT INTO audit_log (organization_id, id, occurred_at, action, subject) VALUES (?, ?, ?, ?, ?)",
                    organization.id(), UUID.randomUUID(),
                    server.clock().instant().plusMillis(i).atOffset(java.time.ZoneOffset.UTC), "view-people",
                    "people");
        }
        ChainVerification before = verify(organization);
        assertThat(before.breaks()).extracting(ChainBreak::kind, ChainBreak::sequence)
                .containsExactly(tuple(Kind.UNCHAINED, 5L));
        assertThat(before.breaks().get(0).detail()).startsWith("3 entries");

        server.clock().advance(Duration.ofMinutes(6));
        server.server().jobs().runDue();

        ChainVerification after = verify(organization);
        assertThat(after.intact()).as("%s", after.breaks()).isTrue();
        assertThat(after.entries()).isEqualTo(8); // 4, the verification's own, the 3 linked
        assertThat(server.count("SELECT count(*) FROM audit_log WHERE organization_id = ? AND seq IS NULL",
                organization.id())).isZero();
    }

    @Test
    void aLongChainIsVerifiedAcrossManyFetchesAndAnEditFarIntoItIsFound() {
        Organization organization = organizationWithEntries(2);
        server.server().jobs().runDue();
        sql("""
                INSERT INTO audit_log (organization_id, id, occurred_at, action, subject)
                SELECT ?, gen_random_uuid(), ? + n * interval '1 millisecond', 'view-usage', 'usage ' || n
                FROM generate_series(1, 4500) AS n""", organization.id(),
                server.clock().instant().atOffset(java.time.ZoneOffset.UTC));
        server.clock().advance(Duration.ofMinutes(6));
        server.server().jobs().runDue(); // links them: 3 to 4502
        assertThat(verify(organization).intact()).isTrue();

        sql("UPDATE audit_log SET subject = 'usage' WHERE organization_id = ? AND seq = 3777", organization.id());
        ChainVerification verification = verify(organization);

        assertThat(verification.entries()).isEqualTo(4503);
        assertThat(verification.breaks()).extracting(ChainBreak::kind, ChainBreak::sequence)
                .containsExactly(tuple(Kind.EDITED, 3777L));
    }

    @Test
    void onlyOwnersAuditorsAndTheOperatorMayVerify() {
        Organization organization = organizationWithEntries(3);
        for (Role role : Role.values()) {
            if (role == Role.SELF) {
                continue; // a self-service account is refused every action but its own (ActionMatrixTest)
            }
            String email = role.name().toLowerCase() + "-" + UUID.randomUUID() + "@example.org";
            server.server().administration().createAccount(organization.id(), email,
                    "correct horse battery staple".toCharArray(), role);
            Actor actor = server.signIn(email, "correct horse battery staple".toCharArray()).orElseThrow();
            if (role == Role.OWNER || role == Role.AUDITOR) {
                assertThat(server.services().audit().verify(actor).intact()).as("%s", role).isTrue();
            } else {
                assertThatThrownBy(() -> server.services().audit().verify(actor)).as("%s", role)
                        .isInstanceOf(NotPermittedException.class);
            }
        }
        assertThat(server.services().audit().search(server.operator(organization.id()),
                        AuditQuery.newest(20).withAction("verify-audit-trail")).entries())
                .extracting(AuditEntry::outcome).extracting(Enum::name)
                .containsExactlyInAnyOrder("SUCCESS", "SUCCESS", "DENIED", "DENIED");
    }

    /**
     * What a database writer without the master key can do: recompute the entries' plain SHA-256 hashes from their
     * fields, in the canonical form the server documents ({@code ChainHash}), so that each entry and each link
     * verifies again after an edit.
     */
    private static final class Attacker {

        private record Row(long sequence, UUID id, Instant at, String actorKind, UUID actor, String action,
                UUID person, UUID device, String subject, String outcome) {
        }

        /** Recomputes the hashes of the entries from {@code sequence} on; returns the newest hash. */
        static byte[] recomputeFrom(UUID organization, long sequence) {
            return server.jdbi().inTransaction(handle -> {
                byte[] previous = handle.select("SELECT hash FROM audit_log WHERE organization_id = ? AND seq = ?",
                        organization, sequence - 1).mapTo(byte[].class).one();
                List<Row> rows = handle.select("""
                                SELECT seq, id, occurred_at, actor_kind, actor_account_id, action, subject_person_id,
                                       subject_device_id, subject, outcome
                                FROM audit_log WHERE organization_id = ? AND seq >= ? ORDER BY seq""",
                                organization, sequence)
                        .map((rs, ctx) -> new Row(rs.getLong(1), rs.getObject(2, UUID.class),
                                rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getString(4),
                                rs.getObject(5, UUID.class), rs.getString(6), rs.getObject(7, UUID.class),
                                rs.getObject(8, UUID.class), rs.getString(9), rs.getString(10)))
                        .list();
                for (Row row : rows) {
                    byte[] hash = hash(organization, row, previous);
                    handle.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE organization_id = ? AND id = ?",
                            previous, hash, organization, row.id());
                    previous = hash;
                }
                return previous;
            });
        }

        private static byte[] hash(UUID organization, Row row, byte[] previous) {
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes);
                out.write("xentracker audit entry v1".getBytes(StandardCharsets.UTF_8));
                uuid(out, organization);
                out.writeLong(row.sequence());
                uuid(out, row.id());
                out.writeLong(ChronoUnit.MICROS.between(Instant.EPOCH, row.at()));
                text(out, row.actorKind());
                optionalUuid(out, row.actor());
                text(out, row.action());
                optionalUuid(out, row.person());
                optionalUuid(out, row.device());
                text(out, row.subject());
                text(out, row.outcome());
                out.write(previous);
                return MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray());
            } catch (IOException | NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private static void uuid(DataOutputStream out, UUID id) throws IOException {
            out.writeLong(id.getMostSignificantBits());
            out.writeLong(id.getLeastSignificantBits());
        }

        private static void optionalUuid(DataOutputStream out, UUID id) throws IOException {
            out.writeBoolean(id != null);
            if (id != null) {
                uuid(out, id);
            }
        }

        private static void text(DataOutputStream out, String text) throws IOException {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            out.writeInt(utf8.length);
            out.write(utf8);
        }
    }
}
