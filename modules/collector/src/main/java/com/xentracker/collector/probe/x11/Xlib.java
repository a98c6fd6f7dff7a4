package com.xentracker.collector.probe.x11;

import com.sun.jna.Library;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.platform.unix.X11;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The libX11 functions the probe calls, and no others (signatures as jna-platform's {@link X11}, whose types we use).
 *
 * <p>Privacy by construction: jna-platform's {@code X11.INSTANCE} would also bind {@code XGrabKeyboard},
 * {@code XGrabKey}, {@code XGetImage} and the selection (clipboard) calls. The agent binds only these, so it cannot
 * read keys, the screen or the clipboard even by mistake ({@code NativeBindingsTest} holds every binding to an
 * allowlist).
 */
interface Xlib extends Library {

    X11.Display XOpenDisplay(String name);

    int XCloseDisplay(X11.Display display);

    X11.Window XDefaultRootWindow(X11.Display display);

    X11.Atom XInternAtom(X11.Display display, String name, boolean onlyIfExists);

    int XGetWindowProperty(X11.Display display, X11.Window window, X11.Atom property, NativeLong offset,
            NativeLong length, boolean delete, X11.Atom requestedType, X11.AtomByReference actualType,
            IntByReference actualFormat, NativeLongByReference items, NativeLongByReference bytesAfter,
            PointerByReference value);

    int XQueryTree(X11.Display display, X11.Window window, X11.WindowByReference root,
            X11.WindowByReference parent, PointerByReference children, IntByReference childCount);

    /** Stores the focus window (or {@code None}/{@code PointerRoot}) in {@code focus}. */
    int XGetInputFocus(X11.Display display, X11.WindowByReference focus, IntByReference revertTo);

    int XFree(Pointer data);

    X11.XErrorHandler XSetErrorHandler(X11.XErrorHandler handler);
}
