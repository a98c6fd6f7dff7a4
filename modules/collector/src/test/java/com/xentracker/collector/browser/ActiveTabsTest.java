package com.xentracker.collector.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.testing.clock.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which tab belongs to the foreground application, and when a report stops counting. */
class ActiveTabsTest {

    private static final Instant T0 = Instant.parse("2025-03-10T09:00:00Z");
    private static final Optional<Path> CHROMIUM = Optional.of(Path.of("/usr/lib/chromium/chromium"));
    private static final WebTab DOCS = WebTab.of("docs.example.com", false);
    private static final WebTab VIDEO = WebTab.of("video.example.com", true);

    private final MutableClock clock = MutableClock.at(T0);
    private final ActiveTabs tabs = ActiveTabs.create(Duration.ofSeconds(30), clock);

    private static BrowserActivity report(Instant at, BrowserState state, Optional<WebTab> tab) {
        return new BrowserActivity(at, state, "Chromium", "156.0", tab);
    }

    private Optional<WebTab> foreground(String application, Instant now) {
        return tabs.foregroundTab(application, application.equals("chromium") ? CHROMIUM : Optional.empty(), now,
                false);
    }

    @Test
    void theActiveTabOfTheForegroundBrowserCountsForThePulseTimeOfTheHeartbeat() {
        tabs.accept(List.of(report(T0, BrowserState.ACTIVE, Optional.of(DOCS))));

        assertThat(foreground("chromium", T0.plusSeconds(1))).contains(DOCS);
        assertThat(foreground("chromium", T0.plusSeconds(45))).contains(DOCS);
        assertThat(foreground("chromium", T0.plusSeconds(46))).as("stale: no heartbeat within 45 s").isEmpty();
    }

    @Test
    void anotherForegroundApplicationGetsNoPage() {
        tabs.accept(List.of(report(T0, BrowserState.ACTIVE, Optional.of(DOCS))));

        assertThat(foreground("xterm", T0.plusSeconds(1))).isEmpty();
        assertThat(foreground("google-chrome", T0.plusSeconds(1))).isEmpty();
    }

    @Test
    void aBrowserThatLostTheFocusOrIsLockedOrShowsNoWebPageHasNoPage() {
        tabs.accept(List.of(report(T0, BrowserState.ACTIVE, Optional.of(DOCS)),
                report(T0.plusSeconds(2), BrowserState.UNFOCUSED, Optional.of(VIDEO))));
        assertThat(foreground("chromium", T0.plusSeconds(3))).isEmpty();

        tabs.accept(List.of(report(T0.plusSeconds(4), BrowserState.LOCKED, Optional.of(VIDEO))));
        assertThat(foreground("chromium", T0.plusSeconds(5))).isEmpty();

        // an incognito window: the extension does not see it and reports no tab
        tabs.accept(List.of(report(T0.plusSeconds(6), BrowserState.ACTIVE, Optional.empty())));
        assertThat(foreground("chromium", T0.plusSeconds(7))).isEmpty();
    }

    @Test
    void anIdleBrowserKeepsItsAudibleTabOnlyWhenThePolicySaysAudioKeepsActive() {
        tabs.accept(List.of(report(T0, BrowserState.IDLE, Optional.of(VIDEO))));

        assertThat(tabs.foregroundTab("chromium", CHROMIUM, T0.plusSeconds(1), false)).isEmpty();
        assertThat(tabs.foregroundTab("chromium", CHROMIUM, T0.plusSeconds(1), true)).contains(VIDEO);
        tabs.accept(List.of(report(T0.plusSeconds(2), BrowserState.IDLE, Optional.of(DOCS))));
        assertThat(tabs.foregroundTab("chromium", CHROMIUM, T0.plusSeconds(3), true)).as("silent").isEmpty();
    }

    @Test
    void anOlderEventThanTheLatestIsIgnored() {
        tabs.accept(List.of(report(T0.plusSeconds(10), BrowserState.ACTIVE, Optional.of(DOCS))));
        tabs.accept(List.of(report(T0, BrowserState.ACTIVE, Optional.of(VIDEO)))); // a replayed backlog

        assertThat(foreground("chromium", T0.plusSeconds(11))).contains(DOCS);
    }

    @Test
    void theNewestFreshReportOfTheMatchingBrowserWins() {
        tabs.accept(List.of(new BrowserActivity(T0, BrowserState.ACTIVE, "Google Chrome", "1",
                Optional.of(VIDEO))));
        tabs.accept(List.of(report(T0.plusSeconds(1), BrowserState.ACTIVE, Optional.of(DOCS))));

        assertThat(foreground("chromium", T0.plusSeconds(2))).contains(DOCS);
        assertThat(foreground("google-chrome", T0.plusSeconds(2))).contains(VIDEO);
    }

    @Test
    void audibleMeansAFreshReportWithATabPlayingSoundFocusedOrNot() {
        assertThat(tabs.audibleAt(T0)).isFalse();
        tabs.accept(List.of(report(T0, BrowserState.UNFOCUSED, Optional.of(VIDEO))));

        assertThat(tabs.audibleAt(T0.plusSeconds(30))).isTrue();
        assertThat(tabs.audibleAt(T0.plusSeconds(46))).isFalse();
    }

    @Test
    void aFloodOfInventedBrowserNamesIsNotKept() {
        for (int i = 0; i <= ActiveTabs.MAX_BROWSERS; i++) {
            tabs.accept(List.of(new BrowserActivity(T0, BrowserState.ACTIVE, "Browser " + i, "1", Optional.of(DOCS))));
        }
        tabs.accept(List.of(report(T0, BrowserState.ACTIVE, Optional.of(VIDEO))));

        assertThat(foreground("chromium", T0.plusSeconds(1))).contains(VIDEO);
        assertThat(tabs.foregroundTab("browser 1", Optional.empty(), T0.plusSeconds(1), false)).isEmpty();
    }

    @Test
    void theLastReportIsNotedOnTheAgentsClock() {
        assertThat(tabs.lastReport()).isEmpty();
        clock.advance(Duration.ofSeconds(7));

        tabs.accept(List.of(report(T0, BrowserState.ACTIVE, Optional.of(DOCS))));

        assertThat(tabs.lastReport()).contains(T0.plusSeconds(7));
    }
}
