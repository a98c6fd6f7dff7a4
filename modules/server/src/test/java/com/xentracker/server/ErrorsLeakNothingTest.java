package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.server.access.Role;
import com.xentracker.server.organization.Organization;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a failure says never carries the values it was about: neither Jdbi's message (it renders bound parameters by
 * default) nor PostgreSQL's detail (it quotes the row: "Key (email)=(…) already exists"), which would otherwise reach
 * a log line or an HTTP answer.
 */
class ErrorsLeakNothingTest {

    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-03-06T09:14:00Z"));

    private static String everything(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            text.append(cause).append('\n');
        }
        return text.toString();
    }

    @Test
    void aFailedStatementNamesNeitherItsBoundValuesNorTheRowPostgreSqlQuotes() {
        Organization organization = server.newOrganization();
        String email = "leak-" + UUID.randomUUID() + "@example.org";
        server.server().administration().createAccount(organization.id(), email,
                "correct horse battery staple".toCharArray(), Role.AUDITOR);

        // the same unique address once more, straight through the server's own Jdbi
        assertThatThrownBy(() -> server.jdbi().useHandle(handle -> handle.createUpdate("""
                        INSERT INTO accounts (organization_id, id, email, role, status, password_hash, created_at)
                        VALUES (:organization, :id, :email, 'AUDITOR', 'ACTIVE', 'x', now())""")
                .bind("organization", organization.id())
                .bind("id", UUID.randomUUID())
                .bind("email", email)
                .execute()))
                .isInstanceOf(JdbiException.class)
                .satisfies(e -> assertThat(everything(e)).doesNotContain(email).contains("accounts_email_key")
                        .doesNotContain("Key ("));
    }

    @Test
    void aTakenAddressIsRefusedWithoutRepeatingIt() {
        Organization organization = server.newOrganization();
        String email = "taken-" + UUID.randomUUID() + "@example.org";
        server.server().administration().createAccount(organization.id(), email,
                "correct horse battery staple".toCharArray(), Role.AUDITOR);

        assertThatThrownBy(() -> server.server().administration().createAccount(organization.id(), email,
                "correct horse battery staple".toCharArray(), Role.ADMIN))
                .isInstanceOf(DuplicateAccountException.class)
                .satisfies(e -> assertThat(everything(e)).doesNotContain(email));
    }
}
