package com.xentracker.portal.audit;

import com.xentracker.portal.page.PortalException;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.server.access.Action;
import com.xentracker.server.audit.AuditQuery;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The audit log's filters as the query string carries them ({@code ?actor=&action=&person=&from=&to=&before=}):
 * parsed and checked, turned into the server's {@link AuditQuery}, and written back into the page's links. Days are
 * whole UTC days, {@code to} included.
 */
record AuditFilter(Optional<UUID> actor, Optional<String> action, Optional<UUID> person, Optional<LocalDate> from,
        Optional<LocalDate> to) {

    static final String ACTOR = "actor";
    static final String ACTION = "action";
    static final String PERSON = "person";
    static final String FROM = "from";
    static final String TO = "to";
    static final String BEFORE = "before";

    /** Days outside these years are typing errors, and PostgreSQL's timestamps end anyway. */
    private static final int FIRST_YEAR = 2000;
    private static final int LAST_YEAR = 9999;

    /** The filters of this request. */
    static AuditFilter of(Context ctx) {
        AuditFilter filter = new AuditFilter(
                parameter(ctx, ACTOR, value -> uuid(value, "Choose an account from the list.")),
                parameter(ctx, ACTION, AuditFilter::action),
                parameter(ctx, PERSON, value -> uuid(value, "A person is given by the id the log shows.")),
                parameter(ctx, FROM, AuditFilter::day),
                parameter(ctx, TO, AuditFilter::day));
        if (filter.from.isPresent() && filter.to.isPresent() && filter.from.get().isAfter(filter.to.get())) {
            throw PortalException.badRequest("The period ends before it starts.");
        }
        return filter;
    }

    /** The page after a previous one: entries older than that page's last. */
    static Optional<Long> before(Context ctx) {
        return parameter(ctx, BEFORE, value -> {
            try {
                long sequence = Long.parseLong(value);
                if (sequence > 0) {
                    return sequence;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
            throw PortalException.badRequest("Unknown page.");
        });
    }

    /** What the server is asked for: the entries these filters select, {@code limit} at a time. */
    AuditQuery query(int limit, Optional<Long> before) {
        return new AuditQuery(actor, action, person,
                from.map(day -> day.atStartOfDay(ZoneOffset.UTC).toInstant()),
                to.map(day -> day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()), before, limit);
    }

    /** The page with these filters, starting before {@code before} (the newest entries when empty). */
    String href(Optional<Long> before) {
        List<String> parameters = new ArrayList<>();
        actor.ifPresent(id -> parameters.add(ACTOR + "=" + id));
        action.ifPresent(name -> parameters.add(ACTION + "=" + URLEncoder.encode(name, StandardCharsets.UTF_8)));
        person.ifPresent(id -> parameters.add(PERSON + "=" + id));
        from.ifPresent(day -> parameters.add(FROM + "=" + day));
        to.ifPresent(day -> parameters.add(TO + "=" + day));
        before.ifPresent(sequence -> parameters.add(BEFORE + "=" + sequence));
        return parameters.isEmpty() ? PortalPaths.AUDIT : PortalPaths.AUDIT + "?" + String.join("&", parameters);
    }

    private static <T> Optional<T> parameter(Context ctx, String name, Function<String, T> parse) {
        return Optional.ofNullable(ctx.queryParam(name)).map(String::strip).filter(value -> !value.isEmpty())
                .map(parse);
    }

    private static UUID uuid(String value, String message) {
        try {
            // written back as the canonical form, whatever was typed
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw PortalException.badRequest(message);
        }
    }

    private static String action(String value) {
        return Action.ofAuditName(value).map(Action::auditName)
                .orElseThrow(() -> PortalException.badRequest("Choose an action from the list."));
    }

    private static LocalDate day(String value) {
        try {
            LocalDate day = LocalDate.parse(value);
            if (day.getYear() >= FIRST_YEAR && day.getYear() <= LAST_YEAR) {
                return day;
            }
        } catch (DateTimeException e) {
            // refused below
        }
        throw PortalException.badRequest("A day is written like 2026-11-29.");
    }
}
