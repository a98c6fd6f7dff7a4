package com.xentracker.collector.policy;

import com.xentracker.collector.browser.ActiveTabs;
import com.xentracker.collector.browser.WebTab;
import com.xentracker.collector.probe.ForegroundWindow;
import com.xentracker.collector.probe.Observation;
import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.WebPage;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.core.policy.TitleRedaction;
import com.xentracker.core.policy.WorkingHours;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Privacy at collection: decides, before anything is written, what the agent may record about one moment. The
 * organization's {@link CollectionPolicy} (current at each call), the employee's {@link PrivateTime} and this
 * device's {@link LocalLimits} apply in this order:
 *
 * <ol>
 *   <li>Outside the policy's working hours (in the working hours' zone): nothing at all; the desktop is not even
 *       looked at.</li>
 *   <li>Private time in progress, if the policy allows private time: {@code PAUSED}, without looking at the
 *       desktop.</li>
 *   <li>A locked session: {@code LOCKED}.</li>
 *   <li>No input for the policy's idle threshold or longer: {@code IDLE} (neutral, never a violation), unless the
 *       policy's "audio keeps active" is on and a browser reports a tab playing sound.</li>
 *   <li>The foreground application is excluded (its name or its executable's file name, case-insensitive):
 *       {@code EXCLUDED}, without the name, executable or title.</li>
 *   <li>Otherwise {@code ACTIVE} with application and executable; the title only if the policy collects titles and
 *       the device does not refuse them, after every redaction rule was applied in order. A title whose redaction
 *       fails (a bad {@code $n} reference, or a pattern that runs longer than 100 ms) is dropped entirely: better
 *       no title than an unredacted one.</li>
 *   <li>When that application is a browser whose extension reports to the agent ({@link ActiveTabs}), the active
 *       tab's page is attached: its domain, and its URL only when the policy collects URLs (the endpoint already
 *       reduced it to scheme, host, port and path). A tab on a domain excluded by the organization's managed
 *       browser policy makes the time {@code EXCLUDED}, like an excluded application: the time is kept, the site
 *       is not. A stale report, a browser that lost the focus, an idle browser or an incognito window attach
 *       nothing.</li>
 * </ol>
 *
 * <p>{@link CollectionPolicy#audibleKeepsActive()} is applied to browser tabs only: no probe reports desktop audio
 * (PulseAudio/PipeWire streams, Windows audio sessions, Core Audio) yet, so a call application playing sound
 * without input is still idle.
 *
 * <p>Thread-safe; patterns are compiled once per policy, not per sample.
 */
public final class PolicyEnforcer {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyEnforcer.class);
    /** Longest a title's redaction may take before the title is dropped. */
    private static final Duration REDACTION_BUDGET = TitleRedaction.BUDGET;
    /** Someone is at the device (recent input) but no identifiable window has the focus: the bare desktop. */
    private static final Activity BARE_DESKTOP = Activity.active("", "", Optional.empty());

    private final Supplier<CollectionPolicy> policies;
    private final Supplier<Optional<Instant>> pausedUntil;
    private final LocalLimits limits;
    private final ActiveTabs tabs;
    private volatile Rules rules;

    private PolicyEnforcer(Supplier<CollectionPolicy> policies, Supplier<Optional<Instant>> pausedUntil,
            LocalLimits limits, ActiveTabs tabs) {
        this.policies = policies;
        this.pausedUntil = pausedUntil;
        this.limits = limits;
        this.tabs = tabs;
    }

    /**
     * An enforcer of the policy {@code policies} supplies at each call.
     *
     * @param policies    the organization's current policy, e.g. a {@link PolicyCache}
     * @param pausedUntil the end of the employee's private time in progress, e.g. {@link PrivateTime#pausedUntil()};
     *                    only asked when the policy allows private time
     * @param limits      what this device refuses on its own
     */
    public static PolicyEnforcer create(Supplier<CollectionPolicy> policies, Supplier<Optional<Instant>> pausedUntil,
            LocalLimits limits) {
        Objects.requireNonNull(policies, "policies");
        Objects.requireNonNull(pausedUntil, "pausedUntil");
        Objects.requireNonNull(limits, "limits");
        return new PolicyEnforcer(policies, pausedUntil, limits,
                ActiveTabs.create(ActiveTabs.DEFAULT_HEARTBEAT_INTERVAL, Clock.systemUTC()));
    }

    /**
     * An enforcer that also attaches the foreground browser's active tab, as {@code tabs} (fed by the browser
     * endpoint) reports it.
     */
    public static PolicyEnforcer create(Supplier<CollectionPolicy> policies, Supplier<Optional<Instant>> pausedUntil,
            LocalLimits limits, ActiveTabs tabs) {
        Objects.requireNonNull(policies, "policies");
        Objects.requireNonNull(pausedUntil, "pausedUntil");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(tabs, "tabs");
        return new PolicyEnforcer(policies, pausedUntil, limits, tabs);
    }

    /** The policy that applies now. */
    public CollectionPolicy policy() {
        return policies.get();
    }

    /**
     * What may be recorded about the moment {@code at}.
     *
     * @param look observes the desktop; called at most once, and only when the answer depends on the desktop
     * @return the activity to record; empty when nothing at all may be recorded (outside working hours)
     */
    public Optional<Activity> activityAt(Instant at, Supplier<Observation> look) {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(look, "look");
        Rules current = rules();
        if (!current.collectsAt(at)) {
            return Optional.empty();
        }
        if (current.policy.privateTimeAllowed() && pausedUntil.get().filter(until -> until.isAfter(at)).isPresent()) {
            return Optional.of(Activity.of(ActivityState.PAUSED));
        }
        Observation observation = look.get();
        return Optional.of(current.classify(observation.foreground(), observation.idle(), observation.locked(), at, tabs));
    }

    private Rules rules() {
        CollectionPolicy policy = policies.get();
        Rules current = rules;
        // identity first: a PolicyCache hands out one instance until the policy changes, so this is one comparison per poll
        if (current == null || (current.policy != policy && !current.policy.equals(policy))) {
            current = new Rules(policy, limits);
            rules = current;
            LOG.info("applying collection policy version {}: titles {}, {} redaction rule(s), {} excluded"
                    + " application(s), working hours {}, private time {}, idle after {}", policy.version(),
                    current.titles ? "collected" : (policy.collectWindowTitles() ? "refused by this device" : "off"),
                    policy.titleRedactions().size(), policy.excludedApplications().size(),
                    policy.workingHours().map(hours -> "in " + hours.zone()).orElse("none (always)"),
                    policy.privateTimeAllowed() ? "allowed" : "not allowed", policy.idleThreshold());
        }
        return current;
    }

    /** One policy, prepared for use on every sample. */
    private static final class Rules {
        final CollectionPolicy policy;
        final boolean titles;
        final TitleRedaction redaction;
        final Set<String> excluded;
        /** Rules whose failure was logged: once per rule and policy, not once per poll. */
        final Set<Integer> reportedFailures = ConcurrentHashMap.newKeySet();

        Rules(CollectionPolicy policy, LocalLimits limits) {
            this.policy = policy;
            this.titles = policy.collectWindowTitles() && limits.windowTitles();
            // the same redaction the server's preview shows administrators
            this.redaction = TitleRedaction.of(policy.titleRedactions());
            Set<String> names = new HashSet<>();
            policy.excludedApplications().forEach(name -> names.add(name.strip().toLowerCase(Locale.ROOT)));
            this.excluded = Set.copyOf(names);
        }

        boolean collectsAt(Instant at) {
            if (policy.workingHours().isEmpty()) {
                return true;
            }
            WorkingHours hours = policy.workingHours().get();
            ZonedDateTime local = at.atZone(hours.zone());
            LocalTime time = local.toLocalTime();
            for (WorkingHours.Interval interval : hours.days().getOrDefault(local.getDayOfWeek(), List.of())) {
                if (!time.isBefore(interval.start()) && time.isBefore(interval.end())) {
                    return true;
                }
            }
            return false;
        }

        Activity classify(Optional<ForegroundWindow> foreground, Duration idle, boolean locked, Instant at,
                ActiveTabs tabs) {
            if (locked) {
                return Activity.of(ActivityState.LOCKED);
            }
            if (idle.compareTo(policy.idleThreshold()) >= 0
                    && !(policy.audibleKeepsActive() && tabs.audibleAt(at))) {
                return Activity.of(ActivityState.IDLE);
            }
            if (foreground.isEmpty()) {
                return BARE_DESKTOP;
            }
            ForegroundWindow window = foreground.get();
            if (isExcluded(window)) {
                return Activity.of(ActivityState.EXCLUDED);
            }
            Optional<String> title = titles ? window.title().flatMap(this::redact) : Optional.empty();
            Activity active = Activity.active(window.application(),
                    window.executable().map(Path::toString).orElse(""), title);
            Optional<WebTab> tab = tabs.foregroundTab(window.application(), window.executable(), at,
                    policy.audibleKeepsActive());
            if (tab.isEmpty()) {
                return active;
            }
            if (tab.get().excluded()) {
                return Activity.of(ActivityState.EXCLUDED);
            }
            // the URL only while the policy collects URLs now, also if the report came in under an earlier policy
            return active.withPage(new WebPage(tab.get().domain(),
                    policy.collectFullUrls() ? tab.get().url() : Optional.empty()));
        }

        private boolean isExcluded(ForegroundWindow window) {
            if (excluded.isEmpty()) {
                return false;
            }
            if (excluded.contains(window.application().toLowerCase(Locale.ROOT))) {
                return true;
            }
            return window.executable().map(Path::getFileName).map(Path::toString)
                    .map(name -> name.toLowerCase(Locale.ROOT))
                    .filter(name -> excluded.contains(name) || (name.endsWith(".exe")
                            && excluded.contains(name.substring(0, name.length() - 4))))
                    .isPresent();
        }

        /** The title after every rule, in order; empty when a rule failed or nothing is left. */
        private Optional<String> redact(String title) {
            TitleRedaction.Result result = redaction.apply(title, REDACTION_BUDGET);
            result.failedRule().ifPresent(rule -> {
                // the reason only: the title is exactly what must not reach the log
                if (reportedFailures.add(rule)) {
                    LOG.warn("title redaction rule {} of policy version {} failed ({}); titles it fails on are not"
                            + " recorded", rule, policy.version(), result.failure()
                                    .map(f -> f == TitleRedaction.Failure.TOO_SLOW ? "took too long"
                                            : "invalid replacement").orElse("failed"));
                }
            });
            return result.stored();
        }
    }
}
