package com.xentracker.portal.reports;

import com.xentracker.portal.page.PortalException;
import com.xentracker.server.usage.UsageFilter;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What a report page was asked for in its query string: {@code period} (today, yesterday, last-7-days, last-30-days,
 * last-90-days, or custom with {@code from} and {@code to} as yyyy-mm-dd), {@code group} and {@code person} (ids).
 * Malformed values are the portal's to refuse (400) before anything is asked of the server; whether the group or
 * person may be seen is the server's to decide.
 */
record ReportRequest(PeriodChoice choice, Optional<LocalDate> from, Optional<LocalDate> to, Optional<UUID> group,
        Optional<UUID> person) {

    static final String PERIOD = "period";
    static final String FROM = "from";
    static final String TO = "to";
    static final String GROUP = "group";
    static final String PERSON = "person";

    ReportRequest {
        Objects.requireNonNull(choice, "choice");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(person, "person");
    }

    static ReportRequest of(Context ctx) {
        PeriodChoice choice = PeriodChoice.fromParameter(ctx.queryParam(PERIOD))
                .orElseThrow(() -> PortalException.badRequest("Unknown period."));
        Optional<LocalDate> from = date(ctx.queryParam(FROM));
        Optional<LocalDate> to = date(ctx.queryParam(TO));
        if (choice == PeriodChoice.CUSTOM && (from.isEmpty() || to.isEmpty())) {
            throw PortalException.badRequest("A custom range needs its first and its last day.");
        }
        if (choice != PeriodChoice.CUSTOM) {
            from = Optional.empty();
            to = Optional.empty();
        }
        return new ReportRequest(choice, from, to, id(ctx.queryParam(GROUP), "group"),
                id(ctx.queryParam(PERSON), "person"));
    }

    /** The server's filter: throws the server's InvalidRequestException for a range backwards or over a year. */
    UsageFilter filter() {
        UsageFilter filter = UsageFilter.of(choice.period(from, to));
        filter = group.map(filter::inGroup).orElse(filter);
        return person.map(filter::ofPerson).orElse(filter);
    }

    ReportRequest withChoice(PeriodChoice other) {
        return new ReportRequest(other, other == PeriodChoice.CUSTOM ? from : Optional.empty(),
                other == PeriodChoice.CUSTOM ? to : Optional.empty(), group, person);
    }

    ReportRequest withGroup(Optional<UUID> other) {
        return new ReportRequest(choice, from, to, other, person);
    }

    ReportRequest withPerson(Optional<UUID> other) {
        return new ReportRequest(choice, from, to, group, other);
    }

    /** {@code path} with this request's parameters (those not at their default), and {@code extra} pairs after. */
    String href(String path, String... extra) {
        List<String> pairs = new ArrayList<>();
        if (choice != PeriodChoice.TODAY) {
            pairs.add(PERIOD + "=" + choice.parameter());
        }
        from.ifPresent(day -> pairs.add(FROM + "=" + day));
        to.ifPresent(day -> pairs.add(TO + "=" + day));
        group.ifPresent(id -> pairs.add(GROUP + "=" + id));
        person.ifPresent(id -> pairs.add(PERSON + "=" + id));
        for (int i = 0; i + 1 < extra.length; i += 2) {
            pairs.add(encode(extra[i]) + "=" + encode(extra[i + 1]));
        }
        return pairs.isEmpty() ? path : path + "?" + String.join("&", pairs);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Optional<LocalDate> date(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(value.strip()));
        } catch (DateTimeParseException e) {
            throw PortalException.badRequest("Give days as year-month-day, e.g. 2026-11-29.");
        }
    }

    private static Optional<UUID> id(String value, String what) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(value.strip()));
        } catch (IllegalArgumentException e) {
            throw PortalException.badRequest("Unknown " + what + ".");
        }
    }
}
