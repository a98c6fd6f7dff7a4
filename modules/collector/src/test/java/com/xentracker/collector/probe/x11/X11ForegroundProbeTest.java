package com.xentracker.collector.probe.x11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.xentracker.collector.probe.ForegroundProbe;
import com.xentracker.collector.probe.ForegroundProbes;
import com.xentracker.collector.probe.ForegroundWindow;
import com.xentracker.collector.probe.Observation;
import com.xentracker.testing.x11.XServerExtension;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The X11 probe against real windows on Xvfb with the openbox window manager. */
class X11ForegroundProbeTest {

    @RegisterExtension
    static final XServerExtension X = XServerExtension.withWindowManager();

    @Test
    void reportsTheActivatedXtermWithTitlePidAndExecutable() {
        String title = uniqueTitle();
        long window = X.xterm(title);
        X.activate(window);

        try (ForegroundProbe probe = ForegroundProbes.forSession("Linux", Map.of("DISPLAY", X.display()))) {
            ForegroundWindow foreground = probe.observe().foreground().orElseThrow();

            assertThat(foreground.application()).isEqualTo("xterm");
            assertThat(foreground.title()).contains(title);
            assertThat(foreground.pid()).hasValue(X.pidOf(window));
            assertThat(foreground.executable()).hasValueSatisfying(
                    executable -> assertThat(executable.getFileName().toString()).isEqualTo("xterm"));
        }
    }

    @Test
    void switchingBetweenWindowsChangesTheObservation() {
        String firstTitle = uniqueTitle();
        String secondTitle = uniqueTitle();
        long first = X.xterm(firstTitle);
        long second = X.xterm(secondTitle, "-class", "XtOther");

        try (ForegroundProbe probe = ForegroundProbes.x11(X.display())) {
            X.activate(first);
            ForegroundWindow seenFirst = probe.observe().foreground().orElseThrow();
            X.activate(second);
            ForegroundWindow seenSecond = probe.observe().foreground().orElseThrow();
            X.activate(first);
            ForegroundWindow seenFirstAgain = probe.observe().foreground().orElseThrow();

            assertThat(seenFirst.application()).isEqualTo("xterm");
            assertThat(seenFirst.title()).contains(firstTitle);
            assertThat(seenSecond.application()).isEqualTo("xtother");
            assertThat(seenSecond.title()).contains(secondTitle);
            assertThat(seenFirstAgain).isEqualTo(seenFirst);
        }
    }

    @Test
    void aVanishedWindowDescribesAsNothingAndTheProbeKeepsWorking() throws Exception {
        long doomed = X.xterm(uniqueTitle());
        X.activate(doomed);
        String survivorTitle = uniqueTitle();
        long survivor = X.xterm(survivorTitle);
        long pid = X.pidOf(doomed);

        try (X11ForegroundProbe probe = (X11ForegroundProbe) ForegroundProbes.x11(X.display())) {
            assertThat(probe.describe(doomed)).isPresent();
            ProcessHandle xterm = ProcessHandle.of(pid).orElseThrow();
            xterm.destroyForcibly();
            xterm.onExit().get(20, TimeUnit.SECONDS);
            XServerExtension.waitUntil(() -> !X.run("xdotool", "search", "--name", ".*").lines()
                    .anyMatch(id -> id.strip().equals(Long.toString(doomed))), "the killed xterm's window to vanish");

            // every request on the dead window id fails with BadWindow; without our error handler Xlib would exit
            assertThat(probe.describe(doomed)).isEmpty();

            X.activate(survivor);
            assertThat(probe.observe().foreground()).hasValueSatisfying(
                    window -> assertThat(window.title()).contains(survivorTitle));
        }
    }

    @Test
    void killingWindowsWhileSamplingNeverFailsAnObservation() throws Exception {
        try (ForegroundProbe probe = ForegroundProbes.x11(X.display())) {
            for (int round = 0; round < 5; round++) {
                long window = X.xterm(uniqueTitle());
                X.activate(window);
                long pid = X.pidOf(window);
                CompletableFuture<Void> sampling = CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 300; i++) {
                        probe.observe();
                    }
                });
                ProcessHandle.of(pid).orElseThrow().destroyForcibly();
                assertThatCode(() -> sampling.get(30, TimeUnit.SECONDS)).doesNotThrowAnyException();
            }
            String title = uniqueTitle();
            X.activate(X.xterm(title));
            assertThat(probe.observe().foreground()).hasValueSatisfying(
                    window -> assertThat(window.title()).contains(title));
        }
    }

    @Test
    void mouseMovementResetsIdleTime() {
        try (ForegroundProbe probe = ForegroundProbes.x11(X.display())) {
            X.run("xdotool", "mousemove", "10", "10");
            XServerExtension.waitUntil(() -> probe.observe().idle().compareTo(Duration.ofMillis(1500)) >= 0,
                    "the X server to count 1.5 s without input");

            X.run("xdotool", "mousemove", "200", "300");
            Observation afterInput = probe.observe();

            assertThat(afterInput.idle()).isLessThan(Duration.ofMillis(1500));
        }
    }

    @Test
    void aClosedProbeRefusesToObserve() {
        ForegroundProbe probe = ForegroundProbes.x11(X.display());
        probe.close();
        probe.close(); // idempotent

        assertThatCode(probe::observe).isInstanceOf(com.xentracker.collector.ProbeFailedException.class);
    }

    static String uniqueTitle() {
        return "xt-probe-" + UUID.randomUUID();
    }
}
