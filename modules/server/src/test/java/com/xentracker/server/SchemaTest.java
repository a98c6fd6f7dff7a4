package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SchemaTest {

    /** The tests do not depend on the date; the clock starts at a fixed one all the same. */
    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-11-03T12:00:00Z"));

    @Test
    void migrationsCreateEveryTable() {
        List<String> tables = server.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT relname FROM pg_class
                        WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') AND NOT relispartition
                        ORDER BY relname""")
                .mapTo(String.class).list());

        assertThat(tables).containsExactlyInAnyOrder("organizations", "accounts", "sessions", "enrollment_tokens",
                "devices", "batches", "spans", "audit_log", "flyway_schema_history", "gaps", "people", "device_users",
                "categories", "category_rules", "rollup_recompute", "rollups", "job_runs",
                "batch_arrivals", "sequence_gaps", "enrolled_device_keys", "retired_organization_keys",
                "app_days", "rollup_changes", "account_links", "recovery_codes", "sign_in_challenges",
                "sign_in_throttle", "sign_ins", "groups", "group_members", "viewer_grants", "audit_chain_heads",
                "audit_checkpoints", "category_group_ratings", "settings_history", "site_days", "category_days",
                "api_tokens", "device_erasures", "group_days", "group_changes");
    }

    @Test
    void flywayRecordsTheMigrationReadFromTheModule() {
        List<String> applied = server.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT version || ' ' || script || ' ' || success FROM flyway_schema_history
                        WHERE version IS NOT NULL ORDER BY installed_rank""")
                .mapTo(String.class).list());

        assertThat(applied).containsExactly("1 V1__initial_schema.sql true",
                "2 V2__agent_state_gaps_and_policy.sql true",
                "3 V3__partitions_people_rollups_retention.sql true",
                "4 V4__transport_hardening.sql true", "5 V5__sign_in_throttling.sql true",
                "6 V6__dashboard_summaries.sql true", "7 V7__roles_groups_two_factor_audit_chain.sql true",
                "11 V11__group_names_unique_ignoring_case.sql true",
                "12 V12__batches_known_by_their_signed_content.sql true",
                "13 V13__productivity_team_views_backlog_settings_history.sql true",
                "14 V14__site_and_category_day_summaries.sql true",
                "16 V16__recategorization_progress.sql true",
                "17 V17__api_tokens_device_erasures.sql true",
                "18 V18__self_service.sql true",
                "19 V19__group_day_summaries_zone_recount.sql true");
    }

    @Test
    void everyTenantKeyStartsWithTheOrganization() {
        List<String> primaryKeysNotLedByOrganization = server.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT c.conrelid::regclass::text FROM pg_constraint c
                        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
                        WHERE c.contype = 'p' AND c.connamespace = 'public'::regnamespace
                          AND a.attname <> 'organization_id'
                          AND c.conrelid::regclass::text NOT IN ('organizations', 'flyway_schema_history', 'job_runs',
                                                             -- failed sign-ins per source address, across tenants
                                                             'sign_in_throttle')""")
                .mapTo(String.class).list());

        assertThat(primaryKeysNotLedByOrganization).isEmpty();
    }
}
