package com.xentracker.portal.settings;

import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.core.policy.RedactionRule;
import com.xentracker.core.policy.WorkingHours;
import com.xentracker.portal.page.FormErrors;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The collection policy editor's fields as text, as shown or as posted, and their translation into a
 * {@link CollectionPolicy}: what the portal can check itself (numbers, times, a pattern that is no regular
 * expression, a domain that is no host name) is refused beside its field here; the rest is the server's to check.
 *
 * @param idleMinutes  the idle threshold in minutes (decimals allowed: 0.5 is 30 seconds)
 * @param redactions   the rules in order, with a few empty rows to add more; rows without a pattern are dropped
 * @param applications excluded applications, one a line
 * @param domains      excluded sites, one a line
 * @param hours        per weekday, intervals such as {@code 09:00-12:00, 13:00-17:30}; empty: nothing that day
 * @param sample       the title to try the redaction rules on
 */
public record PolicyForm(boolean collectWindowTitles, boolean collectFullUrls, boolean privateTimeAllowed,
        boolean audibleKeepsActive, String idleMinutes, List<Redaction> redactions, String applications,
        String domains, boolean workingHours, String workingHoursZone, Map<DayOfWeek, String> hours, String sample) {

    static final String TITLES = "collectWindowTitles";
    static final String URLS = "collectFullUrls";
    static final String PRIVATE_TIME = "privateTimeAllowed";
    static final String AUDIBLE = "audibleKeepsActive";
    static final String IDLE = "idleMinutes";
    static final String PATTERN = "redactionPattern";
    static final String REPLACEMENT = "redactionReplacement";
    /** The field the whole redaction table's errors stand beside. */
    static final String REDACTIONS = "redactions";
    static final String APPLICATIONS = "excludedApplications";
    static final String DOMAINS = "excludedDomains";
    static final String WORKING_HOURS = "workingHours";
    static final String ZONE = "workingHoursZone";
    static final String HOURS_PREFIX = "hours-";
    static final String SAMPLE = "sample";
    /** Empty rows offered below the rules, for new ones. */
    private static final int SPARE_ROWS = 3;
    /** The server's fields (InvalidRequestException.field()) and the form's fields that show their messages. */
    static final Map<String, String> SERVER_FIELDS = Map.of("idleThreshold", IDLE, "titleRedactions", REDACTIONS,
            "excludedApplications", APPLICATIONS, "excludedDomains", DOMAINS, "workingHours", WORKING_HOURS,
            "sample", SAMPLE);

    /** One redaction rule's row. */
    public record Redaction(String pattern, String replacement) {

        public Redaction {
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(replacement, "replacement");
        }
    }

    /** A weekday's row in the working hours table. */
    public record Day(DayOfWeek day, String label, String field, String value) {
    }

    public PolicyForm {
        Objects.requireNonNull(idleMinutes, "idleMinutes");
        redactions = List.copyOf(redactions);
        Objects.requireNonNull(applications, "applications");
        Objects.requireNonNull(domains, "domains");
        Objects.requireNonNull(workingHoursZone, "workingHoursZone");
        hours = Map.copyOf(hours);
        Objects.requireNonNull(sample, "sample");
    }

    /** The stored policy as the form shows it; a schedule is offered in the organization's zone when there is none. */
    static PolicyForm of(CollectionPolicy policy, ZoneId organizationZone) {
        List<Redaction> rows = new ArrayList<>();
        policy.titleRedactions().forEach(rule -> rows.add(new Redaction(rule.pattern(), rule.replacement())));
        Map<DayOfWeek, String> hours = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek day : DayOfWeek.values()) {
            hours.put(day, policy.workingHours().map(h -> h.days().getOrDefault(day, List.of()).stream()
                    .map(i -> i.start() + "-" + i.end()).collect(Collectors.joining(", ")))
                    .orElse(day.getValue() <= 5 ? "08:00-18:00" : ""));
        }
        return new PolicyForm(policy.collectWindowTitles(), policy.collectFullUrls(), policy.privateTimeAllowed(),
                policy.audibleKeepsActive(), minutes(policy.idleThreshold()), withSpareRows(rows),
                policy.excludedApplications().stream().sorted().collect(Collectors.joining("\n")),
                policy.excludedDomains().stream().sorted().collect(Collectors.joining("\n")),
                policy.workingHours().isPresent(),
                policy.workingHours().map(h -> h.zone().getId()).orElse(organizationZone.getId()), hours, "");
    }

    /** The posted form, as typed; a schedule's zone left out is the organization's. */
    static PolicyForm of(Context ctx, ZoneId organizationZone) {
        List<String> patterns = ctx.formParams(PATTERN);
        List<String> replacements = ctx.formParams(REPLACEMENT);
        List<Redaction> rows = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            if (!patterns.get(i).isEmpty()) {
                rows.add(new Redaction(patterns.get(i), i < replacements.size() ? replacements.get(i) : ""));
            }
        }
        Map<DayOfWeek, String> hours = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek day : DayOfWeek.values()) {
            hours.put(day, Settings.field(ctx, HOURS_PREFIX + day.name()).strip());
        }
        return new PolicyForm(ctx.formParam(TITLES) != null, ctx.formParam(URLS) != null,
                ctx.formParam(PRIVATE_TIME) != null, ctx.formParam(AUDIBLE) != null,
                Settings.field(ctx, IDLE).strip(), withSpareRows(rows), Settings.field(ctx, APPLICATIONS),
                Settings.field(ctx, DOMAINS), ctx.formParam(WORKING_HOURS) != null,
                Optional.of(Settings.field(ctx, ZONE).strip()).filter(zone -> !zone.isEmpty())
                        .orElse(organizationZone.getId()), hours, Settings.field(ctx, SAMPLE));
    }

    private static List<Redaction> withSpareRows(List<Redaction> rows) {
        List<Redaction> all = new ArrayList<>(rows);
        for (int i = 0; i < SPARE_ROWS; i++) {
            all.add(new Redaction("", ""));
        }
        return all;
    }

    /** The working hours table's rows, Monday first. */
    public List<Day> days() {
        return Arrays.stream(DayOfWeek.values()).map(day -> new Day(day,
                day.getDisplayName(TextStyle.FULL, Locale.ENGLISH), HOURS_PREFIX + day.name(),
                hours.getOrDefault(day, ""))).toList();
    }

    /** The field name of the pattern in redaction row {@code index} (from 0), for its error. */
    public static String patternField(int index) {
        return PATTERN + "-" + index;
    }

    /** The policy's redaction rules, or the rows' errors. */
    Result<List<RedactionRule>> rules() {
        List<RedactionRule> rules = new ArrayList<>();
        FormErrors errors = FormErrors.none();
        for (int i = 0; i < redactions.size(); i++) {
            Redaction row = redactions.get(i);
            if (row.pattern().isEmpty()) {
                continue;
            }
            try {
                rules.add(RedactionRule.of(row.pattern(), row.replacement()));
            } catch (IllegalArgumentException e) {
                errors = errors.and(patternField(i), "rule " + (rules.size() + 1) + ": " + e.getMessage());
            }
        }
        return errors.any() ? Result.refused(errors) : Result.of(rules);
    }

    /** The policy as posted (the server assigns the version), or what is wrong with the form. */
    Result<CollectionPolicy> policy() {
        FormErrors errors = FormErrors.none();
        Result<List<RedactionRule>> rules = rules();
        errors = merge(errors, rules.errors());
        Duration idle = Duration.ZERO;
        try {
            idle = Duration.ofSeconds(new BigDecimal(idleMinutes.replace(',', '.')).multiply(BigDecimal.valueOf(60))
                    .setScale(0, RoundingMode.HALF_UP).longValueExact());
            if (idle.isNegative() || idle.isZero()) {
                errors = errors.and(IDLE, "the idle threshold is a positive number of minutes");
            }
        } catch (NumberFormatException | ArithmeticException e) {
            errors = errors.and(IDLE, "the idle threshold is a number of minutes, such as 3 or 0.5");
        }
        Optional<WorkingHours> schedule = Optional.empty();
        if (workingHours) {
            ZoneId zone = null;
            try {
                zone = ZoneId.of(workingHoursZone);
            } catch (DateTimeException e) {
                errors = errors.and(ZONE, "not a time zone: use an IANA name such as Europe/Berlin");
            }
            Map<DayOfWeek, List<WorkingHours.Interval>> days = new EnumMap<>(DayOfWeek.class);
            for (DayOfWeek day : DayOfWeek.values()) {
                try {
                    days.put(day, intervals(hours.getOrDefault(day, "")));
                } catch (IllegalArgumentException e) {
                    errors = errors.and(HOURS_PREFIX + day.name(), e.getMessage());
                }
            }
            if (zone != null && !errors.any()) {
                schedule = Optional.of(WorkingHours.of(zone, days));
            }
        }
        Set<String> excludedApplications = lines(applications);
        Set<String> excludedDomains = lines(domains);
        if (errors.any()) {
            return Result.refused(errors);
        }
        try {
            return Result.of(new CollectionPolicy(0, collectWindowTitles, rules.value(), excludedApplications,
                    schedule, privateTimeAllowed, idle, audibleKeepsActive, collectFullUrls, excludedDomains));
        } catch (IllegalArgumentException e) {
            // core refuses a domain that is no host name, naming it
            return Result.refused(FormErrors.of(DOMAINS, e.getMessage()));
        }
    }

    private static FormErrors merge(FormErrors errors, FormErrors more) {
        FormErrors merged = errors;
        for (Map.Entry<String, String> entry : more.messages().entrySet()) {
            merged = merged.and(entry.getKey(), entry.getValue());
        }
        return merged;
    }

    /** "08:00-12:00, 13:00-17:30" → intervals; "" → none. */
    private static List<WorkingHours.Interval> intervals(String text) {
        List<WorkingHours.Interval> intervals = new ArrayList<>();
        for (String part : text.split("[,;]")) {
            String interval = part.strip();
            if (interval.isEmpty()) {
                continue;
            }
            String[] ends = interval.split("\\s*[-–]\\s*");
            if (ends.length != 2) {
                throw new IllegalArgumentException("write intervals as 09:00-12:00, separated by commas");
            }
            try {
                LocalTime start = LocalTime.parse(pad(ends[0]));
                LocalTime end = LocalTime.parse(pad(ends[1]));
                intervals.add(WorkingHours.Interval.of(start, end));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + interval + "' is not a time interval such as 09:00-12:00");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + interval + "' ends before it starts");
            }
        }
        return intervals;
    }

    /** "9:00" → "09:00". */
    private static String pad(String time) {
        return time.length() == 4 && time.charAt(1) == ':' ? "0" + time : time;
    }

    private static Set<String> lines(String text) {
        Set<String> lines = new LinkedHashSet<>();
        text.lines().map(String::strip).filter(line -> !line.isEmpty()).forEach(lines::add);
        return lines;
    }

    /** An idle threshold in minutes as the form shows it: 3, 0.5, 0.75. */
    static String minutes(Duration duration) {
        return BigDecimal.valueOf(duration.toSeconds()).divide(BigDecimal.valueOf(60), 4, RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString();
    }

    /** A value, or the form's errors. */
    record Result<T>(Optional<T> optional, FormErrors errors) {

        static <T> Result<T> of(T value) {
            return new Result<>(Optional.of(value), FormErrors.none());
        }

        static <T> Result<T> refused(FormErrors errors) {
            return new Result<>(Optional.empty(), errors);
        }

        T value() {
            return optional.orElseThrow();
        }
    }
}
