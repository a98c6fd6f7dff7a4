package com.xentracker.server.organization;

import com.xentracker.server.access.Access;
import com.xentracker.server.access.Action;
import com.xentracker.server.rollup.CategoryRules;
import com.xentracker.server.rollup.TenantSql;
import java.sql.Array;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Versions of an organization's settings in {@code settings_history}: after every change, in the change's own
 * transaction, the whole area as it now is, written by the database from the stored rows themselves (so the version
 * is exactly what was stored, and the JSON needs no mapping of its own). Versions count per area; a policy's version
 * is the policy version agents report.
 */
final class SettingsHistory {

    /** Each area's settings as JSON, from the organization's rows. */
    private static final Map<SettingsArea, String> VALUE = Map.of(
            SettingsArea.ORGANIZATION, """
                    SELECT jsonb_build_object('name', name, 'timeZone', time_zone,
                                              'requireTwoFactor', require_two_factor,
                                              'minimumGroupSize', minimum_group_size,
                                              'silentAfterHours', silent_after_hours,
                                              'selfService', self_service)
                    FROM organizations WHERE id = :organization""",
            SettingsArea.RETENTION, """
                    SELECT jsonb_build_object('spanDays', span_retention_days,
                                              'rollupMonths', rollup_retention_months,
                                              'auditDays', audit_retention_days)
                    FROM organizations WHERE id = :organization""",
            SettingsArea.POLICY, """
                    SELECT coalesce(policy, '{}'::jsonb) FROM organizations WHERE id = :organization""",
            SettingsArea.CATEGORIES, """
                    SELECT jsonb_build_object(
                        'categories', coalesce((
                            SELECT jsonb_agg(jsonb_build_object(
                                       'name', c.name, 'productivity', c.productivity,
                                       'groupRatings', coalesce((
                                           SELECT jsonb_object_agg(g.name, gr.productivity ORDER BY g.name)
                                           FROM category_group_ratings gr
                                           JOIN groups g ON g.organization_id = gr.organization_id
                                                        AND g.id = gr.group_id
                                           WHERE gr.organization_id = c.organization_id
                                             AND gr.category_id = c.id), '{}'::jsonb))
                                       ORDER BY c.name)
                            FROM categories c WHERE c.organization_id = :organization), '[]'::jsonb),
                        'rules', coalesce((
                            SELECT jsonb_agg(jsonb_build_object(
                                       'category', c.name, 'kind', r.kind, 'pattern', r.pattern,
                                       'includeSubdomains', r.include_subdomains, 'priority', r.priority)
                                       ORDER BY %s)
                            FROM category_rules r
                            JOIN categories c ON c.organization_id = r.organization_id AND c.id = r.category_id
                            WHERE r.organization_id = :organization), '[]'::jsonb))"""
                    .formatted(CategoryRules.order("r.")));

    private SettingsHistory() {
    }

    /**
     * Appends the area's settings as they are now in this transaction, as the next version, by the actor of
     * {@code access} (none for the operator).
     */
    static long record(Handle handle, Access access, SettingsArea area, Instant now) {
        UUID organization = access.organizationId();
        // One change of an area at a time: the next version number is read after this lock, so two changes never
        // take the same one (the organization's row: every settings change of the organization serializes here,
        // which is rare enough; uploads only read the row or lock it FOR KEY SHARE, which this does not block).
        TenantSql.query(handle, organization, "SELECT 1 FROM organizations WHERE id = :organization FOR NO KEY UPDATE")
                .mapTo(Integer.class)
                .one();
        String version = area == SettingsArea.POLICY
                ? "(SELECT policy_version FROM organizations WHERE id = :organization)"
                : "(SELECT coalesce(max(version), 0) + 1 FROM settings_history"
                        + " WHERE organization_id = :organization AND area = :area)";
        return TenantSql.query(handle, organization, """
                        INSERT INTO settings_history (organization_id, area, version, changed_at, changed_by, value)
                        VALUES (:organization, :area, %s, :now, CAST(:account AS uuid), (%s))
                        RETURNING version""".formatted(version, VALUE.get(area)))
                .bind("area", area.name())
                .bind("now", now)
                .bindByType("account", access.actor().accountId().orElse(null), UUID.class)
                .mapTo(Long.class)
                .one();
    }

    /**
     * The area's versions, newest first, with the fields each changed against the one before ({@code version} itself
     * left out: the policy's JSON carries it).
     */
    static List<SettingsVersion> read(Handle handle, Access access, SettingsArea area, int limit) {
        UUID organization = access.organizationId();
        Optional<UUID> self = access.actor().accountId();
        // who changed it: e-mail addresses only for roles that may list the accounts anyway
        boolean namesAccounts = Action.VIEW_ACCOUNTS.allows(access.role());
        return TenantSql.query(handle, organization, """
                        SELECT h.version, h.changed_at, h.changed_by, a.email, jsonb_pretty(h.value),
                               ARRAY(SELECT coalesce(n.key, o.key)
                                     FROM jsonb_each(h.value) n
                                     FULL JOIN jsonb_each(p.value) o ON o.key = n.key
                                     WHERE n.value IS DISTINCT FROM o.value
                                       AND coalesce(n.key, o.key) <> 'version'
                                     ORDER BY 1) AS changed
                        FROM settings_history h
                        LEFT JOIN LATERAL (
                            SELECT q.value FROM settings_history q
                            WHERE q.organization_id = h.organization_id AND q.area = h.area AND q.version < h.version
                            ORDER BY q.version DESC LIMIT 1) p ON true
                        LEFT JOIN accounts a ON a.organization_id = h.organization_id AND a.id = h.changed_by
                        WHERE h.organization_id = :organization AND h.area = :area
                        ORDER BY h.version DESC LIMIT :limit""")
                .bind("area", area.name())
                .bind("limit", Math.max(1, Math.min(limit, 500)))
                .map((rs, ctx) -> {
                    Optional<UUID> by = Optional.ofNullable(rs.getObject(3, UUID.class));
                    String who = by.isEmpty() ? "the host operator"
                            : by.equals(self) ? "you"
                            : namesAccounts ? Optional.ofNullable(rs.getString(4)).orElse("a deleted account")
                            : "another account";
                    return new SettingsVersion(area, rs.getLong(1),
                            rs.getObject(2, OffsetDateTime.class).toInstant(), who, strings(rs.getArray(6)),
                            rs.getString(5));
                })
                .list();
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
