package com.xentracker.collector.probe.x11;

import com.sun.jna.platform.unix.X11;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide Xlib error handler. Xlib's default handler prints the error and calls {@code exit()}: a window
 * that closes between two of our requests (BadWindow) would kill the agent. Ours counts and logs the error and
 * returns; the failed request then reports failure through its own return value, which the session checks.
 */
final class XErrorTrap {

    private static final Logger LOG = LoggerFactory.getLogger(XErrorTrap.class);
    private static final AtomicLong ERRORS = new AtomicLong();
    // A strong reference for the life of the process: JNA frees the native trampoline of a callback whose Java
    // object is garbage-collected, and Xlib would then jump into freed memory.
    private static Handler installed;

    private XErrorTrap() {}

    static synchronized void install(Xlib xlib) {
        if (installed == null) {
            installed = new Handler();
            xlib.XSetErrorHandler(installed);
        }
    }

    /** X protocol errors seen so far in this process. */
    static long errors() {
        return ERRORS.get();
    }

    private static final class Handler implements X11.XErrorHandler {
        @Override
        public int apply(X11.Display display, X11.XErrorEvent event) {
            ERRORS.incrementAndGet();
            // the usual cause is a window that vanished between two requests: normal on a desktop, hence DEBUG
            LOG.debug("X error {} on request {}.{} for resource {}", Byte.toUnsignedInt(event.error_code),
                    Byte.toUnsignedInt(event.request_code), Byte.toUnsignedInt(event.minor_code), event.resourceid);
            return 0;
        }
    }
}
