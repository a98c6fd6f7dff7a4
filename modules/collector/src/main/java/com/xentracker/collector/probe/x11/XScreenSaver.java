package com.xentracker.collector.probe.x11;

import com.sun.jna.Library;
import com.sun.jna.platform.unix.X11;
import com.sun.jna.ptr.IntByReference;

/** libXss: the MIT-SCREEN-SAVER extension, whose info carries the time since the last input. */
interface XScreenSaver extends Library {

    /** True when the X server offers the extension. */
    boolean XScreenSaverQueryExtension(X11.Display display, IntByReference eventBase, IntByReference errorBase);

    /** Fills {@code info}; returns 0 on failure. */
    int XScreenSaverQueryInfo(X11.Display display, X11.Drawable drawable, XScreenSaverInfo info);
}
