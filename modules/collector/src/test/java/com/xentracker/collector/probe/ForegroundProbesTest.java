package com.xentracker.collector.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.collector.ProbeUnavailableException;
import com.xentracker.collector.probe.CaptureAvailability.Reason;
import com.xentracker.collector.probe.CaptureAvailability.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The factory's choice by OS and environment, and how it says plainly why a session cannot be observed. */
class ForegroundProbesTest {

    @Test
    void theOperatingSystemNameChoosesTheImplementation() {
        assertThat(ForegroundProbes.choose("Windows 11", Map.of())).isEqualTo(new ForegroundProbes.Choice.Windows());
        assertThat(ForegroundProbes.choose("Windows Server 2022", Map.of("DISPLAY", ":0")))
                .isEqualTo(new ForegroundProbes.Choice.Windows());
        assertThat(ForegroundProbes.choose("Mac OS X", Map.of())).isEqualTo(new ForegroundProbes.Choice.MacOs());
        assertThat(ForegroundProbes.choose("Darwin", Map.of())).isEqualTo(new ForegroundProbes.Choice.MacOs());
        assertThat(ForegroundProbes.choose("Linux", Map.of("DISPLAY", ":3")))
                .isEqualTo(new ForegroundProbes.Choice.X11(":3"));
    }

    @Test
    void otherOperatingSystemsAreUnsupported() {
        for (String os : new String[] {"FreeBSD", "SunOS", "AIX", ""}) {
            assertThat(unavailability(ForegroundProbes.choose(os, Map.of("DISPLAY", ":0"))).reason())
                    .contains(Reason.UNSUPPORTED_OPERATING_SYSTEM);
        }
        assertThatThrownBy(() -> ForegroundProbes.forSession("FreeBSD", Map.of("DISPLAY", ":0")))
                .isInstanceOfSatisfying(ProbeUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProbeUnavailableException.Reason.UNSUPPORTED_OPERATING_SYSTEM))
                .hasMessageContaining("FreeBSD");
    }

    @Test
    void linuxWithoutDisplayIsReportedAsNoDisplay() {
        assertThatThrownBy(() -> ForegroundProbes.forSession("Linux", Map.of("XDG_SESSION_TYPE", "tty")))
                .isInstanceOfSatisfying(ProbeUnavailableException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ProbeUnavailableException.Reason.NO_DISPLAY);
                    assertThat(e.availability().reason()).contains(Reason.NO_DISPLAY);
                })
                .hasMessageContaining("DISPLAY is not set");
    }

    @Test
    void waylandSessionWithoutXwaylandIsReportedAsWayland() {
        assertThat(unavailability(ForegroundProbes.choose("Linux", Map.of("XDG_SESSION_TYPE", "wayland"))).reason())
                .contains(Reason.WAYLAND_SESSION);
        assertThat(unavailability(ForegroundProbes.choose("Linux", Map.of("WAYLAND_DISPLAY", "wayland-0"))).reason())
                .contains(Reason.WAYLAND_SESSION);
    }

    @Test
    void waylandWinsEvenWhenXwaylandSetsDisplay() {
        // a display nobody listens on: had the factory tried X11, the reason would be DISPLAY_UNREACHABLE
        String display = ":" + unusedDisplayNumber();
        for (Map<String, String> environment : java.util.List.of(
                Map.of("DISPLAY", display, "XDG_SESSION_TYPE", "wayland"),
                Map.of("DISPLAY", display, "WAYLAND_DISPLAY", "wayland-0"),
                Map.of("DISPLAY", display, "WAYLAND_DISPLAY", "wayland-0", "XDG_SESSION_TYPE", "Wayland"))) {
            assertThatThrownBy(() -> ForegroundProbes.forSession("Linux", environment))
                    .isInstanceOfSatisfying(ProbeUnavailableException.class,
                            e -> assertThat(e.availability().reason()).contains(Reason.WAYLAND_SESSION))
                    .hasMessageContaining("Wayland")
                    .hasMessageContaining("XWayland");
        }
    }

    @Test
    void anX11SessionTypeOverridesAStrayWaylandDisplay() {
        assertThat(ForegroundProbes.choose("Linux",
                Map.of("DISPLAY", ":5", "WAYLAND_DISPLAY", "wayland-1", "XDG_SESSION_TYPE", "x11")))
                .isEqualTo(new ForegroundProbes.Choice.X11(":5"));
    }

    @Test
    void selectingReportsAnUnobservableSessionAsDataWithoutAProbe() {
        ProbeSelection selection = ForegroundProbes.selectForSession("Linux",
                Map.of("DISPLAY", ":0", "XDG_SESSION_TYPE", "wayland"));

        assertThat(selection.probe()).isEmpty();
        assertThat(selection.availability().state()).isEqualTo(State.UNAVAILABLE);
        assertThat(selection.availability().reason()).contains(Reason.WAYLAND_SESSION);
        assertThat(selection.availability().explanation()).contains("Wayland");
    }

    @Test
    void theWindowsProbeOnAMachineWithoutUser32ReportsTheMissingLibrary() {
        assumeNotOn("windows");
        ProbeSelection selection = ForegroundProbes.selectForSession("Windows 11", Map.of());

        assertThat(selection.probe()).isEmpty();
        assertThat(selection.availability().reason()).contains(Reason.MISSING_LIBRARY_OR_EXTENSION);
        assertThat(selection.availability().explanation()).contains("user32");
    }

    @Test
    void theMacProbeOnAMachineWithoutItsFrameworksReportsTheMissingLibrary() {
        assumeNotOn("mac");
        ProbeSelection selection = ForegroundProbes.selectForSession("Mac OS X", Map.of());

        assertThat(selection.probe()).isEmpty();
        assertThat(selection.availability().reason()).contains(Reason.MISSING_LIBRARY_OR_EXTENSION);
        assertThat(selection.availability().explanation()).contains("macOS frameworks");
    }

    @Test
    void displayWithoutAnXServerIsReportedAsUnreachable() {
        int unused = unusedDisplayNumber();

        assertThatThrownBy(() -> ForegroundProbes.forSession("Linux", Map.of("DISPLAY", ":" + unused)))
                .isInstanceOfSatisfying(ProbeUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProbeUnavailableException.Reason.DISPLAY_UNREACHABLE))
                .hasMessageContaining(":" + unused);
    }

    private static CaptureAvailability unavailability(ForegroundProbes.Choice choice) {
        assertThat(choice).isInstanceOf(ForegroundProbes.Choice.Unavailable.class);
        CaptureAvailability availability = ((ForegroundProbes.Choice.Unavailable) choice).availability();
        assertThat(availability.state()).isEqualTo(State.UNAVAILABLE);
        return availability;
    }

    private static void assumeNotOn(String os) {
        // on that OS the library loads and the outcome depends on the machine; this test is about the others
        Assumptions.assumeFalse(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith(os),
                "runs on other operating systems");
    }

    private static int unusedDisplayNumber() {
        return IntStream.range(4100, 4200)
                .filter(n -> !Files.exists(Path.of("/tmp/.X11-unix/X" + n)) && !Files.exists(Path.of("/tmp/.X" + n + "-lock")))
                .findFirst().orElseThrow();
    }
}
