package com.xentracker.collector.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The heartbeat rule for web spans, stored in a real SQLite file. Heartbeat 30 s, so the pulse time is 45 s. */
class WebSpanTrackerTest {

    private static final Instant T0 = Instant.parse("2025-03-10T09:00:00Z");

    @TempDir
    Path dir;

    private final AtomicReference<WebPolicy> policy = new AtomicReference<>(WebPolicy.defaults());
    private WebSpanTracker tracker;

    private WebSpanTracker tracker() {
        if (tracker == null) {
            tracker = WebSpanTracker.open(dir.resolve("web.db"), Duration.ofSeconds(30), policy::get);
        }
        return tracker;
    }

    @AfterEach
    void close() {
        if (tracker != null) {
            tracker.close();
        }
    }

    private static BrowserActivity at(int seconds, BrowserState state, String domain, boolean audible) {
        return at(seconds, "Chromium", state, domain, audible);
    }

    private static BrowserActivity at(int seconds, String browser, BrowserState state, String domain,
            boolean audible) {
        return new BrowserActivity(T0.plusSeconds(seconds), state, browser, "156",
                domain == null ? Optional.empty() : Optional.of(WebTab.of(domain, audible)));
    }

    private static BrowserActivity active(int seconds, String domain) {
        return at(seconds, BrowserState.ACTIVE, domain, false);
    }

    private void send(BrowserActivity... activities) {
        tracker().accept(List.of(activities));
    }

    private List<WebSpan> spans() {
        return tracker().spans();
    }

    @Test
    void switchingTabsClosesTheSpanAtTheSwitch() {
        send(active(0, "a.example"), active(30, "a.example"), active(40, "b.example"));

        assertThat(spans()).extracting(WebSpan::domain, WebSpan::start, WebSpan::end, WebSpan::open).containsExactly(
                tuple("a.example", T0, T0.plusSeconds(40), false),
                tuple("b.example", T0.plusSeconds(40), T0.plusSeconds(40), true));
    }

    @Test
    void heartbeatsWithinThePulseTimeExtendTheSpan() {
        send(active(0, "a.example"));
        send(active(30, "a.example"));
        send(active(75, "a.example"));

        assertThat(spans()).singleElement().extracting(WebSpan::end).isEqualTo(T0.plusSeconds(75));
    }

    @Test
    void gapLongerThanThePulseTimeEndsTheSpanAtItsLastHeartbeat() {
        send(active(0, "a.example"), active(30, "a.example"), active(300, "a.example"));

        assertThat(spans()).extracting(WebSpan::start, WebSpan::end).containsExactly(
                tuple(T0, T0.plusSeconds(30)), tuple(T0.plusSeconds(300), T0.plusSeconds(300)));
    }

    @Test
    void losingFocusOrGoingIdleOrAPageWithoutDomainStopsTheSpan() {
        send(active(0, "a.example"), at(10, BrowserState.UNFOCUSED, null, false),
                active(20, "a.example"), at(25, BrowserState.IDLE, null, false),
                active(30, "a.example"), active(35, null));

        assertThat(spans()).extracting(WebSpan::start, WebSpan::end, WebSpan::open).containsExactly(
                tuple(T0, T0.plusSeconds(10), false),
                tuple(T0.plusSeconds(20), T0.plusSeconds(25), false),
                tuple(T0.plusSeconds(30), T0.plusSeconds(35), false));
    }

    @Test
    void soundInTheBackgroundIsAudibleNotBrowsing() {
        send(at(0, BrowserState.UNFOCUSED, "radio.example", true), at(30, BrowserState.UNFOCUSED, "radio.example", true),
                at(40, BrowserState.UNFOCUSED, "quiet.example", false));

        assertThat(spans()).singleElement().satisfies(span -> {
            assertThat(span.state()).isEqualTo(WebSpanState.AUDIBLE);
            assertThat(span.end()).isEqualTo(T0.plusSeconds(40));
        });
    }

    @Test
    void policyCanCountSoundAsBrowsing() {
        policy.set(new WebPolicy(false, false, java.util.Set.of(), true));

        send(at(0, BrowserState.IDLE, "call.example", true));

        assertThat(spans()).singleElement().extracting(WebSpan::state).isEqualTo(WebSpanState.ACTIVE);
    }

    @Test
    void excludedTabIsKeptAsTimeOnly() {
        send(new BrowserActivity(T0, BrowserState.ACTIVE, "Chromium", "156", Optional.of(WebTab.excluded(false))),
                active(20, "a.example"));

        assertThat(spans()).extracting(WebSpan::state, WebSpan::domain, WebSpan::end).containsExactly(
                tuple(WebSpanState.EXCLUDED, "", T0.plusSeconds(20)), tuple(WebSpanState.ACTIVE, "a.example", T0.plusSeconds(20)));
    }

    @Test
    void eventsOlderThanTheLastOneAreIgnored() {
        send(active(0, "a.example"), active(20, "b.example"));
        send(active(10, "c.example"));

        assertThat(spans()).extracting(WebSpan::domain).containsExactly("a.example", "b.example");
    }

    @Test
    void browsersAreTrackedSeparately() {
        send(at(0, "Google Chrome", BrowserState.ACTIVE, "a.example", false),
                at(5, "Microsoft Edge", BrowserState.ACTIVE, "b.example", false),
                at(10, "Google Chrome", BrowserState.ACTIVE, "a.example", false));

        assertThat(spans()).extracting(WebSpan::browserName, WebSpan::domain, WebSpan::end).containsExactly(
                tuple("Google Chrome", "a.example", T0.plusSeconds(10)),
                tuple("Microsoft Edge", "b.example", T0.plusSeconds(5)));
    }

    @Test
    void spansSurviveTheAgentAndAreClosedAtTheirLastHeartbeatOnReopen() {
        send(active(0, "a.example"), active(30, "a.example"));
        tracker.close();
        tracker = null;

        send(active(40, "a.example"));

        assertThat(spans()).extracting(WebSpan::start, WebSpan::end, WebSpan::open).containsExactly(
                tuple(T0, T0.plusSeconds(30), false), tuple(T0.plusSeconds(40), T0.plusSeconds(40), true));
    }

    @Test
    void staleSpansAreClosed() {
        send(active(0, "a.example"));

        tracker().closeStale(T0.plusSeconds(30));
        assertThat(spans()).singleElement().extracting(WebSpan::open).isEqualTo(true);
        tracker().closeStale(T0.plusSeconds(46));
        assertThat(spans()).singleElement().extracting(WebSpan::open, WebSpan::end).containsExactly(false, T0);
    }

    @Test
    void urlAndTitleChangesStartANewSpan() {
        BrowserActivity first = new BrowserActivity(T0, BrowserState.ACTIVE, "Chromium", "156", Optional.of(
                new WebTab("a.example", Optional.of("https://a.example/1"), Optional.empty(), false, false)));
        BrowserActivity second = new BrowserActivity(T0.plusSeconds(5), BrowserState.ACTIVE, "Chromium", "156",
                Optional.of(new WebTab("a.example", Optional.of("https://a.example/2"), Optional.empty(), false,
                        false)));

        send(first, second);

        assertThat(spans()).extracting(s -> s.url().orElseThrow()).containsExactly("https://a.example/1",
                "https://a.example/2");
    }
}
