package com.xentracker.collector.probe.macos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.collector.ProbeFailedException;
import com.xentracker.collector.ProbeUnavailableException;
import com.xentracker.collector.probe.CaptureAvailability;
import com.xentracker.collector.probe.ForegroundWindow;
import com.xentracker.collector.probe.Observation;
import com.xentracker.collector.probe.macos.MacApi.FrontmostApplication;
import com.xentracker.collector.probe.macos.MacApi.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The macOS probe's decisions against a fake native layer. The real one ({@link JnaMacApi}: Objective-C runtime,
 * CoreGraphics, Accessibility) is not exercised here: it needs a Mac.
 */
class MacForegroundProbeTest {

    private static final String SAFARI = "/Applications/Safari.app/Contents/MacOS/Safari";

    private final FakeMacApi mac = new FakeMacApi();

    @Test
    void reportsTheFrontmostApplicationByItsLowerCasedExecutableNameWithTheAccessibilityTitle() {
        mac.frontmost(501, "Safari", "com.apple.Safari", SAFARI).accessibility = true;
        mac.accessibilityTitles.put(501, "Apple – Start");

        ForegroundWindow window = observe().foreground().orElseThrow();

        assertThat(window.application()).isEqualTo("safari");
        assertThat(window.executable().map(Path::toString)).contains(SAFARI);
        assertThat(window.pid()).hasValue(501);
        assertThat(window.title()).contains("Apple – Start");
    }

    @Test
    void withoutAnyPermissionThereIsNoTitleNotEvenAskedForAndAvailabilitySaysSoPlainly() {
        mac.frontmost(501, "Safari", "com.apple.Safari", SAFARI);
        mac.accessibilityTitles.put(501, "Apple – Start");
        mac.windowListTitles.put(501, "Apple – Start");

        try (MacForegroundProbe probe = MacForegroundProbe.open(mac)) {
            ForegroundWindow window = probe.observe().foreground().orElseThrow();
            CaptureAvailability availability = probe.availability();

            assertThat(window.application()).isEqualTo("safari");
            assertThat(window.title()).isEmpty();
            assertThat(mac.titleRequests).isZero();
            assertThat(availability.state()).isEqualTo(CaptureAvailability.State.LIMITED);
            assertThat(availability.reason()).contains(CaptureAvailability.Reason.WINDOW_TITLE_PERMISSION_MISSING);
            assertThat(availability.explanation()).contains("Accessibility").contains("Privacy & Security");
        }
    }

    @Test
    void screenRecordingAloneGivesTheTitleFromTheWindowList() {
        mac.frontmost(501, "Safari", "com.apple.Safari", SAFARI).screenRecording = true;
        mac.windowListTitles.put(501, "From the window list");

        try (MacForegroundProbe probe = MacForegroundProbe.open(mac)) {
            assertThat(probe.observe().foreground().orElseThrow().title()).contains("From the window list");
            assertThat(probe.availability().state()).isEqualTo(CaptureAvailability.State.AVAILABLE);
        }
    }

    @Test
    void accessibilityIsPreferredAndTheWindowListFillsInWhenItHasNoFocusedWindow() {
        mac.frontmost(501, "Safari", "com.apple.Safari", SAFARI);
        mac.accessibility = true;
        mac.screenRecording = true;
        mac.windowListTitles.put(501, "From the window list");
        mac.accessibilityTitles.put(501, "From Accessibility");
        assertThat(observe().foreground().orElseThrow().title()).contains("From Accessibility");

        mac.accessibilityTitles.clear();

        assertThat(observe().foreground().orElseThrow().title()).contains("From the window list");
    }

    @Test
    void aPermissionGrantedWhileRunningLiftsTheLimitation() {
        mac.frontmost(501, "Safari", "com.apple.Safari", SAFARI);
        mac.accessibilityTitles.put(501, "Apple");
        try (MacForegroundProbe probe = MacForegroundProbe.open(mac)) {
            assertThat(probe.availability().state()).isEqualTo(CaptureAvailability.State.LIMITED);

            mac.accessibility = true; // the user ticks the box in System Settings

            assertThat(probe.availability().state()).isEqualTo(CaptureAvailability.State.AVAILABLE);
            assertThat(probe.observe().foreground().orElseThrow().title()).contains("Apple");
        }
    }

    @Test
    void aLockedScreenIsALockedSessionWithoutApplication() {
        mac.frontmost(501, "Safari", "com.apple.Safari", SAFARI).session = Optional.of(new Session(true, true));
        mac.secondsSinceLastInput = 600;

        Observation observation = observe();

        assertThat(observation.locked()).isTrue();
        assertThat(observation.foreground()).isEmpty();
        assertThat(observation.idle()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aSessionSwitchedAwayFromTheConsoleIsLocked() {
        mac.frontmost(501, "Safari", "com.apple.Safari", SAFARI).session = Optional.of(new Session(false, false));

        assertThat(observe().locked()).isTrue();
    }

    @Test
    void noFrontmostApplicationIsNoForegroundAndNotLocked() {
        Observation observation = observe();

        assertThat(observation.foreground()).isEmpty();
        assertThat(observation.locked()).isFalse();
    }

    @Test
    void theNameFallsBackToTheBundleIdentifierThenTheLocalizedName() {
        assertThat(MacForegroundProbe.applicationName(app(null, "com.example.Tool", "/Apps/Tool.app/Contents/MacOS/ToolX")))
                .contains("toolx");
        assertThat(MacForegroundProbe.applicationName(app("Werkzeug", "com.example.Tool", null)))
                .contains("com.example.tool");
        assertThat(MacForegroundProbe.applicationName(app("Werkzeug", " ", null))).contains("werkzeug");
        assertThat(MacForegroundProbe.applicationName(app(null, null, null))).isEmpty();
    }

    @Test
    void idleSecondsBecomeMillisecondsAndNonsenseBecomesZero() {
        assertThat(MacForegroundProbe.idle(12.3456)).isEqualTo(Duration.ofMillis(12_346));
        assertThat(MacForegroundProbe.idle(0)).isEqualTo(Duration.ZERO);
        assertThat(MacForegroundProbe.idle(-1)).isEqualTo(Duration.ZERO);
        assertThat(MacForegroundProbe.idle(Double.NaN)).isEqualTo(Duration.ZERO);
    }

    @Test
    void outsideAGuiLoginSessionTheProbeIsUnavailable() {
        mac.session = Optional.empty();

        assertThatThrownBy(() -> MacForegroundProbe.open(mac))
                .isInstanceOfSatisfying(ProbeUnavailableException.class, e -> assertThat(e.availability().reason())
                        .contains(CaptureAvailability.Reason.NO_DISPLAY))
                .hasMessageContaining("LaunchAgent");
    }

    @Test
    void aClosedProbeRefusesToObserve() {
        MacForegroundProbe probe = MacForegroundProbe.open(mac);
        probe.close();

        assertThatThrownBy(probe::observe).isInstanceOf(ProbeFailedException.class);
    }

    private static FrontmostApplication app(String localizedName, String bundleIdentifier, String executablePath) {
        return new FrontmostApplication(1, Optional.ofNullable(localizedName), Optional.ofNullable(bundleIdentifier),
                Optional.ofNullable(executablePath));
    }

    private Observation observe() {
        try (MacForegroundProbe probe = MacForegroundProbe.open(mac)) {
            return probe.observe();
        }
    }
}
