package com.xentracker.collector.probe.windows;

import com.xentracker.collector.ProbeFailedException;
import com.xentracker.collector.ProbeUnavailableException;
import com.xentracker.collector.probe.CaptureAvailability;
import com.xentracker.collector.probe.ForegroundProbe;
import com.xentracker.collector.probe.ForegroundWindow;
import com.xentracker.collector.probe.Observation;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The Windows probe: all decisions, on top of the thin {@link WindowsApi}.
 *
 * <ul>
 *   <li>Locked (no application) when the input desktop is not the user's, when no window has the focus
 *       ({@code hwnd == 0}) or when the lock screen ({@code LockApp.exe}) has it.</li>
 *   <li>UWP apps: their frames belong to {@code ApplicationFrameHost.exe}; the app is the process owning a child
 *       window of the frame. While the app has no such child yet (starting, suspended) the frame host is reported.</li>
 *   <li>Application name: the executable's file name without {@code .exe}, lower-cased ({@code WINWORD.EXE} →
 *       {@code winword}), like the lower-cased {@code WM_CLASS} on X11: one application, one name, whatever the
 *       capitalisation. A process whose image cannot be read (protected) gives no foreground window.</li>
 *   <li>Idle: {@code GetTickCount() - GetLastInputInfo().dwTime}, both 32-bit tick counts, subtracted modulo 2^32 so
 *       the wrap every 49.7 days does not matter.</li>
 * </ul>
 *
 * <p>Public only so that {@code ForegroundProbes} can create it; this package is not exported. Not tested on a real
 * Windows: only this logic is, against a fake {@link WindowsApi}.
 */
public final class WindowsForegroundProbe implements ForegroundProbe {

    static final String FRAME_HOST = "applicationframehost";
    static final String LOCK_APP = "lockapp";

    private final WindowsApi api;
    private volatile boolean closed;

    private WindowsForegroundProbe(WindowsApi api) {
        this.api = api;
    }

    /**
     * The probe on this machine's user32 and kernel32.
     *
     * @throws ProbeUnavailableException when they cannot be loaded (not Windows) or the agent runs as a service
     */
    public static ForegroundProbe open() {
        WindowsApi api;
        try {
            api = JnaWindowsApi.load();
        } catch (LinkageError e) {
            throw new ProbeUnavailableException(CaptureAvailability.unavailable(
                    CaptureAvailability.Reason.MISSING_LIBRARY_OR_EXTENSION,
                    "cannot load user32.dll and kernel32.dll through JNA: " + e.getMessage()), e);
        }
        return open(api);
    }

    static WindowsForegroundProbe open(WindowsApi api) {
        Objects.requireNonNull(api, "api");
        if (api.currentSessionId().orElse(-1) == 0) {
            throw new ProbeUnavailableException(CaptureAvailability.unavailable(CaptureAvailability.Reason.NO_DISPLAY,
                    "the agent runs in session 0, as a Windows service, which cannot see the user's desktop. Run it"
                            + " in the user's logon session (it starts with the user's login)"));
        }
        return new WindowsForegroundProbe(api);
    }

    @Override
    public Observation observe() {
        if (closed) {
            throw new ProbeFailedException("the Windows probe is closed");
        }
        Duration idle = idle();
        if (!api.inputDesktopIsTheUsers()) {
            return Observation.ofLockedSession(idle);
        }
        long window = api.foregroundWindow();
        if (window == 0) {
            return Observation.ofLockedSession(idle);
        }
        int processId = api.processIdOf(window);
        if (processId == 0) {
            return Observation.of(Optional.empty(), idle); // the window closed between the two calls
        }
        Optional<String> image = api.imagePathOf(processId);
        Optional<String> application = image.map(WindowsForegroundProbe::applicationName);
        String title = api.windowText(window);
        if (application.isPresent() && application.get().equals(FRAME_HOST)) {
            for (long child : api.childWindows(window)) {
                int childProcess = api.processIdOf(child);
                if (childProcess != 0 && childProcess != processId) {
                    Optional<String> childImage = api.imagePathOf(childProcess);
                    if (childImage.isPresent()) {
                        processId = childProcess;
                        image = childImage;
                        application = childImage.map(WindowsForegroundProbe::applicationName);
                        title = title.isEmpty() ? api.windowText(child) : title; // the frame carries the title
                        break;
                    }
                }
            }
        }
        if (application.isPresent() && application.get().equals(LOCK_APP)) {
            return Observation.ofLockedSession(idle);
        }
        if (application.isEmpty() || application.get().isBlank()) {
            return Observation.of(Optional.empty(), idle);
        }
        return Observation.of(Optional.of(new ForegroundWindow(application.get(), image.flatMap(WindowsForegroundProbe::path),
                OptionalLong.of(Integer.toUnsignedLong(processId)),
                title.isEmpty() ? Optional.empty() : Optional.of(title))), idle);
    }

    @Override
    public CaptureAvailability availability() {
        return CaptureAvailability.available("the foreground window (application, title, process), idle time and the"
                + " lock state are observed on this Windows session");
    }

    @Override
    public void close() {
        closed = true; // nothing native is held between calls
    }

    @Override
    public String toString() {
        return "WindowsForegroundProbe";
    }

    private Duration idle() {
        // the last input first: the clock read after it can only be later, so the difference is never "negative"
        int lastInput = api.lastInputTick();
        int now = api.tickCount();
        return idleBetween(lastInput, now);
    }

    /** Milliseconds from {@code lastInputTick} to {@code nowTick}, both 32-bit tick counts, across a wrap. */
    static Duration idleBetween(int lastInputTick, int nowTick) {
        // int subtraction is modulo 2^32; read unsigned it is the elapsed time whenever that is below 49.7 days
        return Duration.ofMillis(Integer.toUnsignedLong(nowTick - lastInputTick));
    }

    private static Optional<Path> path(String imagePath) {
        try {
            return Optional.of(Path.of(imagePath));
        } catch (InvalidPathException e) {
            return Optional.empty(); // not a Win32 path (a device path): the name alone still identifies the app
        }
    }

    /** {@code C:\Program Files\App\WINWORD.EXE} → {@code winword}. */
    static String applicationName(String imagePath) {
        // split by hand: on a test JVM (Linux) java.nio would not treat '\' as a separator
        int slash = Math.max(imagePath.lastIndexOf('\\'), imagePath.lastIndexOf('/'));
        String file = imagePath.substring(slash + 1).toLowerCase(Locale.ROOT);
        return file.endsWith(".exe") ? file.substring(0, file.length() - ".exe".length()) : file;
    }
}
