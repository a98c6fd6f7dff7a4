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

    @Test
    void versionTwoSpansGetTheirPersonTheirRollupsAndLaterTheirMonthsPartition() {
        flyway().target("2").load().migrate();
        Jdbi jdbi = Jdbi.create(postgres.jdbcUrl(), postgres.user(), postgres.password());
        UUID organization = UUID.randomUUID();
        UUID token = UUID.randomUUID();
        UUID laptop = UUID.randomUUID();
        UUID desktop = UUID.randomUUID();
        jdbi.useHandle(handle -> {
            handle.execute("""
                    INSERT INTO organizations (id, name, time_zone, encryption_certificate_pem, encryption_private_key,
                                               created_at) VALUES (?, 'Acme', 'Europe/Berlin', 'pem', '\\x00', ?)""",
                    organization, ENROLLED);
            handle.execute("""
                    INSERT INTO enrollment_tokens (organization_id, id, token_hash, created_at, expires_at, max_uses)
                    VALUES (?, ?, ?, ?, ?, 5)""", organization, token, new byte[32], ENROLLED, ENROLLED.plusDays(1));
            for (UUID device : List.of(laptop, desktop)) {
                handle.execute("""
                        INSERT INTO devices (organization_id, id, public_key_pem, hostname, operating_system, os_user,
                                             agent_version, enrollment_token_id, enrolled_at, last_seen_at)
                        VALUES (?, ?, 'pem', 'host', 'Linux', ?, '0.1.0', ?, ?, ?)""",
                        organization, device, device.equals(laptop) ? "Alice" : "alice", token, ENROLLED, ENROLLED);
                handle.execute("""
                        INSERT INTO batches (organization_id, device_id, sequence, accepted_spans, received_at)
                        VALUES (?, ?, 0, 1, ?)""", organization, device, RECEIVED);
            }
            // 22:30Z to 23:30Z on 1 November is 23:30 to 00:30 in Berlin: half on each local day
            handle.execute("""
                    INSERT INTO spans (organization_id, device_id, batch_sequence, start_at, end_at, state, application,
                                       executable) VALUES (?, ?, 0, ?, ?, 'ACTIVE', 'xterm', '/usr/bin/xterm')""",
                    organization, laptop, ENROLLED.withHour(22).withMinute(30), ENROLLED.withHour(23).withMinute(30));
            handle.execute("""
                    INSERT INTO spans (organization_id, device_id, batch_sequence, start_at, end_at, state, application,
                                       executable) VALUES (?, ?, 0, ?, ?, 'IDLE', '', '')""",
                    organization, desktop, ENROLLED, ENROLLED.plusMinutes(10));
        });

        flyway().load().migrate();

        assertThat(text(jdbi, "SELECT count(*) || ' ' || min(login) FROM people")).isEqualTo("1 alice");
        assertThat(text(jdbi, "SELECT count(DISTINCT person_id) || ' ' || count(*) FROM device_users"))
                .isEqualTo("1 2");
        assertThat(text(jdbi, "SELECT count(*) || ' ' || count(DISTINCT person_id) FROM spans")).isEqualTo("2 1");
        assertThat(text(jdbi, """
                SELECT string_agg(day || ' ' || application || ' ' || active_ms || ' ' || idle_ms, ', '
                                  ORDER BY day, application) FROM rollups"""))
                .isEqualTo("2026-11-01  0 600000, 2026-11-01 xterm 1800000 0, 2026-11-02 xterm 1800000 0");
        assertThat(text(jdbi, "SELECT string_agg(DISTINCT tableoid::regclass::text, ',') FROM spans"))
                .isEqualTo("spans_default");

        jdbi.useHandle(handle -> com.xentracker.server.maintenance.Partitions.ensure(handle,
                RECEIVED.toInstant().plus(java.time.Duration.ofDays(1))));

        assertThat(text(jdbi, "SELECT string_agg(DISTINCT tableoid::regclass::text, ',') FROM spans"))
                .isEqualTo("spans_y2026m11");
        assertThat(text(jdbi, "SELECT count(*)::text FROM spans")).isEqualTo("2");
    }

    /** Flyway serialises migrators on PostgreSQL with an advisory lock; the second waits, then finds nothing to do. */
    @Test
    void twoNodesMigratingAtOnceApplyEachMigrationOnce() throws Exception {
        java.util.concurrent.ExecutorService nodes = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
            List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                results.add(nodes.submit(() -> {
                    together.await();
                    return flyway().load().migrate().migrationsExecuted;
                }));
            }
            List<Integer> executed = new java.util.ArrayList<>();
            for (var result : results) {
                executed.add(result.get());
            }
            Jdbi jdbi = Jdbi.create(postgres.jdbcUrl(), postgres.user(), postgres.password());
            int all = Integer.parseInt(text(jdbi,
                    "SELECT count(*)::text FROM flyway_schema_history WHERE version IS NOT NULL AND success"));
            assertThat(executed).containsExactlyInAnyOrder(all, 0);
            assertThat(text(jdbi, "SELECT count(DISTINCT version)::text FROM flyway_schema_history"
                    + " WHERE version IS NOT NULL")).isEqualTo(Integer.toString(all));
        } finally {
            nodes.shutdownNow();
        }
    }
}
