package com.xentracker.server.maintenance;

import com.xentracker.server.audit.AuditChain;
import com.xentracker.server.rollup.TenantSql;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces each organization's retention. A month partition of spans is dropped whole once it is past every
 * organization's span retention (partitions are shared); within the partitions that remain, each organization's
 * older spans and gaps are deleted row by row. Rollups (and the dashboard's summaries of them) are kept by whole
 * local months, the audit log by days, its oldest entries as a prefix of the organization's hash chain, behind a
 * checkpoint from which the rest still verifies ({@link AuditChain#checkpointAndDelete}). An organization's retired
 * encryption keys are purged {@link #RETIRED_KEY_GRACE} after their rotation.
 */
public final class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    /**
     * How long a retired organization key still opens batches sealed to it. Agents learn the new certificate from
     * their next receipt; one that was offline longer gets {@code unknown-key-id}, fetches the certificate and
     * reseals the same batch from its buffer, so purging loses nothing. 90 days is the agent's default
     * {@code buffer-max-age}: no agent with defaults still holds a batch sealed before that.
     */
    public static final Duration RETIRED_KEY_GRACE = Duration.ofDays(90);

    private Retention() {
    }

    /** Spans that started before this are deleted when spans are kept {@code days} days. */
    public static Instant spanCutoff(Instant now, int days) {
        return now.minus(Duration.ofDays(days));
    }

    /**
     * The first day whose rollups are kept when they are kept {@code months} months: whole months in the
     * organization's zone, this one included.
     */
    public static LocalDate firstRollupDayKept(Instant now, ZoneId zone, int months) {
        return LocalDate.ofInstant(now, zone).withDayOfMonth(1).minusMonths(months - 1L);
    }

    /** Audit entries that occurred before this are removed (behind a checkpoint) when kept {@code days} days. */
    public static Instant auditCutoff(Instant now, int days) {
        return now.minus(Duration.ofDays(days));
    }

    private record Setting(UUID organization, ZoneId zone, int spanDays, int rollupMonths, int auditDays) {
    }

    /** @param audit the audit chain, whose key signs the checkpoint that replaces the removed entries */
    public static void enforce(Handle handle, Instant now, AuditChain audit) {
        List<Setting> settings = handle.createQuery("""
                        SELECT id, time_zone, span_retention_days, rollup_retention_months, audit_retention_days
                        FROM organizations""")
                .map((rs, ctx) -> new Setting(rs.getObject(1, UUID.class), ZoneId.of(rs.getString(2)), rs.getInt(3),
                        rs.getInt(4), rs.getInt(5)))
                .list();
        int longest = settings.stream().mapToInt(Setting::spanDays).max().orElse(0);
        Instant dropBefore = now.minus(Duration.ofDays(longest));
        for (YearMonth month : Partitions.existing(handle)) {
            if (!Partitions.start(month.plusMonths(1)).isAfter(dropBefore)) {
                Partitions.drop(handle, month);
            }
        }
        for (Setting setting : settings) {
            handle.useTransaction(tx -> {
                UUID organization = setting.organization();
                Instant spanCutoff = spanCutoff(now, setting.spanDays());
                int spans = TenantSql.update(tx, organization,
                                "DELETE FROM spans WHERE organization_id = :organization AND start_at < :cutoff")
                        .bind("cutoff", spanCutoff).execute();
                TenantSql.update(tx, organization,
                                "DELETE FROM gaps WHERE organization_id = :organization AND to_at < :cutoff")
                        .bind("cutoff", spanCutoff).execute();
                LocalDate firstKept = firstRollupDayKept(now, setting.zone(), setting.rollupMonths());
                int rollups = TenantSql.update(tx, organization,
                                "DELETE FROM rollups WHERE organization_id = :organization AND day < :first")
                        .bind("first", firstKept).execute();
                // the dashboard's summaries go with the rollups (marks first: the summarizing job takes them first)
                for (String sql : List.of(
                        "DELETE FROM rollup_changes WHERE organization_id = :organization AND day < :first",
                        "DELETE FROM app_days WHERE organization_id = :organization AND day < :first",
                        "DELETE FROM site_days WHERE organization_id = :organization AND day < :first",
                        "DELETE FROM category_days WHERE organization_id = :organization AND day < :first",
                        "DELETE FROM group_changes WHERE organization_id = :organization AND day < :first",
                        "DELETE FROM group_days WHERE organization_id = :organization AND day < :first")) {
                    TenantSql.update(tx, organization, sql).bind("first", firstKept).execute();
                }
                long removed = audit.checkpointAndDelete(tx, organization, auditCutoff(now, setting.auditDays()));
                if (spans + rollups + removed > 0) {
                    LOG.info("Retention for organization {}: {} span(s), {} rollup row(s), {} audit entries removed",
                            organization, spans, rollups, removed);
                }
            });
        }
        // Old private keys (sealed under the master key) serve no batch any more; every node's cache forgets them
        // within OrganizationKeys.CACHE_LIFETIME.
        int purged = handle.createUpdate("DELETE FROM retired_organization_keys WHERE retired_at < :cutoff")
                .bind("cutoff", now.minus(RETIRED_KEY_GRACE))
                .execute();
        if (purged > 0) {
            LOG.info("Retention: {} retired organization key(s) purged, {} after their rotation", purged,
                    RETIRED_KEY_GRACE);
        }
    }
}
