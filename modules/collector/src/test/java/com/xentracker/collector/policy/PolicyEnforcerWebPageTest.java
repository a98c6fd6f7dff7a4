package com.xentracker.collector.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.collector.browser.ActiveTabs;
import com.xentracker.collector.browser.BrowserActivity;
import com.xentracker.collector.browser.BrowserState;
import com.xentracker.collector.browser.WebTab;
import com.xentracker.collector.probe.ForegroundWindow;
import com.xentracker.collector.probe.Observation;
import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.WebPage;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.testing.clock.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The foreground browser's tab as the enforcer attaches it: real {@link ActiveTabs} fed as the endpoint feeds it,
 * observations as the probe delivers them.
 */
class PolicyEnforcerWebPageTest {

    private static final Instant T0 = Instant.parse("2025-03-10T09:00:00Z");
    private static final Duration ACTIVE = Duration.ofSeconds(1);
    private static final Duration IDLE = Duration.ofMinutes(10);
    private static final ForegroundWindow CHROMIUM = new ForegroundWindow("chromium",
            Optional.of(Path.of("/usr/lib/chromium/chromium")), OptionalLong.of(42), Optional.of("Docs - Chromium"));
    private static final ForegroundWindow XTERM = new ForegroundWindow("xterm", Optional.of(Path.of("/usr/bin/xterm")),
            OptionalLong.of(43), Optional.empty());
    private static final Activity BROWSER = Activity.active("chromium", "/usr/lib/chromium/chromium", Optional.empty());
    private static final WebTab DOCS = new WebTab("docs.example.com", Optional.of("https://docs.example.com/a/b"),
            false, false);

    private final AtomicReference<CollectionPolicy> policy = new AtomicReference<>(policy(false, false));
    private final ActiveTabs tabs = ActiveTabs.create(Duration.ofSeconds(30), MutableClock.at(T0));
    private final PolicyEnforcer enforcer = PolicyEnforcer.create(policy::get, Optional::empty, LocalLimits.none(),
            tabs);

    private static CollectionPolicy policy(boolean audibleKeepsActive, boolean collectFullUrls) {
        CollectionPolicy d = CollectionPolicy.defaults();
        return new CollectionPolicy(1, false, List.of(), Set.of(), Optional.empty(), false, d.idleThreshold(),
                audibleKeepsActive, collectFullUrls);
    }

    private void report(BrowserState state, Optional<WebTab> tab) {
        tabs.accept(List.of(new BrowserActivity(T0, state, "Chromium", "156.0", tab)));
    }

    private Activity at(ForegroundWindow window, Duration idle) {
        return enforcer.activityAt(T0.plusSeconds(1), () -> Observation.of(Optional.of(window), idle)).orElseThrow();
    }

    @Test
    void theForegroundBrowsersActiveTabIsAttachedAsItsDomainByDefault() {
        report(BrowserState.ACTIVE, Optional.of(DOCS));

        assertThat(at(CHROMIUM, ACTIVE)).isEqualTo(BROWSER.withPage(WebPage.ofDomain("docs.example.com")));
    }

    @Test
    void theUrlOnlyWhenThePolicyCollectsUrls() {
        policy.set(policy(false, true));
        report(BrowserState.ACTIVE, Optional.of(DOCS));

        assertThat(at(CHROMIUM, ACTIVE)).isEqualTo(
                BROWSER.withPage(WebPage.of("docs.example.com", "https://docs.example.com/a/b")));
    }

    @Test
    void aTabInABackgroundBrowserIsNotBrowsing() {
        report(BrowserState.ACTIVE, Optional.of(DOCS));

        assertThat(at(XTERM, ACTIVE).page()).isEmpty();
    }

    @Test
    void anExcludedDomainMakesTheTimeExcludedWithoutTheApplicationOrSite() {
        report(BrowserState.ACTIVE, Optional.of(WebTab.excluded(false)));

        assertThat(at(CHROMIUM, ACTIVE)).isEqualTo(Activity.of(ActivityState.EXCLUDED));
    }

    @Test
    void aBrowserWithoutAFreshFocusedReportIsRecordedWithoutAPage() {
        report(BrowserState.UNFOCUSED, Optional.of(DOCS));
        assertThat(at(CHROMIUM, ACTIVE)).isEqualTo(BROWSER);

        tabs.accept(List.of(new BrowserActivity(T0.minusSeconds(120), BrowserState.ACTIVE, "Google Chrome", "1",
                Optional.of(DOCS))));
        assertThat(enforcer.activityAt(T0.plusSeconds(1), () -> Observation.of(Optional.of(new ForegroundWindow(
                "google-chrome", Optional.empty(), OptionalLong.empty(), Optional.empty())), ACTIVE)).orElseThrow()
                .page()).as("stale").isEmpty();
    }

    @Test
    void anAudibleTabKeepsThePersonActiveOnlyWhenThePolicySaysSo() {
        WebTab video = WebTab.of("video.example.com", true);
        report(BrowserState.IDLE, Optional.of(video));

        assertThat(at(CHROMIUM, IDLE)).isEqualTo(Activity.of(ActivityState.IDLE));

        policy.set(policy(true, false));
        assertThat(at(CHROMIUM, IDLE)).isEqualTo(BROWSER.withPage(WebPage.ofDomain("video.example.com")));
        // audio in a background browser keeps the person active in the foreground application, not browsing
        assertThat(at(XTERM, IDLE)).isEqualTo(Activity.active("xterm", "/usr/bin/xterm", Optional.empty()));
    }

    @Test
    void withoutSoundIdleStaysIdleWhateverThePolicy() {
        policy.set(policy(true, false));
        report(BrowserState.IDLE, Optional.of(DOCS));

        assertThat(at(CHROMIUM, IDLE)).isEqualTo(Activity.of(ActivityState.IDLE));
    }
}
