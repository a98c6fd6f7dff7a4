package com.xentracker.collector.probe.x11;

import com.sun.jna.Library;
import com.sun.jna.platform.unix.X11;
import com.sun.jna.ptr.IntByReference;

/** The few libX11 functions that jna-platform's {@link X11} does not map. */
interface Xlib extends Library {

    /** Stores the focus window (or {@code None}/{@code PointerRoot}) in {@code focus}. */
    int XGetInputFocus(X11.Display display, X11.WindowByReference focus, IntByReference revertTo);
}
