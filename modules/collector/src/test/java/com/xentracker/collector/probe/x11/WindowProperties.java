package com.xentracker.collector.probe.x11;

import com.sun.jna.Memory;
import com.sun.jna.platform.unix.X11;

/**
 * Sets and removes text properties on a real window, with exact bytes and type: the test decides the encoding, not
 * the locale of a command-line tool (xprop converts its arguments through the locale, which differs between
 * machines).
 */
final class WindowProperties implements AutoCloseable {

    private final X11 x11 = X11.INSTANCE;
    private final X11.Display display;

    WindowProperties(String displayName) {
        display = x11.XOpenDisplay(displayName);
        if (display == null) {
            throw new IllegalStateException("cannot open " + displayName);
        }
    }

    /** Replaces {@code property} with {@code bytes} (format 8) of type {@code type}, e.g. STRING or UTF8_STRING. */
    void set(long window, String property, String type, byte[] bytes) {
        Memory data = new Memory(Math.max(1, bytes.length));
        data.write(0, bytes, 0, bytes.length);
        x11.XChangeProperty(display, new X11.Window(window), atom(property), atom(type), 8, X11.PropModeReplace, data,
                bytes.length);
        x11.XSync(display, false);
    }

    void remove(long window, String property) {
        x11.XDeleteProperty(display, new X11.Window(window), atom(property));
        x11.XSync(display, false);
    }

    private X11.Atom atom(String name) {
        return x11.XInternAtom(display, name, false);
    }

    @Override
    public void close() {
        x11.XCloseDisplay(display);
    }
}
