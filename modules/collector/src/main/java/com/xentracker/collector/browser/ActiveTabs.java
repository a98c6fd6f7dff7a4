package com.xentracker.collector.browser;

import com.xentracker.core.activity.SpanMerger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The browsers' latest reports, for the agent to correlate with its own view of the desktop: the extension says
 * which tab is active, the agent's probe says whether the browser is the foreground application. Web time is
 * therefore counted only while the browser is in the foreground on the desktop; a tab playing sound in a background
 * browser never makes browsing.
 *
 * <p>A report counts while it is fresh: within the pulse time of the extension's heartbeat
 * ({@link SpanMerger#pulseTime(Duration)} of 30 s = 45 s) of the moment asked about, the same rule that ends a span.
 * The extension reports every change at once and confirms an unchanged tab on its heartbeat, so a browser that was
 * closed or crashed stops counting within the pulse time. Older events than the latest one seen for a browser are
 * ignored (a backlog replayed after an agent restart cannot move the tab back).
 *
 * <p>Thread-safe: the endpoint's thread writes, the recording thread reads.
 */
public final class ActiveTabs implements BrowserActivityListener {

    /** The extension's default heartbeat (chrome.alarms allows no shorter period for a published extension). */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(30);

    /** More browsers than this reporting at once is no real desktop; see {@link #accept(List)}. */
    static final int MAX_BROWSERS = 16;

    private final Duration freshFor;
    private final Clock clock;
    private final Map<String, BrowserActivity> latest = new HashMap<>();
    private Instant lastReceived;

    private ActiveTabs(Duration freshFor, Clock clock) {
        this.freshFor = freshFor;
        this.clock = clock;
    }

    /**
     * No reports yet.
     *
     * @param heartbeatInterval the extension's heartbeat interval; reports stay fresh for its pulse time
     * @param clock             notes when the last report arrived, for {@code status}
     */
    public static ActiveTabs create(Duration heartbeatInterval, Clock clock) {
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(clock, "clock");
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("heartbeat interval must be positive, got " + heartbeatInterval);
        }
        return new ActiveTabs(SpanMerger.pulseTime(heartbeatInterval), clock);
    }

    @Override
    public synchronized void accept(List<BrowserActivity> activities) {
        Objects.requireNonNull(activities, "activities");
        for (BrowserActivity activity : activities) {
            BrowserActivity previous = latest.get(activity.browserName());
            if (previous == null || !activity.at().isBefore(previous.at())) {
                latest.put(activity.browserName(), activity);
            }
        }
        // bounded: reports that can no longer be fresh go, and a flood of invented browser names cannot grow it
        Instant now = clock.instant();
        latest.values().removeIf(report -> !fresh(report, now));
        if (latest.size() > MAX_BROWSERS) {
            latest.clear();
        }
        lastReceived = now;
    }

    /** When an extension last delivered events (on the agent's clock); empty when none did since the start. */
    public synchronized Optional<Instant> lastReport() {
        return Optional.ofNullable(lastReceived);
    }

    /**
     * The tab to attach to the foreground application at {@code now}: the active tab of the latest fresh report of
     * the browser that {@code application} is, already filtered by the organization's {@link WebPolicy} (an
     * excluded domain is a tab with {@link WebTab#excluded()}). Empty when the application is no reporting browser,
     * its report is stale, the browser lost the focus or is idle or locked, or there is no web page (a browser page,
     * an incognito window, which the extension never reports).
     *
     * @param audibleKeepsActive the organization's "audio keeps active": a browser reported idle keeps its audible
     *                           tab (the person watches a video in the foreground browser)
     */
    public synchronized Optional<WebTab> foregroundTab(String application, Optional<Path> executable, Instant now,
            boolean audibleKeepsActive) {
        Objects.requireNonNull(application, "application");
        Objects.requireNonNull(executable, "executable");
        Objects.requireNonNull(now, "now");
        BrowserActivity newest = null;
        for (BrowserActivity report : latest.values()) {
            if (fresh(report, now) && BrowserFamily.matches(report.browserName(), application, executable)
                    && (newest == null || report.at().isAfter(newest.at()))) {
                newest = report;
            }
        }
        if (newest == null) {
            return Optional.empty();
        }
        return switch (newest.state()) {
            case ACTIVE -> newest.tab();
            case IDLE -> audibleKeepsActive ? newest.tab().filter(WebTab::audible) : Optional.empty();
            case UNFOCUSED, LOCKED -> Optional.empty();
        };
    }

    /** Whether a fresh report of any browser has a tab playing sound at {@code now} (focused or not). */
    public synchronized boolean audibleAt(Instant now) {
        Objects.requireNonNull(now, "now");
        return latest.values().stream()
                .anyMatch(report -> fresh(report, now) && report.tab().filter(WebTab::audible).isPresent());
    }

    private boolean fresh(BrowserActivity report, Instant now) {
        // a report from the future (clock rounding between the processes) counts as now
        return !now.isAfter(report.at().plus(freshFor));
    }
}
