package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.server.organization.Organization;
import com.xentracker.testing.clock.MutableClock;
import com.xentracker.testing.database.ExternalPostgres;
import com.xentracker.testing.database.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The external PostgreSQL of CI is really there (XT_REQUIRE_ALL=1 fails without it) and a server runs on it. The
 * other integration tests run against it in the {@code external-database} surefire execution.
 */
class ExternalDatabaseTest {

    @Test
    void theServerMigratesAndRunsOnTheExternalPostgresql() throws Exception {
        ExternalPostgres postgres = ExternalPostgres.required();
        Path directory = Files.createTempDirectory("xt-external-test-");
        TestDatabase database = postgres.createDatabase();
        try (XentrackerServer server = XentrackerServer.start(ServerFixture.config(directory)
                .withDatabase(ServerFixture.database(database)), MutableClock.at("2026-11-03T12:00:00Z"), List.of())) {
            Organization organization = server.administration().createOrganization("External",
                    ZoneId.of("UTC"));
            assertThat(server.administration().organization(organization.id())).isPresent();
            assertThat(server.database().isReady()).isTrue();
            String version = server.database().jdbi().withHandle(handle -> handle.createQuery(
                    "SHOW server_version").mapTo(String.class).one());
            assertThat(version).isNotBlank();
        } finally {
            postgres.drop(database);
            ServerFixture.delete(directory);
        }
    }
}
