package com.xentracker.collector.probe.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.collector.ProbeFailedException;
import com.xentracker.collector.ProbeUnavailableException;
import com.xentracker.collector.probe.CaptureAvailability;
import com.xentracker.collector.probe.ForegroundWindow;
import com.xentracker.collector.probe.Observation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The Windows probe's decisions against a fake user32/kernel32. The real native layer ({@link JnaWindowsApi}) is not
 * exercised here: it needs a Windows desktop.
 */
class WindowsForegroundProbeTest {

    private static final String WORD = "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE";
    private static final String FRAME_HOST = "C:\\Windows\\System32\\ApplicationFrameHost.exe";
    private static final String CALCULATOR =
            "C:\\Program Files\\WindowsApps\\Microsoft.WindowsCalculator_11.2405.2.0_x64__8wekyb3d8bbwe\\CalculatorApp.exe";
    private static final String LOCK_APP =
            "C:\\Windows\\SystemApps\\Microsoft.LockApp_cw5n1h2txyewy\\LockApp.exe";

    private final FakeWindowsApi desktop = new FakeWindowsApi().ticks(10_000, 10_000);

    @Test
    void reportsTheForegroundApplicationByItsLowerCasedExecutableName() {
        desktop.process(4242, WORD).window(0x1001, 4242, "Quarterly report.docx - Word").foreground(0x1001);

        ForegroundWindow window = observe().foreground().orElseThrow();

        assertThat(window.application()).isEqualTo("winword");
        assertThat(window.executable().map(Path::toString)).contains(WORD);
        assertThat(window.pid()).hasValue(4242);
        assertThat(window.title()).contains("Quarterly report.docx - Word");
    }

    @Test
    void aWindowWithoutTitleHasNoTitle() {
        desktop.process(7, WORD).window(0x1001, 7, "").foreground(0x1001);

        assertThat(observe().foreground().orElseThrow().title()).isEmpty();
    }

    @Test
    void aUwpFrameIsResolvedToTheAppInsideIt() {
        desktop.process(100, FRAME_HOST).process(200, CALCULATOR)
                // the frame's own child belongs to the frame host; the app's core window to the app
                .window(0x2000, 100, "Calculator", 0x2001L, 0x2002L)
                .window(0x2001, 100, "")
                .window(0x2002, 200, "Calculator core")
                .foreground(0x2000);

        ForegroundWindow window = observe().foreground().orElseThrow();

        assertThat(window.application()).isEqualTo("calculatorapp");
        assertThat(window.pid()).hasValue(200);
        assertThat(window.executable().map(Path::toString)).contains(CALCULATOR);
        assertThat(window.title()).contains("Calculator"); // the frame's title, as the user sees it
    }

    @Test
    void aUwpFrameWithoutTitleTakesTheAppWindowsTitle() {
        desktop.process(100, FRAME_HOST).process(200, CALCULATOR)
                .window(0x2000, 100, "", 0x2002L)
                .window(0x2002, 200, "Calculator core")
                .foreground(0x2000);

        assertThat(observe().foreground().orElseThrow().title()).contains("Calculator core");
    }

    @Test
    void aUwpFrameWhoseAppHasNoWindowYetStaysTheFrameHost() {
        desktop.process(100, FRAME_HOST).window(0x2000, 100, "Settings", 0x2001L).window(0x2001, 100, "")
                .foreground(0x2000);

        ForegroundWindow window = observe().foreground().orElseThrow();

        assertThat(window.application()).isEqualTo("applicationframehost");
        assertThat(window.pid()).hasValue(100);
    }

    @Test
    void noForegroundWindowIsALockedSessionNotAnApp() {
        desktop.process(7, WORD).window(0x1001, 7, "doc").foreground(0);

        Observation observation = observe();

        assertThat(observation.locked()).isTrue();
        assertThat(observation.foreground()).isEmpty();
    }

    @Test
    void theLockScreenIsALockedSessionNotAnApp() {
        desktop.process(900, LOCK_APP).window(0x3000, 900, "Windows Default Lock Screen").foreground(0x3000);

        Observation observation = observe();

        assertThat(observation.locked()).isTrue();
        assertThat(observation.foreground()).isEmpty();
    }

    @Test
    void anInputDesktopOtherThanTheUsersIsALockedSession() {
        desktop.process(7, WORD).window(0x1001, 7, "doc").foreground(0x1001);
        desktop.usersDesktop = false; // Winlogon: locked, Ctrl+Alt+Del or a UAC prompt

        Observation observation = observe();

        assertThat(observation.locked()).isTrue();
        assertThat(observation.foreground()).isEmpty();
    }

    @Test
    void aWindowThatClosedMeanwhileOrAProtectedProcessIsNoApplicationAndNotLocked() {
        desktop.foreground(0x9999); // no such window any more: GetWindowThreadProcessId gives 0
        Observation vanished = observe();
        desktop.window(0x1001, 55, "antivirus").foreground(0x1001); // process 55's image is not readable
        Observation protectedProcess = observe();

        assertThat(vanished.foreground()).isEmpty();
        assertThat(vanished.locked()).isFalse();
        assertThat(protectedProcess.foreground()).isEmpty();
        assertThat(protectedProcess.locked()).isFalse();
    }

    @Test
    void idleIsTheTimeSinceTheLastInputAlsoWhileLocked() {
        desktop.ticks(1_000, 181_000).foreground(0);

        assertThat(observe().idle()).isEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void idleSurvivesTheTickCountWrappingAt2To32() {
        // the last input 256 ms before the wrap, now 256 ms after it
        desktop.process(7, WORD).window(0x1001, 7, "doc").foreground(0x1001).ticks(0xFFFF_FF00, 0x0000_0100);

        assertThat(observe().idle()).isEqualTo(Duration.ofMillis(512));
    }

    @Test
    void idleArithmeticIsModulo2To32() {
        assertThat(WindowsForegroundProbe.idleBetween(5_000, 5_000)).isEqualTo(Duration.ZERO);
        assertThat(WindowsForegroundProbe.idleBetween(1_000, 4_000)).isEqualTo(Duration.ofSeconds(3));
        assertThat(WindowsForegroundProbe.idleBetween(0xFFFF_FFFF, 0)).isEqualTo(Duration.ofMillis(1));
        // just under 2^31 ms without input, across the sign bit of the int
        assertThat(WindowsForegroundProbe.idleBetween(0x0000_0010, 0x8000_0000))
                .isEqualTo(Duration.ofMillis(0x8000_0000L - 0x10));
        // the longest idle a 32-bit tick can express: 49.7 days
        assertThat(WindowsForegroundProbe.idleBetween(0x8000_0000, 0x7FFF_FFFF))
                .isEqualTo(Duration.ofMillis(0xFFFF_FFFFL));
    }

    @Test
    void applicationNamesAreTheExecutableFileNameWithoutExeLowerCased() {
        assertThat(WindowsForegroundProbe.applicationName("C:\\Program Files\\Mozilla Firefox\\firefox.exe"))
                .isEqualTo("firefox");
        assertThat(WindowsForegroundProbe.applicationName("C:\\Apps\\Foo.Bar.EXE")).isEqualTo("foo.bar");
        assertThat(WindowsForegroundProbe.applicationName("\\\\server\\share\\Tool.com")).isEqualTo("tool.com");
        assertThat(WindowsForegroundProbe.applicationName("notepad")).isEqualTo("notepad");
    }

    @Test
    void runningAsAServiceInSessionZeroIsUnavailable() {
        desktop.sessionId = OptionalInt.of(0);

        assertThatThrownBy(() -> WindowsForegroundProbe.open(desktop))
                .isInstanceOfSatisfying(ProbeUnavailableException.class, e -> assertThat(e.availability().reason())
                        .contains(CaptureAvailability.Reason.NO_DISPLAY))
                .hasMessageContaining("service");
    }

    @Test
    void anOpenProbeIsFullyAvailableAndAClosedOneRefusesToObserve() {
        WindowsForegroundProbe probe = WindowsForegroundProbe.open(desktop);
        assertThat(probe.availability().state()).isEqualTo(CaptureAvailability.State.AVAILABLE);

        probe.close();

        assertThatThrownBy(probe::observe).isInstanceOf(ProbeFailedException.class);
    }

    private Observation observe() {
        try (WindowsForegroundProbe probe = WindowsForegroundProbe.open(desktop)) {
            return probe.observe();
        }
    }
}
