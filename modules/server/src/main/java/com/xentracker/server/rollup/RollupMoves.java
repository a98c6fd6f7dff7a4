package com.xentracker.server.rollup;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Changes to rollups that keep their totals: re-categorising an organization's rows after its rules changed, and
 * moving a device's or a person's rows to another person. Rows whose key then coincides are merged (their
 * milliseconds added), in the same statement, so readers never see a total twice or not at all. Re-categorising
 * changes the per-day category summaries ({@code category_days}), so it marks the (day, device)s it moved in
 * {@code rollup_changes}, in the same statement; moving rows to another person changes no summary (they hold no
 * people), so it marks nothing.
 */
public final class RollupMoves {

    private static final String MERGE = """
            ON CONFLICT (organization_id, day, person_id, device_id, application, domain, category)
            DO UPDATE SET active_ms = rollups.active_ms + EXCLUDED.active_ms,
                          idle_ms = rollups.idle_ms + EXCLUDED.idle_ms,
                          locked_ms = rollups.locked_ms + EXCLUDED.locked_ms""";

    private RollupMoves() {
    }

    /**
     * Puts every rollup row of the organization into the category its current rules give. Works from the rollups
     * themselves (they keep application and domain), so days whose raw spans retention has already removed are
     * re-categorised too.
     *
     * @return how many (application, domain) pairs changed category
     */
    public static int recategorize(Handle handle, UUID organizationId) {
        CategoryRules rules = CategoryRules.load(handle, organizationId);
        record Pair(String application, String domain, String category) {
        }
        List<Pair> pairs = TenantSql.query(handle, organizationId,
                        "SELECT DISTINCT application, domain, category FROM rollups WHERE organization_id = :organization")
                .map((rs, ctx) -> new Pair(rs.getString(1), rs.getString(2), rs.getString(3)))
                .list();
        List<String> applications = new ArrayList<>();
        List<String> domains = new ArrayList<>();
        List<String> from = new ArrayList<>();
        List<String> to = new ArrayList<>();
        for (Pair pair : pairs) {
            String category = rules.categorize(pair.application(), pair.domain());
            if (!category.equals(pair.category())) {
                applications.add(pair.application());
                domains.add(pair.domain());
                from.add(pair.category());
                to.add(category);
            }
        }
        if (applications.isEmpty()) {
            return 0;
        }
        TenantSql.update(handle, organizationId, """
                        WITH map AS (
                            SELECT * FROM unnest(CAST(:applications AS text[]), CAST(:domains AS text[]),
                                                 CAST(:from AS text[]), CAST(:to AS text[]))
                                     AS m(application, domain, old_category, new_category)),
                        moved AS (
                            DELETE FROM rollups r USING map m
                            WHERE r.organization_id = :organization AND r.application = m.application
                              AND r.domain = m.domain AND r.category = m.old_category
                            RETURNING r.day, r.person_id, r.device_id, r.application, r.domain, m.new_category,
                                      r.active_ms, r.idle_ms, r.locked_ms),
                        marked AS (
                            INSERT INTO rollup_changes (organization_id, day, device_id)
                            SELECT DISTINCT :organization, day, device_id FROM moved WHERE active_ms > 0
                            ON CONFLICT (organization_id, day, device_id) DO UPDATE SET day = EXCLUDED.day)
                        INSERT INTO rollups (organization_id, day, person_id, device_id, application, domain, category,
                                             active_ms, idle_ms, locked_ms)
                        SELECT :organization, day, person_id, device_id, application, domain, new_category,
                               sum(active_ms), sum(idle_ms), sum(locked_ms)
                        FROM moved GROUP BY day, person_id, device_id, application, domain, new_category
                        """ + MERGE)
                .bind("applications", applications.toArray(String[]::new))
                .bind("domains", domains.toArray(String[]::new))
                .bind("from", from.toArray(String[]::new))
                .bind("to", to.toArray(String[]::new))
                .execute();
        return applications.size();
    }

    /** Moves the device's rollups (all days) to {@code person}. */
    public static void moveDevice(Handle handle, UUID organizationId, UUID deviceId, UUID person) {
        TenantSql.update(handle, organizationId, """
                        WITH moved AS (
                            DELETE FROM rollups
                            WHERE organization_id = :organization AND device_id = :device AND person_id <> :person
                            RETURNING day, device_id, application, domain, category, active_ms, idle_ms, locked_ms)
                        INSERT INTO rollups (organization_id, day, person_id, device_id, application, domain, category,
                                             active_ms, idle_ms, locked_ms)
                        SELECT :organization, day, :person, device_id, application, domain, category,
                               sum(active_ms), sum(idle_ms), sum(locked_ms)
                        FROM moved GROUP BY day, device_id, application, domain, category
                        """ + MERGE)
                .bind("device", deviceId)
                .bind("person", person)
                .execute();
    }

    /** Moves every rollup of person {@code from} (all days, all devices) to person {@code to}. */
    public static void movePerson(Handle handle, UUID organizationId, UUID from, UUID to) {
        TenantSql.update(handle, organizationId, """
                        WITH moved AS (
                            DELETE FROM rollups
                            WHERE organization_id = :organization AND person_id = :from
                            RETURNING day, device_id, application, domain, category, active_ms, idle_ms, locked_ms)
                        INSERT INTO rollups (organization_id, day, person_id, device_id, application, domain, category,
                                             active_ms, idle_ms, locked_ms)
                        SELECT :organization, day, :to, device_id, application, domain, category,
                               sum(active_ms), sum(idle_ms), sum(locked_ms)
                        FROM moved GROUP BY day, device_id, application, domain, category
                        """ + MERGE)
                .bind("from", from)
                .bind("to", to)
                .execute();
    }

    /** Which rollups {@link #deleteAndMark} deletes: those of one person, or of one device. */
    public enum Owner {
        PERSON("person_id = :owner"), DEVICE("device_id = :owner");

        private final String condition;

        Owner(String condition) {
            this.condition = condition;
        }
    }

    /**
     * Deletes the rollups of one person or device and marks each (day, device) they had for the dashboard's
     * summaries, in the same statement, so that those days are read from the rollups until the summarizing job has
     * recomputed them (see DailyRollups.addTo for why the mark's conflict does a no-op update instead of nothing).
     */
    public static void deleteAndMark(Handle handle, UUID organizationId, Owner owner, UUID id) {
        TenantSql.update(handle, organizationId, """
                        WITH deleted AS (DELETE FROM rollups WHERE organization_id = :organization AND %s
                                         RETURNING day, device_id, active_ms)
                        INSERT INTO rollup_changes (organization_id, day, device_id)
                        SELECT DISTINCT :organization, day, device_id FROM deleted WHERE active_ms > 0
                        ON CONFLICT (organization_id, day, device_id) DO UPDATE SET day = EXCLUDED.day"""
                        .formatted(owner.condition))
                .bind("owner", id)
                .execute();
    }

    /** Queues the organization for the background re-categorisation; a newer request supersedes an older one. */
    public static void requestRecategorization(Handle handle, UUID organizationId, java.time.Instant now) {
        TenantSql.update(handle, organizationId, """
                        INSERT INTO rollup_recompute (organization_id, requested_at) VALUES (:organization, :now)
                        ON CONFLICT (organization_id) DO UPDATE SET requested_at = :now""")
                .bind("now", now)
                .execute();
    }
}
