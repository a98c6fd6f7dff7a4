package com.xentracker.collector.probe;

import com.xentracker.collector.ProbeUnavailableException;
import com.xentracker.collector.ProbeUnavailableException.Reason;
import com.xentracker.collector.probe.x11.X11ForegroundProbe;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the foreground probe for the session the agent runs in, or says plainly why there is none.
 *
 * <p>Supported: Linux with an X11 display (including XWayland, which shows X11 applications only). Not yet:
 * pure Wayland, Windows, macOS.
 */
public final class ForegroundProbes {

    private static final Logger LOG = LoggerFactory.getLogger(ForegroundProbes.class);

    private ForegroundProbes() {}

    /** The probe for this process: its {@code os.name} and its {@code DISPLAY}, {@code WAYLAND_DISPLAY}, {@code XDG_SESSION_TYPE}. */
    public static ForegroundProbe forCurrentSession() {
        return forSession(System.getProperty("os.name", ""), System.getenv());
    }

    /**
     * The probe for a session described by an operating-system name (as in {@code os.name}) and environment
     * variables; only {@code DISPLAY}, {@code WAYLAND_DISPLAY} and {@code XDG_SESSION_TYPE} are read.
     *
     * @throws ProbeUnavailableException when no probe can run there, with the reason
     */
    public static ForegroundProbe forSession(String osName, Map<String, String> environment) {
        Objects.requireNonNull(osName, "osName");
        Objects.requireNonNull(environment, "environment");
        String os = osName.toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux")) {
            throw new ProbeUnavailableException(Reason.UNSUPPORTED_OPERATING_SYSTEM,
                    "this agent version supports Linux with X11 only; " + osName + " is not supported yet");
        }
        String display = blankToEmpty(environment.get("DISPLAY"));
        boolean wayland = "wayland".equalsIgnoreCase(blankToEmpty(environment.get("XDG_SESSION_TYPE")))
                || !blankToEmpty(environment.get("WAYLAND_DISPLAY")).isEmpty();
        if (display.isEmpty() && wayland) {
            throw new ProbeUnavailableException(Reason.WAYLAND_SESSION,
                    "this is a Wayland session without XWayland (DISPLAY is not set): Wayland does not let an"
                            + " application see other applications' windows, and this agent version has no"
                            + " Wayland support yet. Log in with an X11 session (\"GNOME on Xorg\" or similar)");
        }
        if (display.isEmpty()) {
            throw new ProbeUnavailableException(Reason.NO_DISPLAY,
                    "no graphical session: DISPLAY is not set. Run the agent inside the user's desktop session"
                            + " (it starts with the desktop login), not from a service or an SSH login");
        }
        if (wayland) {
            LOG.warn("Wayland session with XWayland on {}: only X11 applications are visible to the agent", display);
        }
        return x11(display);
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

    private static String blankToEmpty(String value) {
        return value == null ? "" : value.strip();
    }
}
