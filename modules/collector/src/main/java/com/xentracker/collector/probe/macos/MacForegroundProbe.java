package com.xentracker.collector.probe.macos;

import com.xentracker.collector.ProbeFailedException;
import com.xentracker.collector.ProbeUnavailableException;
import com.xentracker.collector.probe.CaptureAvailability;
import com.xentracker.collector.probe.ForegroundProbe;
import com.xentracker.collector.probe.ForegroundWindow;
import com.xentracker.collector.probe.Observation;
import com.xentracker.collector.probe.macos.MacApi.FrontmostApplication;
import com.xentracker.collector.probe.macos.MacApi.Session;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The macOS probe: all decisions, on top of the thin {@link MacApi}.
 *
 * <ul>
 *   <li>Locked (no application) when the session's screen is locked or the session is not on the console (another
 *       user's session is active).</li>
 *   <li>Application: the frontmost application's executable file name, lower-cased ({@code …/Contents/MacOS/Safari}
 *       → {@code safari}), like the lower-cased {@code WM_CLASS} on X11 and the {@code .exe} name on Windows: stable
 *       across languages, unlike {@code localizedName}. Then the bundle identifier, then the localized name.</li>
 *   <li>Title: through Accessibility when it is granted, else through the window list when Screen Recording is; with
 *       neither, no title, and {@link #availability()} says so plainly. Applications, idle time and the lock state
 *       need no permission. The probe never asks for a permission (no prompt); the user or the organization's MDM
 *       grants it.</li>
 * </ul>
 *
 * <p>Public only so that {@code ForegroundProbes} can create it; this package is not exported. Not tested on a real
 * Mac: only this logic is, against a fake {@link MacApi}.
 */
public final class MacForegroundProbe implements ForegroundProbe {

    private final MacApi api;
    private volatile boolean closed;

    private MacForegroundProbe(MacApi api) {
        this.api = api;
    }

    /**
     * The probe on this Mac's frameworks.
     *
     * @throws ProbeUnavailableException when they cannot be loaded (not macOS) or there is no GUI session
     */
    public static ForegroundProbe open() {
        MacApi api;
        try {
            api = JnaMacApi.load();
        } catch (LinkageError e) {
            throw new ProbeUnavailableException(CaptureAvailability.unavailable(
                    CaptureAvailability.Reason.MISSING_LIBRARY_OR_EXTENSION,
                    "cannot load the macOS frameworks (libobjc, AppKit, CoreGraphics, ApplicationServices) through"
                            + " JNA: " + e.getMessage()), e);
        }
        return open(api);
    }

    static MacForegroundProbe open(MacApi api) {
        Objects.requireNonNull(api, "api");
        if (api.session().isEmpty()) {
            throw new ProbeUnavailableException(CaptureAvailability.unavailable(CaptureAvailability.Reason.NO_DISPLAY,
                    "the agent runs outside the user's graphical login session (a launch daemon or an SSH login)."
                            + " Run it as a LaunchAgent, which starts with the user's login"));
        }
        return new MacForegroundProbe(api);
    }

    @Override
    public synchronized Observation observe() {
        if (closed) {
            throw new ProbeFailedException("the macOS probe is closed");
        }
        Duration idle = idle(api.secondsSinceLastInput());
        Optional<Session> session = api.session();
        if (session.isEmpty() || session.get().screenLocked() || !session.get().onConsole()) {
            return Observation.ofLockedSession(idle);
        }
        Optional<FrontmostApplication> frontmost = api.frontmostApplication();
        Optional<String> application = frontmost.flatMap(MacForegroundProbe::applicationName);
        if (application.isEmpty()) {
            return Observation.of(Optional.empty(), idle);
        }
        FrontmostApplication app = frontmost.get();
        boolean hasPid = app.processId() > 0;
        return Observation.of(Optional.of(new ForegroundWindow(application.get(),
                app.executablePath().flatMap(MacForegroundProbe::path),
                hasPid ? OptionalLong.of(app.processId()) : OptionalLong.empty(),
                hasPid ? title(app.processId()) : Optional.empty())), idle);
    }

    @Override
    public CaptureAvailability availability() {
        if (!api.accessibilityTrusted() && !api.screenRecordingAllowed()) {
            return CaptureAvailability.limited(CaptureAvailability.Reason.WINDOW_TITLE_PERMISSION_MISSING,
                    "window titles cannot be read: macOS has not given xentracker-agent the Accessibility"
                            + " permission (or Screen Recording). Applications, idle time and the lock state are"
                            + " recorded without it; titles are recorded only if your organization's policy asks for"
                            + " them, and then need System Settings → Privacy & Security → Accessibility");
        }
        return CaptureAvailability.available("the frontmost application, window title, idle time and lock state are"
                + " observed on this Mac");
    }

    @Override
    public void close() {
        closed = true; // nothing native is held between calls
    }

    @Override
    public String toString() {
        return "MacForegroundProbe";
    }

    private Optional<String> title(int processId) {
        Optional<String> title = Optional.empty();
        if (api.accessibilityTrusted()) {
            title = api.focusedWindowTitle(processId);
        }
        if (title.isEmpty() && api.screenRecordingAllowed()) {
            title = api.frontWindowTitle(processId);
        }
        return title.filter(text -> !text.isEmpty());
    }

    static Duration idle(double seconds) {
        if (!(seconds > 0)) { // also NaN
            return Duration.ZERO;
        }
        return Duration.ofMillis(Math.round(Math.min(seconds, Long.MAX_VALUE / 1000.0) * 1000));
    }

    /** Executable file name, else bundle identifier, else localized name; lower-cased. */
    static Optional<String> applicationName(FrontmostApplication app) {
        return Stream.of(app.executablePath().map(path -> path.substring(path.lastIndexOf('/') + 1)),
                        app.bundleIdentifier(), app.localizedName())
                .flatMap(Optional::stream)
                .map(String::strip)
                .filter(name -> !name.isEmpty())
                .findFirst()
                .map(name -> name.toLowerCase(Locale.ROOT));
    }

    private static Optional<Path> path(String executablePath) {
        try {
            return Optional.of(Path.of(executablePath));
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }
}
