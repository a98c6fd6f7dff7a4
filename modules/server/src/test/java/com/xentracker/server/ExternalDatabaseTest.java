package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.server.organization.Organization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The external PostgreSQL of CI is really there (XT_REQUIRE_ALL=1 fails without it) and a server runs on it. The
 * other integration tests run against it in the {@code external-database} surefire execution.
 */
class ExternalDatabaseTest {

    @Test
    void theServerMigratesAndRunsOnTheExternalPostgresql() throws Exception {
        if (TestDatabases.externalUrl().isEmpty()) {
            if ("1".equals(System.getenv("XT_REQUIRE_ALL"))) {
                throw new AssertionError("XT_REQUIRE_ALL=1 but " + TestDatabases.URL + " is not set: .ci/run starts"
                        + " Debian's PostgreSQL and exports it; without it the tests ran on embedded PostgreSQL only");
            }
            Assumptions.abort(TestDatabases.URL + " is not set; tests ran on embedded PostgreSQL only");
        }
        Path directory = Files.createTempDirectory("xt-external-test-");
        ServerConfig.ExternalDatabase database = TestDatabases.createExternal();
        try (XentrackerServer server = XentrackerServer.start(ServerFixture.config(directory).withDatabase(database),
                new MutableClock(), java.util.List.of())) {
            Organization organization = server.administration().createOrganization("External",
                    ZoneId.of("UTC"));
            assertThat(server.administration().organization(organization.id())).isPresent();
            assertThat(server.database().isReady()).isTrue();
            String version = server.database().jdbi().withHandle(handle -> handle.createQuery(
                    "SHOW server_version").mapTo(String.class).one());
            assertThat(version).isNotBlank();
        } finally {
            TestDatabases.dropExternal(database);
            ServerFixture.delete(directory);
        }
    }
}
