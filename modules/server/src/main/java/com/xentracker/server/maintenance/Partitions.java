package com.xentracker.server.maintenance;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monthly partitions of {@code spans} (UTC months, named {@code spans_yYYYYmMM}). Made ahead: last month to two
 * months from now, plus any older month within the longest retention that has rows waiting in the default partition
 * (upgraded data, late uploads). Rows in the default partition are moved into the new month in the same transaction,
 * which also attaches it, so no row is ever without a partition and readers see each row exactly once.
 */
public final class Partitions {

    private static final Logger LOG = LoggerFactory.getLogger(Partitions.class);
    private static final Pattern NAME = Pattern.compile("spans_y(\\d{4})m(\\d{2})");
    private static final int MONTHS_AHEAD = 2;

    private Partitions() {
    }

    /** The months that have a partition, oldest first. */
    public static List<YearMonth> existing(Handle handle) {
        return handle.createQuery("""
                        SELECT c.relname FROM pg_inherits i
                        JOIN pg_class c ON c.oid = i.inhrelid
                        JOIN pg_class p ON p.oid = i.inhparent
                        WHERE p.relname = 'spans' AND p.relnamespace = to_regnamespace(current_schema())""")
                .mapTo(String.class)
                .list().stream()
                .map(Partitions::month)
                .flatMap(Optional::stream)
                .sorted()
                .toList();
    }

    /** Makes the partitions that should exist at {@code now}. */
    public static void ensure(Handle handle, Instant now) {
        YearMonth current = YearMonth.from(now.atOffset(ZoneOffset.UTC));
        int longestRetention = handle.createQuery("SELECT coalesce(max(span_retention_days), 0) FROM organizations")
                .mapTo(Integer.class).one();
        TreeSet<YearMonth> wanted = new TreeSet<>();
        for (int i = -1; i <= MONTHS_AHEAD; i++) {
            wanted.add(current.plusMonths(i));
        }
        handle.createQuery("""
                        SELECT DISTINCT to_char(start_at AT TIME ZONE 'UTC', 'YYYY-MM') FROM spans_default
                        WHERE start_at >= :oldest AND start_at < :end""")
                .bind("oldest", now.minus(Duration.ofDays(longestRetention)))
                .bind("end", start(current.plusMonths(MONTHS_AHEAD + 1)))
                .mapTo(String.class)
                .forEach(month -> wanted.add(YearMonth.parse(month)));
        wanted.removeAll(existing(handle));
        for (YearMonth month : wanted) {
            create(handle, month);
        }
    }

    private static void create(Handle handle, YearMonth month) {
        String name = name(month);
        Instant from = start(month);
        Instant to = start(month.plusMonths(1));
        handle.useTransaction(tx -> {
            // Ingest into other months goes on; rows for the default partition wait for this short transaction.
            tx.execute("LOCK TABLE spans_default IN ACCESS EXCLUSIVE MODE");
            tx.execute("CREATE TABLE " + name + " (LIKE spans INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
            int moved = tx.createUpdate("WITH moved AS (DELETE FROM spans_default WHERE start_at >= :from"
                            + " AND start_at < :to RETURNING *) INSERT INTO " + name + " SELECT * FROM moved")
                    .bind("from", from)
                    .bind("to", to)
                    .execute();
            // The bounds are instants the server made (never input), rendered as UTC literals.
            tx.execute("ALTER TABLE spans ATTACH PARTITION " + name + " FOR VALUES FROM ('" + from + "') TO ('"
                    + to + "')");
            LOG.info("Made partition {} ({} row(s) moved from the default partition)", name, moved);
        });
    }

    /** Drops a month's partition with all its rows. */
    static void drop(Handle handle, YearMonth month) {
        handle.useTransaction(tx -> tx.execute("DROP TABLE IF EXISTS " + name(month)));
        LOG.info("Dropped partition {}", name(month));
    }

    static Instant start(YearMonth month) {
        return OffsetDateTime.of(month.getYear(), month.getMonthValue(), 1, 0, 0, 0, 0, ZoneOffset.UTC).toInstant();
    }

    static String name(YearMonth month) {
        return String.format("spans_y%04dm%02d", month.getYear(), month.getMonthValue());
    }

    private static Optional<YearMonth> month(String name) {
        Matcher matcher = NAME.matcher(name);
        return matcher.matches() ? Optional.of(YearMonth.of(Integer.parseInt(matcher.group(1)),
                Integer.parseInt(matcher.group(2)))) : Optional.empty();
    }
}
