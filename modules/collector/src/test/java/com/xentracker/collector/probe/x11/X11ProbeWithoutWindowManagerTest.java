package com.xentracker.collector.probe.x11;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.collector.probe.ForegroundProbe;
import com.xentracker.collector.probe.ForegroundProbes;
import com.xentracker.collector.probe.ForegroundWindow;
import com.xentracker.testing.x11.XServerExtension;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Without a window manager there is no _NET_ACTIVE_WINDOW: the probe follows the X input focus. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class X11ProbeWithoutWindowManagerTest {

    @RegisterExtension
    static final XServerExtension X = XServerExtension.withoutWindowManager();

    @Test
    @Order(1) // on the fresh server, before any window has had the focus
    void nothingFocusedMeansNoForegroundWindow() {
        try (ForegroundProbe probe = ForegroundProbes.x11(X.display())) {
            assertThat(probe.observe().foreground()).isEmpty();
        }
    }

    @Test
    @Order(2)
    void followsTheInputFocusUpToTheWindowWithAClass() {
        String title = X11ForegroundProbeTest.uniqueTitle();
        String otherTitle = X11ForegroundProbeTest.uniqueTitle();
        long window = X.xterm(title);
        long other = X.xterm(otherTitle, "-class", "XtOther");

        try (ForegroundProbe probe = ForegroundProbes.x11(X.display())) {
            X.focus(window);
            ForegroundWindow focused = probe.observe().foreground().orElseThrow();
            X.focus(other);
            ForegroundWindow focusedOther = probe.observe().foreground().orElseThrow();

            assertThat(focused.application()).isEqualTo("xterm");
            assertThat(focused.title()).contains(title);
            assertThat(focused.pid()).hasValue(X.pidOf(window));
            assertThat(focusedOther.application()).isEqualTo("xtother");
            assertThat(focusedOther.title()).contains(otherTitle);
        }
    }
}
