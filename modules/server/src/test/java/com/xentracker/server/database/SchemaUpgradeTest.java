package com.xentracker.server.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A database holding data of schema version 1 is migrated to the current one without losing or breaking it. */
class SchemaUpgradeTest {

    private static final OffsetDateTime ENROLLED = OffsetDateTime.of(2026, 11, 1, 8, 0, 0, 0, ZoneOffset.UTC);
    private static final OffsetDateTime RECEIVED = ENROLLED.plusHours(3);

    private Path directory;
    private EmbeddedPostgresServer postgres;

    @BeforeEach
    void start() throws IOException, SQLException {
        directory = Files.createTempDirectory("xt-upgrade-test-");
        postgres = EmbeddedPostgresServer.start(directory, "c2NoZW1hLXVwZ3JhZGUtdGVzdA");
    }

    @AfterEach
    void stop() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private FluentConfiguration flyway() {
        return Flyway.configure(Database.class.getClassLoader())
                .dataSource(postgres.jdbcUrl(), postgres.user(), postgres.password())
                .resourceProvider(ModuleMigrations.of(Database.class.getModule()))
                .javaMigrationClassProvider(List::of);
    }

    private static String text(Jdbi jdbi, String sql) {
        return jdbi.withHandle(handle -> handle.createQuery(sql).mapTo(String.class).one());
    }

    @Test
    void versionOneDataSurvivesAndDevicesGetALastSeenTime() {
        flyway().target("1").load().migrate();
        Jdbi jdbi = Jdbi.create(postgres.jdbcUrl(), postgres.user(), postgres.password());
        UUID organization = UUID.randomUUID();
        UUID token = UUID.randomUUID();
        UUID uploaded = UUID.randomUUID();
        UUID silent = UUID.randomUUID();
        jdbi.useHandle(handle -> {
            handle.execute("""
                    INSERT INTO organizations (id, name, time_zone, encryption_certificate_pem, encryption_private_key,
                                               created_at) VALUES (?, 'Acme', 'UTC', 'pem', '\\x00', ?)""",
                    organization, ENROLLED);
            handle.execute("""
                    INSERT INTO enrollment_tokens (organization_id, id, token_hash, created_at, expires_at, max_uses)
                    VALUES (?, ?, ?, ?, ?, 5)""", organization, token, new byte[32], ENROLLED, ENROLLED.plusDays(1));
            for (UUID device : List.of(uploaded, silent)) {
                handle.execute("""
                        INSERT INTO devices (organization_id, id, public_key_pem, hostname, operating_system, os_user,
                                             agent_version, enrollment_token_id, enrolled_at)
                        VALUES (?, ?, 'pem', 'host', 'Linux', 'alice', '0.1.0', ?, ?)""",
                        organization, device, token, ENROLLED);
            }
            handle.execute("""
                    INSERT INTO batches (organization_id, device_id, sequence, accepted_spans, received_at)
                    VALUES (?, ?, 0, 1, ?)""", organization, uploaded, RECEIVED.minusHours(1));
            handle.execute("""
                    INSERT INTO batches (organization_id, device_id, sequence, accepted_spans, received_at)
                    VALUES (?, ?, 1, 1, ?)""", organization, uploaded, RECEIVED);
            handle.execute("""
                    INSERT INTO spans (organization_id, device_id, batch_sequence, start_at, end_at, state, application,
                                       executable) VALUES (?, ?, 0, ?, ?, 'ACTIVE', 'xterm', '/usr/bin/xterm')""",
                    organization, uploaded, ENROLLED, ENROLLED.plusMinutes(5));
        });

        flyway().load().migrate();

        Map<UUID, OffsetDateTime> lastSeen = jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT id, last_seen_at FROM devices")
                .map((rs, ctx) -> Map.entry(rs.getObject("id", UUID.class),
                        rs.getObject("last_seen_at", OffsetDateTime.class)))
                .list().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        assertThat(lastSeen.get(uploaded).toInstant()).isEqualTo(RECEIVED.toInstant());
        assertThat(lastSeen.get(silent).toInstant()).isEqualTo(ENROLLED.toInstant());
        assertThat(text(jdbi, "SELECT capture_state || ' ' || policy_version || ' ' || agent_version FROM devices"
                + " WHERE id = '" + uploaded + "'")).isEqualTo("UNKNOWN 0 0.1.0");
        assertThat(text(jdbi, "SELECT (policy IS NULL) || ' ' || policy_version FROM organizations"))
                .isEqualTo("true 0");
        assertThat(text(jdbi, "SELECT count(*)::text FROM spans")).isEqualTo("1");
    }
}
