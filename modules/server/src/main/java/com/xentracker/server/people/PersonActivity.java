package com.xentracker.server.people;

import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.GapReason;
import com.xentracker.server.usage.Productivity;
import com.xentracker.transport.wire.CaptureState;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One person as their page shows them, read in one use case (one audit entry, with the person as its subject): a
 * day's timeline, the totals of each day of a period, the applications and sites they used most in it, their devices
 * and groups. Days are the organization's calendar days in its time zone.
 *
 * @param zone         the organization's time zone, in which days begin and end
 * @param today        the day it is in that zone by the server's clock
 * @param timeline     the day asked for, span by span
 * @param days         every day of the period, in order (days without anything recorded have zero totals)
 * @param applications the applications with the most active time in the period, most first ({@code ""}: active
 *                     time without a foreground application, i.e. the desktop itself)
 * @param sites        the web domains with the most active time in the period, most first
 * @param devices      the devices whose OS accounts are mapped to the person, by host name
 * @param groups       the groups the person is in, among those the actor may see, by name
 */
public record PersonActivity(Person person, ZoneId zone, LocalDate today, DayTimeline timeline, List<DayTotal> days,
        List<TimeSpent> applications, List<TimeSpent> sites, List<PersonDevice> devices, List<Group> groups) {

    /** How many applications and sites are listed. */
    public static final int TOP = 10;

    public PersonActivity {
        Objects.requireNonNull(person, "person");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(today, "today");
        Objects.requireNonNull(timeline, "timeline");
        days = List.copyOf(days);
        applications = List.copyOf(applications);
        sites = List.copyOf(sites);
        devices = List.copyOf(devices);
        groups = List.copyOf(groups);
    }

    /** The first day of the period. */
    public LocalDate first() {
        return days.get(0).day();
    }

    /** The last day of the period. */
    public LocalDate last() {
        return days.get(days.size() - 1).day();
    }

    /**
     * One local day from its midnight to the next: 24 hours, or 23 or 25 on the days daylight-saving time begins or
     * ends. Spans and gaps are cut to the day.
     *
     * @param spans     in order of start, per device
     * @param gaps      stretches the person's devices reported as lost (their buffer dropped them), in order of start
     * @param truncated whether the day had more than {@link #MAX_SPANS} spans and only the first are here
     */
    public record DayTimeline(LocalDate day, Instant start, Instant end, List<TimelineSpan> spans,
            List<TimelineGap> gaps, boolean truncated) {

        /** More spans than this on one day come from a broken agent; the page shows the first ones and says so. */
        public static final int MAX_SPANS = 20_000;

        public DayTimeline {
            Objects.requireNonNull(day, "day");
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            spans = List.copyOf(spans);
            gaps = List.copyOf(gaps);
            if (!end.isAfter(start)) {
                throw new IllegalArgumentException("a day ends after it starts");
            }
        }

        /** How long the day is: 24 hours, or 23 or 25 hours on a daylight-saving change. */
        public Duration length() {
            return Duration.between(start, end);
        }
    }

    /**
     * A span of the day, cut to the day.
     *
     * @param title        the window title, only where the policy collected it
     * @param domain       the browser's site, for active time in a browser
     * @param url          the full address, only where the policy collected it
     * @param category     the category its application or site falls into ({@code ""}: none); empty for time that is
     *                     not active
     * @param productivity the category's rating, {@link Productivity#UNCATEGORISED} without one; empty for time that is
     *                     not active (idle, locked, private, unknown)
     */
    public record TimelineSpan(UUID deviceId, Instant start, Instant end, ActivityState state, String application,
            Optional<String> title, Optional<String> domain, Optional<String> url, String category,
            Optional<Productivity> productivity) {

        public TimelineSpan {
            Objects.requireNonNull(deviceId, "deviceId");
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(application, "application");
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(category, "category");
            Objects.requireNonNull(productivity, "productivity");
        }

        public Duration duration() {
            return Duration.between(start, end);
        }

        /** Private time: an excluded application or the employee's own private time; only the time is kept. */
        public boolean isPrivate() {
            return state == ActivityState.EXCLUDED || state == ActivityState.PAUSED;
        }
    }

    /** Time a device reported as lost, cut to the day. */
    public record TimelineGap(UUID deviceId, Instant from, Instant to, GapReason reason) {

        public TimelineGap {
            Objects.requireNonNull(deviceId, "deviceId");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The totals of one local day.
     *
     * @param length how long the day is (23, 24 or 25 hours)
     */
    public record DayTotal(LocalDate day, Duration length, Duration active, Duration idle, Duration locked) {

        public DayTotal {
            Objects.requireNonNull(day, "day");
            Objects.requireNonNull(length, "length");
            Objects.requireNonNull(active, "active");
            Objects.requireNonNull(idle, "idle");
            Objects.requireNonNull(locked, "locked");
        }
    }

    /** Active time in one application or on one site. */
    public record TimeSpent(String name, Duration active) {

        public TimeSpent {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(active, "active");
        }
    }

    /** A device of the person, with what its agent last reported. */
    public record PersonDevice(UUID id, String hostname, String osUser, String operatingSystem, String agentVersion,
            CaptureState captureState, Instant lastSeen, boolean revoked) {

        public PersonDevice {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(hostname, "hostname");
            Objects.requireNonNull(osUser, "osUser");
            Objects.requireNonNull(operatingSystem, "operatingSystem");
            Objects.requireNonNull(agentVersion, "agentVersion");
            Objects.requireNonNull(captureState, "captureState");
            Objects.requireNonNull(lastSeen, "lastSeen");
        }
    }
}
