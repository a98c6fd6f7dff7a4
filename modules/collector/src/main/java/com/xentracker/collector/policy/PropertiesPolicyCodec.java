package com.xentracker.collector.policy;

import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.core.policy.RedactionRule;
import com.xentracker.core.policy.WorkingHours;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The policy as UTF-8 properties, one key per line in a fixed order (diffable, readable by an administrator looking
 * into the data directory):
 *
 * <pre>
 * version=7
 * collect-window-titles=true
 * title-redaction.0.pattern=\\d{4,}
 * title-redaction.0.replacement=####
 * excluded-application.0=keepassxc
 * working-hours.zone=Europe/Berlin
 * working-hours.monday=09:00-12:30,13:30-18:00
 * private-time-allowed=true
 * idle-threshold=PT3M
 * audible-keeps-active=false
 * collect-full-urls=false
 * </pre>
 */
final class PropertiesPolicyCodec implements PolicyCodec {

    @Override
    public String fileName() {
        return "policy.properties";
    }

    @Override
    public byte[] encode(CollectionPolicy policy) {
        StringBuilder text = new StringBuilder("# The organization's collection policy as last received from the server.\n"
                + "# Written by the agent; edits are overwritten by the next policy.\n");
        line(text, "version", Long.toString(policy.version()));
        line(text, "collect-window-titles", Boolean.toString(policy.collectWindowTitles()));
        for (int i = 0; i < policy.titleRedactions().size(); i++) {
            line(text, "title-redaction." + i + ".pattern", policy.titleRedactions().get(i).pattern());
            line(text, "title-redaction." + i + ".replacement", policy.titleRedactions().get(i).replacement());
        }
        int index = 0;
        for (String application : new TreeSet<>(policy.excludedApplications())) {
            line(text, "excluded-application." + index++, application);
        }
        policy.workingHours().ifPresent(hours -> {
            line(text, "working-hours.zone", hours.zone().getId());
            for (DayOfWeek day : DayOfWeek.values()) {
                List<WorkingHours.Interval> intervals = hours.days().get(day);
                if (intervals != null) {
                    List<String> parts = new ArrayList<>();
                    intervals.forEach(interval -> parts.add(interval.start() + "-" + interval.end()));
                    line(text, "working-hours." + day.name().toLowerCase(Locale.ROOT), String.join(",", parts));
                }
            }
        });
        line(text, "private-time-allowed", Boolean.toString(policy.privateTimeAllowed()));
        line(text, "idle-threshold", policy.idleThreshold().toString());
        line(text, "audible-keeps-active", Boolean.toString(policy.audibleKeepsActive()));
        line(text, "collect-full-urls", Boolean.toString(policy.collectFullUrls()));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public CollectionPolicy decode(byte[] stored) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(new String(stored, StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a properties file: " + e.getMessage(), e);
        }
        try {
            List<RedactionRule> redactions = new ArrayList<>();
            for (int i = 0; properties.containsKey("title-redaction." + i + ".pattern"); i++) {
                redactions.add(RedactionRule.of(properties.getProperty("title-redaction." + i + ".pattern"),
                        required(properties, "title-redaction." + i + ".replacement")));
            }
            Set<String> excluded = new LinkedHashSet<>();
            for (int i = 0; properties.containsKey("excluded-application." + i); i++) {
                excluded.add(properties.getProperty("excluded-application." + i));
            }
            return new CollectionPolicy(
                    Long.parseLong(required(properties, "version")),
                    bool(properties, "collect-window-titles"),
                    redactions,
                    excluded,
                    workingHours(properties),
                    bool(properties, "private-time-allowed"),
                    Duration.parse(required(properties, "idle-threshold")),
                    bool(properties, "audible-keeps-active"),
                    bool(properties, "collect-full-urls"));
        } catch (DateTimeException | NumberFormatException e) {
            throw new IllegalArgumentException("invalid value: " + e.getMessage(), e);
        }
    }

    private static Optional<WorkingHours> workingHours(Properties properties) {
        String zone = properties.getProperty("working-hours.zone");
        if (zone == null) {
            return Optional.empty();
        }
        Map<DayOfWeek, List<WorkingHours.Interval>> days = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek day : DayOfWeek.values()) {
            String value = properties.getProperty("working-hours." + day.name().toLowerCase(Locale.ROOT));
            if (value != null) {
                List<WorkingHours.Interval> intervals = new ArrayList<>();
                for (String part : value.split(",")) {
                    if (part.isBlank()) {
                        continue;
                    }
                    String[] bounds = part.strip().split("-", -1);
                    if (bounds.length != 2) {
                        throw new IllegalArgumentException("working hours must be written HH:MM-HH:MM, got " + part);
                    }
                    intervals.add(WorkingHours.Interval.of(LocalTime.parse(bounds[0]), LocalTime.parse(bounds[1])));
                }
                days.put(day, intervals);
            }
        }
        return Optional.of(WorkingHours.of(ZoneId.of(zone), days));
    }

    private static String required(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("'" + key + "' is missing");
        }
        return value;
    }

    private static boolean bool(Properties properties, String key) {
        return switch (required(properties, key).strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("'" + key + "' must be true or false");
        };
    }

    /** One {@code key=value} line, escaped as {@link Properties#load(java.io.Reader)} reads it back. */
    private static void line(StringBuilder text, String key, String value) {
        text.append(key).append('=');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                case '\f' -> text.append("\\f");
                default -> {
                    // in a value only a leading blank is special (it would be skipped); = and : only matter in keys
                    if (i == 0 && c == ' ') {
                        text.append('\\');
                    }
                    text.append(c);
                }
            }
        }
        text.append('\n');
    }
}
