package com.xentracker.collector.probe;

/**
 * Looks at the desktop: which window has the focus, and how long since the last keyboard or mouse input.
 *
 * <p>Reads only window metadata (class, title, owning process) and the input-idle counter. It never reads input
 * events, window contents, the clipboard or the screen. Obtain one from {@link ForegroundProbes}; close it to
 * release the display connection. Implementations are safe to call from any thread.
 */
public interface ForegroundProbe extends AutoCloseable {

    /**
     * Takes one observation now.
     *
     * @throws com.xentracker.collector.ProbeFailedException if the desktop could not be asked (closed probe, an
     *                                                        X server that stopped answering)
     */
    Observation observe();

    /** Releases the display connection; later {@link #observe()} calls fail. Idempotent. */
    @Override
    void close();
}
