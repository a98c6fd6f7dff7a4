package com.xentracker.server.maintenance;

import com.xentracker.server.rollup.TenantSql;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the reports' per-day summaries ({@code app_days}, {@code site_days}, {@code category_days} for the whole
 * organization, {@code group_days} per group) up to date: for every (organization, day) that has marks in {@code
 * rollup_changes} (its rollups changed) or {@code group_changes} (a group's people changed), one transaction deletes
 * the marks and replaces the day's summaries with a fresh aggregate of its rollups (active milliseconds per
 * application, per web domain and per category, each with the bitmap of device numbers with active time).
 *
 * <p>Why no change is lost: an ingest writes its rollups and its mark in one transaction and holds the mark's row
 * lock until it commits (see {@code DailyRollups.addTo}). This job deletes the marks first: a mark an uncommitted
 * ingest holds makes the DELETE wait for that commit, and the aggregate, a later statement, then sees the ingest's
 * rows; a mark an ingest inserts while the job runs is not deleted and keeps the day marked. So a day without marks
 * has summaries equal to its rollups, in every snapshot; readers take a marked day from the rollups instead. Two runs
 * for the same day (only possible outside the job's advisory lock) are serialised by a transaction-level advisory
 * lock on (organization, day), so an older aggregate never replaces a newer one.
 */
public final class DashboardSummaries {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardSummaries.class);

    private DashboardSummaries() {
    }

    private record Marked(UUID organization, LocalDate day) {
    }

    /**
     * How long one run may summarize. The rest waits for the next run (readers take those days from the rollups, so
     * answers stay exact, only slower): after an upgrade marks every stored day, the first run must not hold the
     * server's start (jobs run once before HTTPS opens) or the other jobs for long.
     */
    public static final Duration BUDGET = Duration.ofSeconds(20);

    /** Summarizes marked (organization, day)s for up to {@link #BUDGET}; the job's body. */
    public static void run(Handle handle, Instant now) {
        run(handle, now, BUDGET);
    }

    /**
     * Summarizes marked (organization, day)s, newest days first (the ones dashboards show most), until {@code
     * budget} has passed; at least one, so every run makes progress.
     *
     * @return how many (organization, day)s were summarized
     */
    public static int run(Handle handle, Instant now, Duration budget) {
        List<Marked> marked = handle.createQuery("""
                        SELECT organization_id, day FROM rollup_changes
                        UNION
                        SELECT organization_id, day FROM group_changes
                        ORDER BY day DESC, organization_id""")
                .map((rs, ctx) -> new Marked(rs.getObject(1, UUID.class), rs.getObject(2, LocalDate.class)))
                .list();
        long started = System.nanoTime();
        int done = 0;
        for (Marked day : marked) {
            if (done > 0 && System.nanoTime() - started > budget.toNanos()) {
                LOG.info("Dashboard summaries: {} of {} changed organization day(s) summarized in this run, the"
                        + " rest in the next ones", done, marked.size());
                break;
            }
            summarize(handle, day.organization(), day.day());
            done++;
        }
        if (done > 0) {
            LOG.debug("Summarized {} organization day(s) for the dashboard in {} ms (as of {})", done,
                    (System.nanoTime() - started) / 1_000_000, now);
        }
        return done;
    }

    /**
     * Replaces the organization's summaries of {@code day} by its rollups as they are now, in one transaction: the
     * organization's and every group's when the day's rollups changed, only the marked groups' when only groups'
     * members changed.
     */
    public static void summarize(Handle handle, UUID organizationId, LocalDate day) {
        handle.useTransaction(tx -> {
            TenantSql.query(tx, organizationId,
                            "SELECT 1 FROM pg_advisory_xact_lock(hashtext(CAST(:organization AS text)),"
                                    + " :day - DATE '2000-01-01')")
                    .bind("day", day)
                    .mapTo(Integer.class)
                    .one();
            int rollupMarks = TenantSql.update(tx, organizationId,
                            "DELETE FROM rollup_changes WHERE organization_id = :organization AND day = :day")
                    .bind("day", day)
                    .execute();
            // a group's mark is deleted like the day's: a membership change still uncommitted holds its mark's row
            // lock, so this waits for it and the recount below sees the group's new people
            String[] markedGroups = TenantSql.query(tx, organizationId, """
                            WITH deleted AS (DELETE FROM group_changes
                                             WHERE organization_id = :organization AND day = :day
                                             RETURNING group_id)
                            SELECT CAST(group_id AS text) FROM deleted""")
                    .bind("day", day)
                    .mapTo(String.class)
                    .list()
                    .toArray(String[]::new);
            if (rollupMarks > 0) {
                organizationDay(tx, organizationId, day);
            }
            if (rollupMarks > 0 || markedGroups.length > 0) {
                groupDays(tx, organizationId, day, rollupMarks > 0 ? Optional.empty()
                        : Optional.of(markedGroups));
            }
        });
    }

    private static void organizationDay(Handle tx, UUID organizationId, LocalDate day) {
        for (String table : List.of("app_days", "site_days", "category_days")) {
            TenantSql.update(tx, organizationId,
                            "DELETE FROM " + table + " WHERE organization_id = :organization AND day = :day")
                    .bind("day", day)
                    .execute();
        }
        // Bit n of a bitmap is device number n; each bitmap is as long as the organization's numbers so far.
        // Materialized, so the zeros are made once rather than per row, and the day's rollups are read once for
        // the three summaries (applications, sites, categories).
        TenantSql.update(tx, organizationId, """
                        WITH width AS MATERIALIZED (
                            SELECT CAST(repeat('0', device_numbers + 1) AS bit varying) AS zeros
                            FROM organizations WHERE id = :organization),
                        day AS MATERIALIZED (
                            SELECT r.application, r.domain, r.category, r.active_ms,
                                   set_bit(w.zeros, d.number, 1) AS device
                            FROM rollups r
                            JOIN devices d ON d.organization_id = :organization AND d.id = r.device_id,
                                 width w
                            WHERE r.organization_id = :organization AND r.day = :day AND r.active_ms > 0),
                        applications AS (
                            INSERT INTO app_days (organization_id, day, application, active_ms, devices)
                            SELECT :organization, :day, application, sum(active_ms), bit_or(device)
                            FROM day GROUP BY application),
                        sites AS (
                            INSERT INTO site_days (organization_id, day, domain, active_ms, devices)
                            SELECT :organization, :day, domain, sum(active_ms), bit_or(device)
                            FROM day WHERE domain <> '' GROUP BY domain)
                        INSERT INTO category_days (organization_id, day, category, active_ms, devices)
                        SELECT :organization, :day, category, sum(active_ms), bit_or(device)
                        FROM day GROUP BY category""")
                .bind("day", day)
                .execute();
    }

    /**
     * Replaces the day's summaries of the given groups (all groups when empty) by their current people's rollups. A
     * person in several groups counts in each.
     */
    private static void groupDays(Handle tx, UUID organizationId, LocalDate day, Optional<String[]> groups) {
        String which = groups.isPresent() ? " AND group_id = ANY(CAST(:groups AS uuid[]))" : "";
        Update delete = TenantSql.update(tx, organizationId,
                        "DELETE FROM group_days WHERE organization_id = :organization AND day = :day" + which)
                .bind("day", day);
        groups.ifPresent(ids -> delete.bind("groups", ids));
        delete.execute();
        Update insert = TenantSql.update(tx, organizationId, """
                        WITH width AS MATERIALIZED (
                            SELECT CAST(repeat('0', device_numbers + 1) AS bit varying) AS zeros
                            FROM organizations WHERE id = :organization),
                        day AS MATERIALIZED (
                            SELECT m.group_id, r.application, r.domain, r.category, r.active_ms,
                                   set_bit(w.zeros, d.number, 1) AS device
                            FROM rollups r
                            JOIN group_members m ON m.organization_id = :organization AND m.person_id = r.person_id
                            JOIN devices d ON d.organization_id = :organization AND d.id = r.device_id,
                                 width w
                            WHERE r.organization_id = :organization AND r.day = :day AND r.active_ms > 0
                              %s)
                        INSERT INTO group_days (organization_id, group_id, kind, day, name, active_ms, devices)
                        SELECT :organization, group_id, 'APPLICATION', :day, application, sum(active_ms),
                               bit_or(device)
                        FROM day GROUP BY group_id, application
                        UNION ALL
                        SELECT :organization, group_id, 'SITE', :day, domain, sum(active_ms), bit_or(device)
                        FROM day WHERE domain <> '' GROUP BY group_id, domain
                        UNION ALL
                        SELECT :organization, group_id, 'CATEGORY', :day, category, sum(active_ms), bit_or(device)
                        FROM day GROUP BY group_id, category""".formatted(groups.isPresent()
                        ? "AND m.group_id = ANY(CAST(:groups AS uuid[]))" : ""))
                .bind("day", day);
        groups.ifPresent(ids -> insert.bind("groups", ids));
        insert.execute();
    }
}
