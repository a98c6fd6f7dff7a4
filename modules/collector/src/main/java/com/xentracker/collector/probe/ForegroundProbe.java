package com.xentracker.collector.probe;

/**
 * Looks at the desktop: which window has the focus, how long since the last keyboard or mouse input, and whether the
 * session is locked.
 *
 * <p>Reads only window metadata (class, title, owning process), the input-idle counter and the lock state. It never
 * reads input events, window contents, the clipboard or the screen. Obtain one from {@link ForegroundProbes} (Linux
 * X11, Windows or macOS); close it to release the display connection. Implementations are safe to call from any
 * thread.
 */
public interface ForegroundProbe extends AutoCloseable {

    /**
     * Takes one observation now.
     *
     * @throws com.xentracker.collector.ProbeFailedException if the desktop could not be asked (closed probe, an
     *                                                        X server that stopped answering)
     */
    Observation observe();

    /**
     * What this probe can observe right now. It may change while the probe is open (a macOS permission granted in
     * System Settings); call it when reporting, not for every sample. The default: everything.
     */
    default CaptureAvailability availability() {
        return CaptureAvailability.available("the foreground application, window title, idle time and lock state are"
                + " observed");
    }

    /** Releases the display connection; later {@link #observe()} calls fail. Idempotent. */
    @Override
    void close();
}
