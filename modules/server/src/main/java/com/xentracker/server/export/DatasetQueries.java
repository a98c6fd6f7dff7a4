package com.xentracker.server.export;

import com.xentracker.server.NotFoundException;
import com.xentracker.server.rollup.CategoryRules;
import com.xentracker.server.rollup.TenantSql;
import de.siegmar.fastcsv.writer.CsvWriter;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * The datasets' statements, run as cursors in the export's transaction: PostgreSQL sends {@link #FETCH_SIZE} rows at
 * a time and each row is written out before the next is read, so the heap holds one fetch, whatever the export's
 * size. Times are formatted by PostgreSQL in the organization's zone (set for the transaction): cheaper than in Java
 * and the same zone rules the rollups use.
 */
final class DatasetQueries {

    /** Rows per round trip: large enough to keep the cursor's overhead small, small enough to keep the heap flat. */
    static final int FETCH_SIZE = 2_000;
    /** ISO 8601 with milliseconds and the offset, e.g. 2026-09-14T10:30:00.000+02:00. */
    private static final String TIME = "'YYYY-MM-DD\"T\"HH24:MI:SS.MSTZH:TZM'";
    /** Distinct (application, domain) pairs whose category is remembered; past that the memory starts afresh. */
    private static final int CATEGORY_CACHE = 10_000;

    private final Handle handle;
    private final UUID organization;
    private final ZoneId zone;
    private final Map<String, String> people;
    private final Map<String, String> devices;
    private final Map<String, String> productivity;
    private final CategoryRules rules;
    private final Map<String, String> categories = new HashMap<>();

    private DatasetQueries(Handle handle, UUID organization, ZoneId zone, Map<String, String> people,
            Map<String, String> devices, Map<String, String> productivity, CategoryRules rules) {
        this.handle = handle;
        this.organization = organization;
        this.zone = zone;
        this.people = people;
        this.devices = devices;
        this.productivity = productivity;
        this.rules = rules;
    }

    /**
     * Reads what every row refers to (names of people and devices, categories and their ratings: as many as the
     * organization has, never as many as rows) and sets the transaction's time zone to the organization's.
     */
    static DatasetQueries open(Handle handle, UUID organization) {
        ZoneId zone = ZoneId.of(TenantSql.query(handle, organization,
                        "SELECT time_zone FROM organizations WHERE id = :organization")
                .mapTo(String.class).one());
        handle.createQuery("SELECT set_config('TimeZone', :zone, true)").bind("zone", postgresZone(zone))
                .mapTo(String.class).one();
        Map<String, String> people = names(handle, organization,
                "SELECT id::text, display_name FROM people WHERE organization_id = :organization");
        Map<String, String> devices = names(handle, organization,
                "SELECT id::text, hostname FROM devices WHERE organization_id = :organization");
        Map<String, String> productivity = names(handle, organization,
                "SELECT name, lower(productivity) FROM categories WHERE organization_id = :organization");
        return new DatasetQueries(handle, organization, zone, people, devices, productivity,
                CategoryRules.load(handle, organization));
    }

    /**
     * PostgreSQL's name of the zone. Region ids are the same (IANA); a fixed offset is written the POSIX way, whose
     * sign is the opposite of ISO 8601's ({@code <+0530>-05:30} is five and a half hours east of UTC).
     */
    static String postgresZone(ZoneId zone) {
        ZoneId normalized = zone.normalized();
        if (!(normalized instanceof ZoneOffset offset)) {
            return zone.getId();
        }
        if (offset.getTotalSeconds() == 0) {
            return "UTC";
        }
        String iso = offset.getId(); // +05:30
        String inverted = (iso.charAt(0) == '+' ? "-" : "+") + iso.substring(1);
        return "<" + iso.replace(":", "") + ">" + inverted;
    }

    ZoneId zone() {
        return zone;
    }

    private static Map<String, String> names(Handle handle, UUID organization, String sql) {
        Map<String, String> names = new HashMap<>();
        TenantSql.query(handle, organization, sql).setFetchSize(FETCH_SIZE)
                .map((rs, ctx) -> names.put(rs.getString(1), rs.getString(2))).forEach(ignored -> { });
        return names;
    }

    /**
     * Refuses a filter naming a person, group or device the organization does not have (another organization's
     * included): "not found", as for every other use case.
     */
    void requireKnown(ExportFilter filter) {
        filter.person().ifPresent(id -> require("people", id, "person"));
        filter.group().ifPresent(id -> require("groups", id, "group"));
        filter.device().ifPresent(id -> require("devices", id, "device"));
    }

    private void require(String table, UUID id, String what) {
        boolean found = TenantSql.query(handle, organization, "SELECT 1 FROM " + table
                        + " WHERE organization_id = :organization AND id = :id")
                .bind("id", id).mapTo(Integer.class).findOne().isPresent();
        if (!found) {
            throw new NotFoundException(what + " " + id);
        }
    }

    /** Writes the header and every row of {@code dataset} that {@code filter} selects; the number of rows. */
    long write(Dataset dataset, ExportFilter filter, CsvWriter csv) {
        csv.writeRecord(dataset.columns());
        return switch (dataset) {
            case SPANS -> spans(filter, csv);
            case ROLLUPS -> rollups(filter, csv);
            case DEVICES -> devices(filter, csv);
            case PEOPLE -> people(filter, csv);
            case GROUPS -> groups(filter, csv);
            case AUDIT -> audit(filter, csv);
        };
    }

    private long spans(ExportFilter filter, CsvWriter csv) {
        Conditions where = new Conditions();
        filter.from().ifPresent(day -> where.add("s.start_at >= :from", "from", day.atStartOfDay(zone).toInstant()));
        filter.to().ifPresent(day -> where.add("s.start_at < :to", "to",
                day.plusDays(1).atStartOfDay(zone).toInstant()));
        filter.person().ifPresent(id -> where.add("s.person_id = :person", "person", id));
        filter.device().ifPresent(id -> where.add("s.device_id = :device", "device", id));
        filter.group().ifPresent(id -> where.add("s.person_id IN (SELECT m.person_id FROM group_members m"
                + " WHERE m.organization_id = :organization AND m.group_id = :group)", "group", id));
        filter.application().ifPresent(name -> where.add("lower(s.application) = lower(:application)",
                "application", name));
        filter.domain().ifPresent(name -> where.add("(s.domain = :domain OR right(s.domain, :suffixLength) = :suffix)",
                "domain", name).bind("suffix", "." + name).bind("suffixLength", name.length() + 1));
        Optional<String> category = filter.category();
        // the spans' category comes from the rules as they are now (what the rollups are recomputed to)
        return scan(where.query("""
                        SELECT s.person_id::text, s.device_id::text, s.application, s.domain, s.title, s.url, s.state,
                               to_char(s.start_at, %1$s), to_char(s.end_at, %1$s),
                               round(extract(epoch FROM s.end_at - s.start_at)::numeric, 3)::text
                        FROM spans s WHERE s.organization_id = :organization %2$s
                        ORDER BY s.start_at, s.device_id""".formatted(TIME, where.sql())), rs -> {
                    String application = rs.getString(3);
                    String domain = rs.getString(4);
                    String categoryName = categoryOf(application, domain == null ? "" : domain,
                            Optional.ofNullable(rs.getString(5)));
                    if (category.isPresent() && !category.get().equals(categoryName)) {
                        return false;
                    }
                    String person = rs.getString(1);
                    String device = rs.getString(2);
                    csv.writeRecord(CsvCells.safe(person), CsvCells.safe(people.get(person)), CsvCells.safe(device),
                            CsvCells.safe(devices.get(device)), CsvCells.safe(application), CsvCells.safe(domain),
                            CsvCells.safe(rs.getString(5)), CsvCells.safe(rs.getString(6)),
                            CsvCells.safe(categoryName), CsvCells.safe(productivity.get(categoryName)),
                            CsvCells.safe(rs.getString(7).toLowerCase(java.util.Locale.ROOT)),
                            CsvCells.safe(rs.getString(8)), CsvCells.safe(rs.getString(9)),
                            CsvCells.safe(rs.getString(10)));
                    return true;
                });
    }

    private String categoryOf(String application, String domain, Optional<String> title) {
        if (rules.usesTitles()) {
            return rules.categorize(application, domain, title); // a title rule may decide: nothing to cache by
        }
        String key = application + '\u0000' + domain;
        String known = categories.get(key);
        if (known != null) {
            return known;
        }
        if (categories.size() >= CATEGORY_CACHE) {
            categories.clear();
        }
        String category = rules.categorize(application, domain, Optional.empty());
        categories.put(key, category);
        return category;
    }

    private long rollups(ExportFilter filter, CsvWriter csv) {
        Conditions where = new Conditions();
        filter.from().ifPresent(day -> where.add("r.day >= :from", "from", day));
        filter.to().ifPresent(day -> where.add("r.day <= :to", "to", day));
        filter.person().ifPresent(id -> where.add("r.person_id = :person", "person", id));
        filter.device().ifPresent(id -> where.add("r.device_id = :device", "device", id));
        filter.group().ifPresent(id -> where.add("r.person_id IN (SELECT m.person_id FROM group_members m"
                + " WHERE m.organization_id = :organization AND m.group_id = :group)", "group", id));
        filter.application().ifPresent(name -> where.add("lower(r.application) = lower(:application)",
                "application", name));
        filter.domain().ifPresent(name -> where.add("(r.domain = :domain OR right(r.domain, :suffixLength) = :suffix)",
                "domain", name).bind("suffix", "." + name).bind("suffixLength", name.length() + 1));
        filter.category().ifPresent(name -> where.add("r.category = :category", "category", name));
        return scan(where.query("""
                        SELECT r.day::text, r.person_id::text, r.application, r.domain, r.category,
                               round(sum(r.active_ms) / 1000.0, 3)::text, round(sum(r.idle_ms) / 1000.0, 3)::text,
                               round(sum(r.locked_ms) / 1000.0, 3)::text
                        FROM rollups r WHERE r.organization_id = :organization %s
                        GROUP BY r.day, r.person_id, r.application, r.domain, r.category
                        ORDER BY r.day, r.person_id, r.application, r.domain, r.category""".formatted(where.sql())),
                rs -> {
                    String person = rs.getString(2);
                    String category = rs.getString(5);
                    csv.writeRecord(CsvCells.safe(rs.getString(1)), CsvCells.safe(person),
                            CsvCells.safe(people.get(person)), CsvCells.safe(rs.getString(3)),
                            CsvCells.safe(rs.getString(4)), CsvCells.safe(category),
                            CsvCells.safe(productivity.get(category)), CsvCells.safe(rs.getString(6)),
                            CsvCells.safe(rs.getString(7)), CsvCells.safe(rs.getString(8)));
                    return true;
                });
    }

    private long devices(ExportFilter filter, CsvWriter csv) {
        Conditions where = new Conditions();
        filter.device().ifPresent(id -> where.add("d.id = :device", "device", id));
        filter.person().ifPresent(id -> where.add("EXISTS (SELECT 1 FROM device_users u WHERE u.organization_id ="
                + " d.organization_id AND u.device_id = d.id AND u.person_id = :person)", "person", id));
        filter.group().ifPresent(id -> where.add("EXISTS (SELECT 1 FROM device_users u JOIN group_members m"
                + " ON m.organization_id = u.organization_id AND m.person_id = u.person_id WHERE u.organization_id ="
                + " d.organization_id AND u.device_id = d.id AND m.group_id = :group)", "group", id));
        return scan(where.query("""
                        SELECT d.id::text, d.number::text, d.hostname, d.operating_system, d.os_user, d.agent_version,
                               to_char(d.enrolled_at, %1$s), to_char(d.revoked_at, %1$s),
                               to_char(d.last_span_end, %1$s),
                               (SELECT string_agg(DISTINCT u.person_id::text, ' ') FROM device_users u
                                WHERE u.organization_id = d.organization_id AND u.device_id = d.id)
                        FROM devices d WHERE d.organization_id = :organization %2$s
                        ORDER BY d.number""".formatted(TIME, where.sql())), rs -> {
                    csv.writeRecord(cells(rs, 10));
                    return true;
                });
    }

    private long people(ExportFilter filter, CsvWriter csv) {
        Conditions where = new Conditions();
        filter.person().ifPresent(id -> where.add("p.id = :person", "person", id));
        filter.group().ifPresent(id -> where.add("EXISTS (SELECT 1 FROM group_members m WHERE m.organization_id ="
                + " p.organization_id AND m.person_id = p.id AND m.group_id = :group)", "group", id));
        filter.device().ifPresent(id -> where.add("EXISTS (SELECT 1 FROM device_users u WHERE u.organization_id ="
                + " p.organization_id AND u.person_id = p.id AND u.device_id = :device)", "device", id));
        return scan(where.query("""
                        SELECT p.id::text, p.display_name, p.login, to_char(p.created_at, %1$s),
                               (SELECT string_agg(g.name, '; ' ORDER BY g.name) FROM group_members m
                                JOIN groups g ON g.organization_id = m.organization_id AND g.id = m.group_id
                                WHERE m.organization_id = p.organization_id AND m.person_id = p.id),
                               (SELECT count(DISTINCT u.device_id) FROM device_users u
                                WHERE u.organization_id = p.organization_id AND u.person_id = p.id)::text
                        FROM people p WHERE p.organization_id = :organization %2$s
                        ORDER BY p.display_name, p.id""".formatted(TIME, where.sql())), rs -> {
                    csv.writeRecord(cells(rs, 6));
                    return true;
                });
    }

    private long groups(ExportFilter filter, CsvWriter csv) {
        Conditions where = new Conditions();
        filter.group().ifPresent(id -> where.add("g.id = :group", "group", id));
        filter.person().ifPresent(id -> where.add("m.person_id = :person", "person", id));
        filter.device().ifPresent(id -> where.add("m.person_id IN (SELECT u.person_id FROM device_users u"
                + " WHERE u.organization_id = :organization AND u.device_id = :device)", "device", id));
        // a person (or device) filter leaves out groups without members: they concern nobody
        String join = filter.person().isPresent() || filter.device().isPresent() ? "JOIN" : "LEFT JOIN";
        return scan(where.query("""
                        SELECT g.id::text, g.name, m.person_id::text, p.display_name
                        FROM groups g
                        %1$s group_members m ON m.organization_id = g.organization_id AND m.group_id = g.id
                        LEFT JOIN people p ON p.organization_id = m.organization_id AND p.id = m.person_id
                        WHERE g.organization_id = :organization %2$s
                        ORDER BY g.name, g.id, p.display_name, m.person_id""".formatted(join, where.sql())), rs -> {
                    csv.writeRecord(cells(rs, 4));
                    return true;
                });
    }

    private long audit(ExportFilter filter, CsvWriter csv) {
        Conditions where = new Conditions();
        filter.from().ifPresent(day -> where.add("l.occurred_at >= :from", "from",
                day.atStartOfDay(zone).toInstant()));
        filter.to().ifPresent(day -> where.add("l.occurred_at < :to", "to",
                day.plusDays(1).atStartOfDay(zone).toInstant()));
        filter.person().ifPresent(id -> where.add("l.subject_person_id = :person", "person", id));
        filter.device().ifPresent(id -> where.add("l.subject_device_id = :device", "device", id));
        filter.group().ifPresent(id -> where.add("l.subject_person_id IN (SELECT m.person_id FROM group_members m"
                + " WHERE m.organization_id = :organization AND m.group_id = :group)", "group", id));
        return scan(where.query(auditSql(where.sql())), rs -> {
            csv.writeRecord(cells(rs, 10));
            return true;
        });
    }

    /** The audit log's columns, in {@link Dataset#AUDIT}'s order, for entries matching {@code conditions}. */
    static String auditSql(String conditions) {
        return """
                SELECT l.seq::text, to_char(l.occurred_at, %1$s), lower(l.actor_kind), l.actor_account_id::text,
                       a.email, l.action, l.subject_person_id::text, l.subject_device_id::text, l.subject,
                       lower(l.outcome)
                FROM audit_log l
                LEFT JOIN accounts a ON a.organization_id = l.organization_id AND a.id = l.actor_account_id
                WHERE l.organization_id = :organization %2$s
                ORDER BY l.seq NULLS LAST, l.occurred_at, l.id""".formatted(TIME, conditions);
    }

    /** Who viewed or exported one person's data: entries about them, and exports of the whole organization. */
    long accesses(UUID person, CsvWriter csv) {
        csv.writeRecord(Dataset.AUDIT.columns());
        return scan(TenantSql.query(handle, organization, auditSql("""
                        AND (l.subject_person_id = :person
                             OR (l.action IN ('export-data', 'export-audit-log') AND l.subject_person_id IS NULL
                                 AND l.outcome <> 'DENIED'))"""))
                .bind("person", person), rs -> {
                    csv.writeRecord(cells(rs, 10));
                    return true;
                });
    }

    private static String[] cells(ResultSet rs, int columns) throws SQLException {
        String[] cells = new String[columns];
        for (int i = 0; i < columns; i++) {
            cells[i] = CsvCells.safe(rs.getString(i + 1));
        }
        return cells;
    }

    /** One row: written (true) or skipped by a filter applied here (false). */
    @FunctionalInterface
    private interface Row {
        boolean write(ResultSet rs) throws SQLException;
    }

    /** Runs {@code query} as a cursor and writes each row as it arrives; the rows written. */
    private static long scan(Query query, Row row) {
        return query.setFetchSize(FETCH_SIZE).scanResultSet((supplier, ctx) -> {
            ResultSet rs = supplier.get();
            long rows = 0;
            while (rs.next()) {
                try {
                    if (row.write(rs)) {
                        rows++;
                    }
                } catch (UncheckedIOException e) {
                    // the client is gone: stop reading (the cursor closes with the statement)
                    throw new ClientGone(rows, e.getCause());
                }
            }
            return rows;
        });
    }

    /** Conditions of a statement and their bound values. */
    private final class Conditions {
        private final List<String> parts = new ArrayList<>();
        private final Map<String, Object> values = new LinkedHashMap<>();

        Conditions add(String condition, String name, Object value) {
            parts.add(condition);
            values.put(name, value);
            return this;
        }

        Conditions bind(String name, Object value) {
            values.put(name, value);
            return this;
        }

        String sql() {
            return parts.isEmpty() ? "" : "AND " + String.join(" AND ", parts);
        }

        Query query(String sql) {
            Query query = TenantSql.query(handle, organization, sql);
            values.forEach((name, value) -> {
                if (value instanceof LocalDate day) {
                    query.bind(name, day);
                } else {
                    query.bind(name, value);
                }
            });
            return query;
        }
    }

    /** The client stopped reading (closed the connection) after {@code rows} rows. */
    static final class ClientGone extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final long rows;

        ClientGone(long rows, Throwable cause) {
            super("the client closed the connection", cause, false, false);
            this.rows = rows;
        }

        long rows() {
            return rows;
        }
    }
}
