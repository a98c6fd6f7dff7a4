package com.xentracker.server.export;

import com.xentracker.server.InvalidRequestException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * What an export is limited to; every part is optional and they all hold together. The period is in the
 * organization's calendar days, both ends included, and limits spans (by their start), rollups (by day) and the audit
 * log; devices, people and groups are exported as they are now. A person, group or device limits every dataset to
 * what concerns them; application, domain (with its subdomains) and category limit spans and rollups.
 */
public record ExportFilter(Optional<LocalDate> from, Optional<LocalDate> to, Optional<UUID> person,
        Optional<UUID> group, Optional<UUID> device, Optional<String> application, Optional<String> domain,
        Optional<String> category) {

    private static final int MAX_TEXT = 255;
    private static final ExportFilter NONE = new ExportFilter(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public ExportFilter {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(person, "person");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(device, "device");
        application = text(application, "application");
        domain = text(domain, "domain").map(d -> d.toLowerCase(Locale.ROOT));
        category = text(category, "category");
        if (from.isPresent() && to.isPresent() && to.get().isBefore(from.get())) {
            throw new InvalidRequestException("an export's period ends before it starts");
        }
    }

    /** Everything. */
    public static ExportFilter none() {
        return NONE;
    }

    /**
     * The filter a request's parameters describe: {@code from} and {@code to} (days, {@code YYYY-MM-DD}),
     * {@code person}, {@code group}, {@code device} (ids), {@code application}, {@code domain}, {@code category};
     * blank or absent ones do not filter.
     *
     * @param parameter a parameter's value, null when absent
     * @throws InvalidRequestException for a malformed day or id
     */
    public static ExportFilter parse(Function<String, String> parameter) {
        return new ExportFilter(day(parameter, "from"), day(parameter, "to"), id(parameter, "person"),
                id(parameter, "group"), id(parameter, "device"), Optional.ofNullable(parameter.apply("application")),
                Optional.ofNullable(parameter.apply("domain")), Optional.ofNullable(parameter.apply("category")));
    }

    private static Optional<String> present(Function<String, String> parameter, String name) {
        return Optional.ofNullable(parameter.apply(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    private static Optional<LocalDate> day(Function<String, String> parameter, String name) {
        try {
            return present(parameter, name).map(LocalDate::parse);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("'" + name + "' is a day such as 2026-09-14");
        }
    }

    private static Optional<UUID> id(Function<String, String> parameter, String name) {
        try {
            return present(parameter, name).map(UUID::fromString);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("'" + name + "' is an id (a UUID)");
        }
    }

    /** Everything about one person. */
    public static ExportFilter ofPerson(UUID person) {
        return NONE.withPerson(Optional.of(person));
    }

    public ExportFilter withPeriod(Optional<LocalDate> first, Optional<LocalDate> last) {
        return new ExportFilter(first, last, person, group, device, application, domain, category);
    }

    public ExportFilter withPerson(Optional<UUID> only) {
        return new ExportFilter(from, to, only, group, device, application, domain, category);
    }

    public ExportFilter withGroup(Optional<UUID> only) {
        return new ExportFilter(from, to, person, only, device, application, domain, category);
    }

    public ExportFilter withDevice(Optional<UUID> only) {
        return new ExportFilter(from, to, person, group, only, application, domain, category);
    }

    public ExportFilter withApplication(Optional<String> only) {
        return new ExportFilter(from, to, person, group, device, only, domain, category);
    }

    public ExportFilter withDomain(Optional<String> only) {
        return new ExportFilter(from, to, person, group, device, application, only, category);
    }

    public ExportFilter withCategory(Optional<String> only) {
        return new ExportFilter(from, to, person, group, device, application, domain, only);
    }

    /**
     * The filter as audit entries name it: ids, days and the application, domain and category asked for (names of
     * software and sites, not of people).
     */
    public String describe() {
        List<String> parts = new ArrayList<>();
        from.ifPresent(day -> parts.add("from " + day));
        to.ifPresent(day -> parts.add("to " + day));
        person.ifPresent(id -> parts.add("person " + id));
        group.ifPresent(id -> parts.add("group " + id));
        device.ifPresent(id -> parts.add("device " + id));
        application.ifPresent(name -> parts.add("application '" + shortened(name) + "'"));
        domain.ifPresent(name -> parts.add("domain '" + shortened(name) + "'"));
        category.ifPresent(name -> parts.add("category '" + shortened(name) + "'"));
        return parts.isEmpty() ? "no filter" : String.join(", ", parts);
    }

    private static String shortened(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }

    private static Optional<String> text(Optional<String> value, String what) {
        Objects.requireNonNull(value, what);
        Optional<String> stripped = value.map(String::strip).filter(v -> !v.isEmpty());
        if (stripped.isPresent() && (stripped.get().length() > MAX_TEXT
                || stripped.get().chars().anyMatch(Character::isISOControl))) {
            throw new InvalidRequestException("an export's " + what + " filter has at most " + MAX_TEXT
                    + " characters and no control characters");
        }
        return stripped;
    }
}
