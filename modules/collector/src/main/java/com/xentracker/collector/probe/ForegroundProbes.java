package com.xentracker.collector.probe;

import com.xentracker.collector.ProbeUnavailableException;
import com.xentracker.collector.probe.CaptureAvailability.Reason;
import com.xentracker.collector.probe.macos.MacForegroundProbe;
import com.xentracker.collector.probe.windows.WindowsForegroundProbe;
import com.xentracker.collector.probe.x11.X11ForegroundProbe;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Picks the foreground probe for the session the agent runs in, once at start-up, or says plainly why there is none.
 *
 * <p>By {@code os.name}: Linux → X11 (by the environment, see {@link #forSession}), Windows → Win32, macOS → AppKit
 * and CoreGraphics. Anything else, and Wayland, cannot be observed. Two styles: {@link #forCurrentSession()} throws
 * {@link ProbeUnavailableException} (for {@code run}, which cannot work without a probe), and
 * {@link #selectForCurrentSession()} returns the {@link CaptureAvailability} as data (for an agent that keeps running
 * and reports that it cannot observe, and for {@code status}).
 */
public final class ForegroundProbes {

    private ForegroundProbes() {}

    /** The probe for this process: its {@code os.name} and its {@code DISPLAY}, {@code WAYLAND_DISPLAY}, {@code XDG_SESSION_TYPE}. */
    public static ForegroundProbe forCurrentSession() {
        return forSession(System.getProperty("os.name", ""), System.getenv());
    }

    /**
     * The probe for a session described by an operating-system name (as in {@code os.name}) and environment
     * variables; only {@code DISPLAY}, {@code WAYLAND_DISPLAY} and {@code XDG_SESSION_TYPE} are read, and only on
     * Linux.
     *
     * @throws ProbeUnavailableException when no probe can run there; its {@link ProbeUnavailableException#availability()}
     *                                    says why
     */
    public static ForegroundProbe forSession(String osName, Map<String, String> environment) {
        Choice choice = choose(osName, environment);
        if (choice instanceof Choice.X11 x11) {
            return x11(x11.display());
        }
        if (choice instanceof Choice.Windows) {
            return WindowsForegroundProbe.open();
        }
        if (choice instanceof Choice.MacOs) {
            return MacForegroundProbe.open();
        }
        throw new ProbeUnavailableException(((Choice.Unavailable) choice).availability());
    }

    /**
     * The probe for this process's session, or why there is none, without throwing for an unobservable session.
     * The caller owns the probe.
     */
    public static ProbeSelection selectForCurrentSession() {
        return selectForSession(System.getProperty("os.name", ""), System.getenv());
    }

    /** As {@link #forSession}, with "cannot observe here" as data instead of an exception. */
    public static ProbeSelection selectForSession(String osName, Map<String, String> environment) {
        try {
            return ProbeSelection.of(forSession(osName, environment));
        } catch (ProbeUnavailableException e) {
            return ProbeSelection.unavailable(e.availability());
        }
    }

    /**
     * The X11 probe on the named display (e.g. {@code :0}).
     *
     * @throws ProbeUnavailableException when the display cannot be opened or lacks what the probe needs
     */
    public static ForegroundProbe x11(String displayName) {
        Objects.requireNonNull(displayName, "displayName");
        return X11ForegroundProbe.open(displayName);
    }

    /** Which probe fits the session: the decision alone, without loading or opening anything. */
    static Choice choose(String osName, Map<String, String> environment) {
        Objects.requireNonNull(osName, "osName");
        Objects.requireNonNull(environment, "environment");
        String os = osName.strip().toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            return new Choice.Windows();
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return new Choice.MacOs();
        }
        if (!os.startsWith("linux")) {
            return new Choice.Unavailable(CaptureAvailability.unavailable(Reason.UNSUPPORTED_OPERATING_SYSTEM,
                    "this agent observes Linux (X11), Windows and macOS; " + osName + " is not supported"));
        }
        String display = blankToEmpty(environment.get("DISPLAY"));
        String sessionType = blankToEmpty(environment.get("XDG_SESSION_TYPE")).toLowerCase(Locale.ROOT);
        // Wayland wins even when DISPLAY is set: that DISPLAY is XWayland's, which shows only the X11 applications
        // (a terminal, an old toolkit) and has no idea which native Wayland window has the focus. Its answers would
        // be wrong most of the time while looking plausible: no data is better than garbage. WAYLAND_DISPLAY alone
        // counts unless the login manager says the session is X11 (a nested compositor's variable leaking into an
        // X11 session).
        boolean wayland = sessionType.equals("wayland")
                || (!blankToEmpty(environment.get("WAYLAND_DISPLAY")).isEmpty() && !sessionType.equals("x11"));
        if (wayland) {
            return new Choice.Unavailable(CaptureAvailability.unavailable(Reason.WAYLAND_SESSION,
                    "this is a Wayland session: Wayland does not let one application see which other application"
                            + " has the focus, so this agent cannot record activity here (XWayland would show X11"
                            + " applications only, which would be wrong). Log in with an X11 session (\"GNOME on"
                            + " Xorg\" or similar) to be recorded"));
        }
        if (display.isEmpty()) {
            return new Choice.Unavailable(CaptureAvailability.unavailable(Reason.NO_DISPLAY,
                    "no graphical session: DISPLAY is not set. Run the agent inside the user's desktop session"
                            + " (it starts with the desktop login), not from a service or an SSH login"));
        }
        return new Choice.X11(display);
    }

    private static String blankToEmpty(String value) {
        return value == null ? "" : value.strip();
    }

    /** The outcome of {@link #choose}. */
    interface Choice {
        record X11(String display) implements Choice {}

        record Windows() implements Choice {}

        record MacOs() implements Choice {}

        record Unavailable(CaptureAvailability availability) implements Choice {}
    }
}
