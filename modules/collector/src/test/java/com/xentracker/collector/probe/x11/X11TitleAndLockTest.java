package com.xentracker.collector.probe.x11;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.collector.probe.CaptureAvailability;
import com.xentracker.collector.probe.ForegroundProbe;
import com.xentracker.collector.probe.ForegroundProbes;
import com.xentracker.collector.probe.ForegroundWindow;
import com.xentracker.collector.probe.Observation;
import com.xentracker.collector.probe.ProbeSelection;
import com.xentracker.testing.x11.XServerExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Where the X11 probe reads the title from (_NET_WM_NAME, then WM_NAME, each decoded right), and the screen saver as
 * the lock state, against real windows on Xvfb with openbox.
 */
class X11TitleAndLockTest {

    @RegisterExtension
    static final XServerExtension X = XServerExtension.withWindowManager();

    private static final String GREETING = "Gr\u00fc\u00dfe \u2713 net"; // "Grüße ✓ net": not Latin-1, not ASCII
    private static final String CAFE = "Caf\u00e9 legacy"; // "Café legacy": Latin-1

    @Test
    void xtermAloneSetsOnlyWmNameAndThatIsTheTitle() {
        XServerExtension.requireTools(List.of("xprop"));
        String title = X11ForegroundProbeTest.uniqueTitle();
        long window = X.xterm(title);
        X.activate(window);

        // the precondition, from the X server itself: xterm sets WM_NAME and no _NET_WM_NAME
        assertThat(X.run("xprop", "-id", Long.toString(window), "_NET_WM_NAME")).contains("not found");
        try (ForegroundProbe probe = ForegroundProbes.x11(X.display())) {
            assertThat(probe.observe().foreground().flatMap(ForegroundWindow::title)).contains(title);
        }
    }

    @Test
    void netWmNameWinsOverWmNameAndIsReadAsUtf8() {
        long window = X.xterm(X11ForegroundProbeTest.uniqueTitle());
        X.activate(window);
        try (WindowProperties properties = new WindowProperties(X.display());
                ForegroundProbe probe = ForegroundProbes.x11(X.display())) {
            properties.set(window, "WM_NAME", "STRING", "legacy".getBytes(StandardCharsets.ISO_8859_1));
            properties.set(window, "_NET_WM_NAME", "UTF8_STRING", GREETING.getBytes(StandardCharsets.UTF_8));

            assertThat(probe.observe().foreground().flatMap(ForegroundWindow::title)).contains(GREETING);
        }
    }

    @Test
    void netWmNameDeclaredAsStringIsStillUtf8() {
        // xdotool set_window --name stores _NET_WM_NAME with type STRING but UTF-8 bytes
        long window = X.xterm(X11ForegroundProbeTest.uniqueTitle());
        X.activate(window);
        try (WindowProperties properties = new WindowProperties(X.display());
                ForegroundProbe probe = ForegroundProbes.x11(X.display())) {
            properties.set(window, "WM_NAME", "STRING", "legacy".getBytes(StandardCharsets.ISO_8859_1));
            properties.set(window, "_NET_WM_NAME", "STRING", GREETING.getBytes(StandardCharsets.UTF_8));

            assertThat(probe.observe().foreground().flatMap(ForegroundWindow::title)).contains(GREETING);
        }
    }

    @Test
    void withoutNetWmNameTheTitleIsWmNameReadAsLatin1() {
        long window = X.xterm(X11ForegroundProbeTest.uniqueTitle());
        X.activate(window);
        try (WindowProperties properties = new WindowProperties(X.display());
                ForegroundProbe probe = ForegroundProbes.x11(X.display())) {
            properties.set(window, "_NET_WM_NAME", "UTF8_STRING", GREETING.getBytes(StandardCharsets.UTF_8));
            properties.set(window, "WM_NAME", "STRING", CAFE.getBytes(StandardCharsets.ISO_8859_1));
            assertThat(probe.observe().foreground().flatMap(ForegroundWindow::title)).contains(GREETING);

            properties.remove(window, "_NET_WM_NAME");

            assertThat(probe.observe().foreground().flatMap(ForegroundWindow::title)).contains(CAFE);
        }
    }

    @Test
    void wmNameOfTypeUtf8StringIsReadAsUtf8() {
        long window = X.xterm(X11ForegroundProbeTest.uniqueTitle());
        X.activate(window);
        try (WindowProperties properties = new WindowProperties(X.display());
                ForegroundProbe probe = ForegroundProbes.x11(X.display())) {
            properties.set(window, "WM_NAME", "UTF8_STRING", GREETING.getBytes(StandardCharsets.UTF_8));

            assertThat(probe.observe().foreground().flatMap(ForegroundWindow::title)).contains(GREETING);
        }
    }

    @Test
    void screenSaverOnIsALockedSessionWithoutApplicationUntilItIsReset() {
        XServerExtension.requireTools(List.of("xset"));
        String title = X11ForegroundProbeTest.uniqueTitle();
        long window = X.xterm(title);
        X.activate(window);
        try (ForegroundProbe probe = ForegroundProbes.x11(X.display())) {
            assertThat(probe.observe().locked()).isFalse();

            X.run("xset", "s", "activate");
            Observation locked = probe.observe();

            X.run("xset", "s", "reset");
            Observation unlocked = probe.observe();

            assertThat(locked.locked()).isTrue();
            assertThat(locked.foreground()).isEmpty();
            assertThat(unlocked.locked()).isFalse();
            assertThat(unlocked.foreground().flatMap(ForegroundWindow::title)).contains(title);
        } finally {
            X.run("xset", "s", "reset"); // the server outlives this test
        }
    }

    @Test
    void selectingOnAnX11SessionGivesAnAvailableProbe() {
        ProbeSelection selection = ForegroundProbes.selectForSession("Linux",
                Map.of("DISPLAY", X.display(), "XDG_SESSION_TYPE", "x11"));
        try (ForegroundProbe probe = selection.probe().orElseThrow()) {
            assertThat(selection.availability().state()).isEqualTo(CaptureAvailability.State.AVAILABLE);
            assertThat(selection.availability().explanation()).contains("X11 display " + X.display());
            assertThat(probe.availability()).isEqualTo(selection.availability());
        }
    }
}
