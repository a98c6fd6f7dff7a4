package com.xentracker.collector.browser;

import com.xentracker.collector.SpanBufferException;
import com.xentracker.core.activity.SpanMerger;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns browser events into web spans by the heartbeat rule of {@link SpanMerger}, one stream per browser, and keeps
 * them in the {@code web_spans} table of its own SQLite file.
 *
 * <p>An event for the same page within the pulse time of the open span's end extends it; an event for another page
 * (or for none: focus lost, idle, a browser page) within the pulse time closes it at that event; an event later than
 * the pulse time closes it at its last heartbeat, so a span never stretches across a gap (browser closed, agent
 * stopped, device asleep). Events earlier than the last one seen for that browser are ignored, so nothing is counted
 * twice. Pulse time = {@link SpanMerger#pulseTime(Duration)} of the extension's heartbeat interval.
 *
 * <p>Which events count as browsing: the active tab while the browser is focused and the person active
 * ({@link WebSpanState#ACTIVE}); a tab playing sound otherwise ({@link WebSpanState#AUDIBLE}, or ACTIVE when the
 * policy says so); an excluded domain ({@link WebSpanState#EXCLUDED}). Whether the browser was also the foreground
 * application of the desktop is for the agent to correlate with its own spans.
 *
 * <p>Thread-safe (serialised).
 */
public final class WebSpanTracker implements BrowserActivityListener, AutoCloseable {

    /** The extension's default heartbeat (chrome.alarms allows no shorter period for a published extension). */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(WebSpanTracker.class);

    private final WebSpanStore store;
    private final Duration pulseTime;
    private final Supplier<WebPolicy> policy;
    private final Map<String, OpenSpan> open = new HashMap<>();
    private final Map<String, Instant> lastSeen = new HashMap<>();
    private boolean closed;

    private WebSpanTracker(WebSpanStore store, Duration pulseTime, Supplier<WebPolicy> policy) {
        this.store = store;
        this.pulseTime = pulseTime;
        this.policy = policy;
    }

    /**
     * Opens (creating if needed) the file; spans a previous run left open are closed where they last ended.
     *
     * @param heartbeatInterval the extension's heartbeat interval
     * @param policy            asked for {@link WebPolicy#audibleCountsAsActive()} on every event
     * @throws SpanBufferException when the file cannot be opened or was written by a newer agent
     */
    public static WebSpanTracker open(Path file, Duration heartbeatInterval, Supplier<WebPolicy> policy) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(policy, "policy");
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("heartbeat interval must be positive, got " + heartbeatInterval);
        }
        Duration pulse = SpanMerger.pulseTime(heartbeatInterval);
        WebSpanStore store = WebSpanStore.open(file);
        try {
            int left = store.closeAllOpen();
            if (left > 0) {
                LOG.info("closed {} web span(s) left open by the previous run", left);
            }
        } catch (SQLException e) {
            try {
                store.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new SpanBufferException("cannot close the web spans left open in " + file, e);
        }
        return new WebSpanTracker(store, pulse, policy);
    }

    @Override
    public synchronized void accept(List<BrowserActivity> activities) {
        Objects.requireNonNull(activities, "activities");
        ensureOpen();
        boolean audibleCountsAsActive = policy.get().audibleCountsAsActive();
        Map<String, OpenSpan> openBefore = new HashMap<>(open);
        Map<String, Instant> seenBefore = new HashMap<>(lastSeen);
        try {
            store.inTransaction(() -> {
                for (BrowserActivity activity : activities) {
                    take(activity, audibleCountsAsActive);
                }
            });
        } catch (SQLException | RuntimeException e) {
            // the transaction rolled back: so does the memory of it
            open.clear();
            open.putAll(openBefore);
            lastSeen.clear();
            lastSeen.putAll(seenBefore);
            throw e instanceof SpanBufferException sbe ? sbe
                    : new SpanBufferException("cannot record web spans: " + e.getMessage(), e);
        }
    }

    /**
     * Closes the open spans whose last heartbeat is older than the pulse time at {@code now} (a browser that was
     * closed sends no further event). Their end stays at the last heartbeat.
     */
    public synchronized void closeStale(Instant now) {
        Objects.requireNonNull(now, "now");
        ensureOpen();
        try {
            store.inTransaction(() -> {
                for (var iterator = open.values().iterator(); iterator.hasNext(); ) {
                    OpenSpan span = iterator.next();
                    if (now.isAfter(span.span().end().plus(pulseTime))) {
                        store.update(span.id(), span.span().end(), false);
                        iterator.remove();
                    }
                }
            });
        } catch (SQLException e) {
            throw new SpanBufferException("cannot close stale web spans: " + e.getMessage(), e);
        }
    }

    /** Every stored web span, oldest first, the open ones included. */
    public synchronized List<WebSpan> spans() {
        ensureOpen();
        try {
            return store.all();
        } catch (SQLException e) {
            throw new SpanBufferException("cannot read web spans: " + e.getMessage(), e);
        }
    }

    /** Closes the open spans at their last heartbeat and the file. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            store.closeAllOpen();
        } catch (SQLException e) {
            LOG.warn("could not close the open web spans: {}", e.getMessage());
        }
        try {
            store.close();
        } catch (SQLException e) {
            LOG.warn("could not close the web span file: {}", e.getMessage());
        }
    }

    private void take(BrowserActivity activity, boolean audibleCountsAsActive) throws SQLException {
        String browser = activity.browserName();
        Instant at = activity.at();
        Instant seen = lastSeen.get(browser);
        if (seen != null && at.isBefore(seen)) {
            return; // out of order or the clock went back: never count the same time twice
        }
        lastSeen.put(browser, at);
        Optional<WebSpan> next = spanFor(activity, audibleCountsAsActive);
        OpenSpan current = open.get(browser);
        if (current != null) {
            boolean withinPulse = !at.isAfter(current.span().end().plus(pulseTime));
            if (withinPulse && next.isPresent() && samePage(current.span(), next.get())) {
                WebSpan extended = withEnd(current.span(), at);
                store.update(current.id(), at, true);
                open.put(browser, new OpenSpan(current.id(), extended));
                return;
            }
            // another page, or none, or a gap: close where the evidence ends
            store.update(current.id(), withinPulse ? at : current.span().end(), false);
            open.remove(browser);
        }
        if (next.isPresent()) {
            open.put(browser, new OpenSpan(store.insertOpen(next.get()), next.get()));
        }
    }

    private static Optional<WebSpan> spanFor(BrowserActivity activity, boolean audibleCountsAsActive) {
        if (activity.tab().isEmpty()) {
            return Optional.empty();
        }
        WebTab tab = activity.tab().get();
        boolean active = activity.state() == BrowserState.ACTIVE;
        if (!active && !tab.audible()) {
            return Optional.empty(); // a silent tab in the background is not browsing
        }
        WebSpanState state = tab.excluded() ? WebSpanState.EXCLUDED
                : active || audibleCountsAsActive ? WebSpanState.ACTIVE : WebSpanState.AUDIBLE;
        return Optional.of(new WebSpan(activity.at(), activity.at(), state, activity.browserName(),
                activity.browserVersion(), tab.domain(), tab.url(), tab.title(), tab.audible(), true));
    }

    private static boolean samePage(WebSpan a, WebSpan b) {
        return a.state() == b.state() && a.domain().equals(b.domain()) && a.url().equals(b.url())
                && a.title().equals(b.title()) && a.audible() == b.audible()
                && a.browserVersion().equals(b.browserVersion());
    }

    private static WebSpan withEnd(WebSpan span, Instant end) {
        return new WebSpan(span.start(), end, span.state(), span.browserName(), span.browserVersion(), span.domain(),
                span.url(), span.title(), span.audible(), true);
    }

    private void ensureOpen() {
        if (closed) {
            throw new SpanBufferException("the web span tracker is closed");
        }
    }

    private record OpenSpan(long id, WebSpan span) {}
}
