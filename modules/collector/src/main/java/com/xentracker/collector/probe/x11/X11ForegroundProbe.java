package com.xentracker.collector.probe.x11;

import com.xentracker.collector.ProbeFailedException;
import com.xentracker.collector.probe.CaptureAvailability;
import com.xentracker.collector.probe.ForegroundProbe;
import com.xentracker.collector.probe.ForegroundWindow;
import com.xentracker.collector.probe.Observation;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Linux X11 probe. Its display connection is owned by one thread, created with it: every Xlib call, from
 * opening to closing the display, runs there, so callers may use the probe from any thread.
 *
 * <p>Public only so that {@code ForegroundProbes} can create it; this package is not exported.
 */
public final class X11ForegroundProbe implements ForegroundProbe {

    // Generous: an X server answers these round trips in microseconds; only a hung server takes longer.
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final String displayName;
    private final ExecutorService owner;
    private final X11Session session;
    private final AtomicBoolean closed = new AtomicBoolean();

    private X11ForegroundProbe(String displayName, ExecutorService owner, X11Session session) {
        this.displayName = displayName;
        this.owner = owner;
        this.session = session;
    }

    /**
     * Connects to the display.
     *
     * @throws com.xentracker.collector.ProbeUnavailableException when it cannot
     */
    public static ForegroundProbe open(String displayName) {
        Objects.requireNonNull(displayName, "displayName");
        ExecutorService owner = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "xt-x11-probe " + displayName);
            thread.setDaemon(true); // a probe nobody closed must not keep the JVM alive
            return thread;
        });
        try {
            return new X11ForegroundProbe(displayName, owner, call(owner, () -> X11Session.open(displayName)));
        } catch (RuntimeException | Error e) {
            owner.shutdownNow();
            throw e;
        }
    }

    @Override
    public Observation observe() {
        ensureOpen();
        return call(owner, session::observe);
    }

    @Override
    public CaptureAvailability availability() {
        return CaptureAvailability.available("the foreground window (application, title, process), idle time and the"
                + " screen saver are observed on X11 display " + displayName);
    }

    /** The description of one window by id (what {@link #observe()} does for the focused one); for tests. */
    Optional<ForegroundWindow> describe(long windowId) {
        ensureOpen();
        return call(owner, () -> session.describe(windowId));
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                call(owner, () -> {
                    session.close();
                    return null;
                });
            } finally {
                owner.shutdown();
            }
        }
    }

    @Override
    public String toString() {
        return "X11ForegroundProbe[" + displayName + "]";
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new ProbeFailedException("the X11 probe on " + displayName + " is closed");
        }
    }

    private static <T> T call(ExecutorService owner, Callable<T> task) {
        var future = owner.submit(task);
        try {
            return future.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new ProbeFailedException("X11 probe call failed", e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new ProbeFailedException("the X server did not answer within " + CALL_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProbeFailedException("interrupted while waiting for the X server", e);
        }
    }
}
