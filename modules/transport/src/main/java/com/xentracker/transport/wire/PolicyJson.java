package com.xentracker.transport.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.core.policy.RedactionRule;
import com.xentracker.core.policy.WorkingHours;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON shape of a core {@link CollectionPolicy} (core is not opened to Jackson):
 *
 * <pre>{"version":3,"collectWindowTitles":true,
 *  "titleRedactions":[{"pattern":"\\S+@\\S+","replacement":"[email]"}],
 *  "excludedApplications":["keepassxc"],
 *  "workingHours":{"zone":"Europe/Berlin","days":{"MONDAY":[{"start":"08:00","end":"12:00"}, …], …}},
 *  "privateTimeAllowed":true,"idleThreshold":"PT3M","audibleKeepsActive":false,"collectFullUrls":false}</pre>
 *
 * Every field is required except {@code workingHours}, which is omitted (or null) when collection is not limited to a
 * schedule. Durations are ISO-8601, zones are IANA ids, times are {@code HH:mm} (or {@code HH:mm:ss} when they have
 * seconds), days are {@link DayOfWeek} names. Excluded applications are written sorted, so equal policies encode
 * equally.
 */
@JsonInclude(JsonInclude.Include.NON_NULL) // only workingHours is ever null
record PolicyJson(Long version, Boolean collectWindowTitles, List<RedactionJson> titleRedactions,
        List<String> excludedApplications, WorkingHoursJson workingHours, Boolean privateTimeAllowed,
        String idleThreshold, Boolean audibleKeepsActive, Boolean collectFullUrls, List<String> excludedDomains) {

    PolicyJson {
        WireEnums.required(version, "version");
        WireEnums.required(collectWindowTitles, "collectWindowTitles");
        WireEnums.required(titleRedactions, "titleRedactions");
        WireEnums.required(excludedApplications, "excludedApplications");
        WireEnums.required(privateTimeAllowed, "privateTimeAllowed");
        WireEnums.required(idleThreshold, "idleThreshold");
        WireEnums.required(audibleKeepsActive, "audibleKeepsActive");
        WireEnums.required(collectFullUrls, "collectFullUrls");
        if (titleRedactions.contains(null)) {
            throw new IllegalArgumentException("field 'titleRedactions' holds a null");
        }
        if (excludedApplications.contains(null)) {
            throw new IllegalArgumentException("field 'excludedApplications' holds a null");
        }
        duration(idleThreshold);
        // optional: absent in policies written before excluded domains existed, which exclude none
        if (excludedDomains != null && excludedDomains.contains(null)) {
            throw new IllegalArgumentException("field 'excludedDomains' holds a null");
        }
    }

    static PolicyJson of(CollectionPolicy policy) {
        List<RedactionJson> redactions = new ArrayList<>(policy.titleRedactions().size());
        for (RedactionRule rule : policy.titleRedactions()) {
            redactions.add(new RedactionJson(rule.pattern(), rule.replacement()));
        }
        return new PolicyJson(policy.version(), policy.collectWindowTitles(), redactions,
                policy.excludedApplications().stream().sorted().toList(),
                policy.workingHours().map(WorkingHoursJson::of).orElse(null), policy.privateTimeAllowed(),
                policy.idleThreshold().toString(), policy.audibleKeepsActive(), policy.collectFullUrls(),
                policy.excludedDomains().stream().sorted().toList());
    }

    CollectionPolicy toPolicy() {
        List<RedactionRule> rules = new ArrayList<>(titleRedactions.size());
        for (RedactionJson rule : titleRedactions) {
            rules.add(RedactionRule.of(rule.pattern(), rule.replacement()));
        }
        return new CollectionPolicy(version, collectWindowTitles, rules, Set.copyOf(excludedApplications) /* repeats are harmless */,
                Optional.ofNullable(workingHours).map(WorkingHoursJson::toWorkingHours), privateTimeAllowed,
                duration(idleThreshold), audibleKeepsActive, collectFullUrls,
                excludedDomains == null ? Set.of() : Set.copyOf(excludedDomains));
    }

    private static Duration duration(String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("field 'idleThreshold' is not an ISO-8601 duration such as PT3M");
        }
    }

    record RedactionJson(String pattern, String replacement) {
        RedactionJson {
            WireEnums.required(pattern, "pattern");
            WireEnums.required(replacement, "replacement");
        }
    }

    /** {@code {"zone":"Europe/Berlin","days":{"MONDAY":[{"start":"09:00","end":"17:00"}]}}}, days in week order. */
    record WorkingHoursJson(String zone, Map<String, List<IntervalJson>> days) {
        WorkingHoursJson {
            WireEnums.required(zone, "zone");
            WireEnums.required(days, "days");
            zone(zone);
            for (Map.Entry<String, List<IntervalJson>> day : days.entrySet()) {
                day(day.getKey());
                if (day.getValue() == null || day.getValue().contains(null)) {
                    throw new IllegalArgumentException("working hours of " + day.getKey() + " are missing");
                }
            }
        }

        static WorkingHoursJson of(WorkingHours hours) {
            Map<String, List<IntervalJson>> days = new LinkedHashMap<>();
            for (DayOfWeek day : DayOfWeek.values()) {
                List<WorkingHours.Interval> intervals = hours.days().get(day);
                if (intervals != null) {
                    days.put(day.name(), intervals.stream().map(IntervalJson::of).toList());
                }
            }
            return new WorkingHoursJson(hours.zone().getId(), days);
        }

        WorkingHours toWorkingHours() {
            Map<DayOfWeek, List<WorkingHours.Interval>> byDay = new EnumMap<>(DayOfWeek.class);
            days.forEach((day, intervals) -> byDay.put(day(day),
                    intervals.stream().map(IntervalJson::toInterval).toList()));
            return WorkingHours.of(zone(zone), byDay);
        }

        private static ZoneId zone(String id) {
            try {
                return ZoneId.of(id);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("field 'zone' is not a time-zone id such as Europe/Berlin");
            }
        }

        private static DayOfWeek day(String name) {
            // day names are a closed set: an unknown one is a broken policy, not a newer peer
            return WireEnums.known(DayOfWeek.class, name).orElseThrow(() -> new IllegalArgumentException(
                    "working-hours days are named MONDAY … SUNDAY"));
        }
    }

    record IntervalJson(String start, String end) {
        IntervalJson {
            time(WireEnums.required(start, "start"), "start");
            time(WireEnums.required(end, "end"), "end");
        }

        static IntervalJson of(WorkingHours.Interval interval) {
            return new IntervalJson(interval.start().toString(), interval.end().toString());
        }

        WorkingHours.Interval toInterval() {
            return WorkingHours.Interval.of(time(start, "start"), time(end, "end"));
        }

        private static LocalTime time(String text, String field) {
            try {
                return LocalTime.parse(text);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("field '" + field + "' is not a time of day such as 09:00");
            }
        }
    }
}
