package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.server.device.IssuedEnrollmentToken;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.crypto.MasterKey;
import com.xentracker.server.crypto.SecretTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SecretsAtRestTest {

    /** The tests do not depend on the date; the clock starts at a fixed one all the same. */
    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-11-03T12:00:00Z"));

    private String permissions(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void theOrganizationsPrivateKeyIsStoredEncrypted() {
        Organization organization = server.newOrganization();

        byte[] stored = server.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT encryption_private_key FROM organizations WHERE id = :id")
                .bind("id", organization.id()).mapTo(byte[].class).one());

        String asText = new String(stored, StandardCharsets.ISO_8859_1);
        assertThat(asText).doesNotContain("PRIVATE KEY").doesNotContain("MII");
        byte[] opened = MasterKey.loadOrCreate(server.server().config().masterKeyFile(), new SecureRandom())
                .open(stored, "xentracker organization private key " + organization.id());
        assertThat(new String(opened, StandardCharsets.UTF_8)).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void aSealedKeyDoesNotOpenForAnotherOrganization() {
        Organization organization = server.newOrganization();
        byte[] stored = server.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT encryption_private_key FROM organizations WHERE id = :id")
                .bind("id", organization.id()).mapTo(byte[].class).one());
        MasterKey key = MasterKey.loadOrCreate(server.server().config().masterKeyFile(), new SecureRandom());

        assertThatThrownBy(() -> key.open(stored, "xentracker organization private key " + UUID.randomUUID()))
                .isInstanceOf(StorageException.class);
    }

    @Test
    void keysAreReadableByTheirOwnerOnlyAndTheCaByEveryone() throws IOException {
        Path tls = server.dataDirectory().resolve("tls");

        assertThat(permissions(server.server().config().masterKeyFile())).isEqualTo("rw-------");
        assertThat(Files.size(server.server().config().masterKeyFile())).isEqualTo(32);
        assertThat(permissions(tls.resolve("ca-key.pem"))).isEqualTo("rw-------");
        assertThat(permissions(tls.resolve("server-key.pem"))).isEqualTo("rw-------");
        assertThat(permissions(tls.resolve("ca.pem"))).isEqualTo("rw-r--r--");
        // zonky makes its binaries directory world-writable; its parent keeps everyone else out
        assertThat(permissions(server.dataDirectory().resolve("postgres-runtime"))).isEqualTo("rwx------");
    }

    @Test
    void enrollmentTokensAreStoredAsHashesOnly() {
        Organization organization = server.newOrganization();
        IssuedEnrollmentToken token = server.token(organization);

        assertThat(token.token()).matches("[A-Za-z0-9_-]{43}");
        assertThat(token.toString()).doesNotContain(token.token());
        assertThat(server.count("SELECT count(*) FROM enrollment_tokens WHERE id = ? AND token_hash = ?",
                token.id(), SecretTokens.hash(token.token()))).isOne();
        assertThat(server.count("SELECT count(*) FROM audit_log WHERE position(? in subject) > 0", token.token()))
                .isZero();
    }

    @Test
    void theEmbeddedPostgresRefusesConnectionsWithoutThePassword() throws IOException {
        // postmaster.pid: the fourth line is the port
        List<String> pid = Files.readAllLines(server.dataDirectory().resolve("postgres/postmaster.pid"));
        String url = "jdbc:postgresql://localhost:" + pid.get(3).strip() + "/xentracker";

        assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "")).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "guess"))
                .isInstanceOf(SQLException.class);
        assertThat(Files.readString(server.dataDirectory().resolve("postgres/pg_hba.conf")))
                .doesNotContain("trust");
    }
}
