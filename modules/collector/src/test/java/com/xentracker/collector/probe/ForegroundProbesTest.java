package com.xentracker.collector.probe;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.collector.ProbeUnavailableException;
import com.xentracker.collector.ProbeUnavailableException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The factory says plainly why a session cannot be observed; no X server is involved. */
class ForegroundProbesTest {

    @Test
    void linuxWithoutDisplayIsReportedAsNoDisplay() {
        assertThatThrownBy(() -> ForegroundProbes.forSession("Linux", Map.of("XDG_SESSION_TYPE", "tty")))
                .isInstanceOfSatisfying(ProbeUnavailableException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.reason()).isEqualTo(Reason.NO_DISPLAY))
                .hasMessageContaining("DISPLAY is not set");
    }

    @Test
    void waylandSessionWithoutXwaylandIsReportedAsWayland() {
        assertThatThrownBy(() -> ForegroundProbes.forSession("Linux", Map.of("XDG_SESSION_TYPE", "wayland")))
                .isInstanceOfSatisfying(ProbeUnavailableException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.reason()).isEqualTo(Reason.WAYLAND_SESSION))
                .hasMessageContaining("Wayland");
        assertThatThrownBy(() -> ForegroundProbes.forSession("Linux", Map.of("WAYLAND_DISPLAY", "wayland-0")))
                .isInstanceOfSatisfying(ProbeUnavailableException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.reason()).isEqualTo(Reason.WAYLAND_SESSION));
    }

    @Test
    void otherOperatingSystemsAreNotSupportedYet() {
        for (String os : new String[] {"Windows 11", "Mac OS X"}) {
            assertThatThrownBy(() -> ForegroundProbes.forSession(os, Map.of("DISPLAY", ":0")))
                    .isInstanceOfSatisfying(ProbeUnavailableException.class,
                            e -> org.assertj.core.api.Assertions.assertThat(e.reason())
                                    .isEqualTo(Reason.UNSUPPORTED_OPERATING_SYSTEM))
                    .hasMessageContaining(os);
        }
    }

    @Test
    void displayWithoutAnXServerIsReportedAsUnreachable() {
        int unused = IntStream.range(4100, 4200)
                .filter(n -> !Files.exists(Path.of("/tmp/.X11-unix/X" + n)) && !Files.exists(Path.of("/tmp/.X" + n + "-lock")))
                .findFirst().orElseThrow();

        assertThatThrownBy(() -> ForegroundProbes.forSession("Linux", Map.of("DISPLAY", ":" + unused)))
                .isInstanceOfSatisfying(ProbeUnavailableException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.reason()).isEqualTo(Reason.DISPLAY_UNREACHABLE))
                .hasMessageContaining(":" + unused);
    }
}
