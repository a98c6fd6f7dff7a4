package com.xentracker.collector.probe.x11;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.platform.unix.X11;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;
import com.xentracker.collector.ProbeFailedException;
import com.xentracker.collector.ProbeUnavailableException;
import com.xentracker.collector.ProbeUnavailableException.Reason;
import com.xentracker.collector.probe.ForegroundWindow;
import com.xentracker.collector.probe.Observation;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One connection to an X server and the queries on it. Xlib connections are not thread-safe: every method,
 * including {@link #open} and {@link #close}, runs on the single thread that owns the session
 * ({@link X11ForegroundProbe} guarantees it).
 */
final class X11Session implements AutoCloseable {

    private static final long NONE = 0;
    private static final long POINTER_ROOT = 1;
    private static final int SUCCESS = 0;
    private static final int MAX_TREE_DEPTH = 64;
    private static final long MAX_TITLE_LONGS = 1024; // property length unit is 32 bits: titles up to 4 KiB
    private static final long UNSIGNED_32 = 0xFFFF_FFFFL;
    private static final X11.Atom ANY_TYPE = new X11.Atom(X11.AnyPropertyType);
    // XScreenSaverInfo.state, <X11/extensions/saver.h>
    private static final int SCREEN_SAVER_ON = 1;
    private static final int SCREEN_SAVER_CYCLE = 2;

    // Predefined atoms (<X11/Xatom.h>). Not jna-platform's X11.XA_* fields: reading one initializes the X11
    // interface, whose INSTANCE binds all of libX11, keyboard grabs and screen reads included.
    private static final X11.Atom XA_CARDINAL = new X11.Atom(6);
    private static final X11.Atom XA_STRING = new X11.Atom(31);
    private static final X11.Atom XA_WINDOW = new X11.Atom(33);
    private static final X11.Atom XA_WM_CLIENT_MACHINE = new X11.Atom(36);
    private static final X11.Atom XA_WM_NAME = new X11.Atom(39);
    private static final X11.Atom XA_WM_CLASS = new X11.Atom(67);

    private final Xlib xlib;
    private final XScreenSaver xss;
    private final X11.Display display;
    private final X11.Window root;
    private final String localHost;
    private final X11.Atom netActiveWindow;
    private final X11.Atom netWmPid;
    private final X11.Atom netWmName;
    private final X11.Atom utf8String;
    private final X11.Atom wmClass;
    private final X11.Atom wmName;
    private final X11.Atom wmClientMachine;
    private boolean closed;

    private X11Session(Xlib xlib, XScreenSaver xss, X11.Display display) {
        this.xlib = xlib;
        this.xss = xss;
        this.display = display;
        this.root = xlib.XDefaultRootWindow(display);
        this.localHost = localHostName();
        this.netActiveWindow = xlib.XInternAtom(display, "_NET_ACTIVE_WINDOW", false);
        this.netWmPid = xlib.XInternAtom(display, "_NET_WM_PID", false);
        this.netWmName = xlib.XInternAtom(display, "_NET_WM_NAME", false);
        this.utf8String = xlib.XInternAtom(display, "UTF8_STRING", false);
        this.wmClass = XA_WM_CLASS;
        this.wmName = XA_WM_NAME;
        this.wmClientMachine = XA_WM_CLIENT_MACHINE;
    }

    static X11Session open(String displayName) {
        Xlib xlib;
        XScreenSaver xss;
        try {
            // versioned names: the unversioned .so links exist only with the -dev packages
            xlib = Native.load("libX11.so.6", Xlib.class);
            xss = Native.load("libXss.so.1", XScreenSaver.class);
        } catch (LinkageError e) {
            throw new ProbeUnavailableException(Reason.MISSING_LIBRARY_OR_EXTENSION,
                    "cannot load libX11.so.6 or libXss.so.1 (Debian/Ubuntu packages libx11-6 and libxss1): "
                            + e.getMessage(), e);
        }
        XErrorTrap.install(xlib);
        X11.Display display = xlib.XOpenDisplay(displayName);
        if (display == null) {
            throw new ProbeUnavailableException(Reason.DISPLAY_UNREACHABLE, "cannot connect to the X display "
                    + displayName + ": is the X server running, and may this user connect to it (XAUTHORITY)?");
        }
        if (!xss.XScreenSaverQueryExtension(display, new IntByReference(), new IntByReference())) {
            xlib.XCloseDisplay(display);
            throw new ProbeUnavailableException(Reason.MISSING_LIBRARY_OR_EXTENSION, "the X server on "
                    + displayName + " lacks the MIT-SCREEN-SAVER extension, without which idle time is unknown");
        }
        return new X11Session(xlib, xss, display);
    }

    Observation observe() {
        if (closed) {
            throw new ProbeFailedException("the X11 probe is closed");
        }
        XScreenSaverInfo saver = screenSaverInfo();
        Duration idle = Duration.ofMillis(saver.idle.longValue() & UNSIGNED_32);
        if (screenSaverOn(saver.state)) {
            return Observation.ofLockedSession(idle);
        }
        OptionalLong focused = focusedWindow();
        Optional<ForegroundWindow> foreground = focused.isPresent() ? describe(focused.getAsLong()) : Optional.empty();
        return Observation.of(foreground, idle);
    }

    /**
     * The screen saver is on: screen lockers (xscreensaver, xss-lock with i3lock …) run while it is, and a blanked
     * screen is not in use either way. {@code ScreenSaverCycle} is "on, and cycling". Lockers that draw their own
     * shield without the X server's screen saver (GNOME Shell) are not seen here; their idle time still grows.
     */
    static boolean screenSaverOn(int state) {
        return state == SCREEN_SAVER_ON || state == SCREEN_SAVER_CYCLE;
    }

    /**
     * The client window owning {@code window}: the nearest window, {@code window} itself or an ancestor, that has
     * {@code WM_CLASS}. Empty when there is none or the window vanished meanwhile.
     */
    Optional<ForegroundWindow> describe(long window) {
        long current = window;
        for (int depth = 0; depth < MAX_TREE_DEPTH && current != NONE && current != root.longValue(); depth++) {
            Optional<String> application = applicationOf(current);
            if (application.isPresent()) {
                return Optional.of(client(current, application.get()));
            }
            OptionalLong parent = parentOf(current);
            if (parent.isEmpty()) {
                return Optional.empty();
            }
            current = parent.getAsLong();
        }
        return Optional.empty();
    }

    /**
     * {@code _NET_ACTIVE_WINDOW} when a window manager publishes it; otherwise (no window manager, or none has
     * activated a window yet) the X input focus.
     */
    private OptionalLong focusedWindow() {
        OptionalLong active = cardinal(root.longValue(), netActiveWindow, XA_WINDOW);
        if (active.isPresent() && active.getAsLong() != NONE) {
            return active;
        }
        X11.WindowByReference focus = new X11.WindowByReference();
        xlib.XGetInputFocus(display, focus, new IntByReference());
        X11.Window value = focus.getValue(); // jna-platform maps None to null
        long id = value == null ? NONE : value.longValue();
        return id == NONE || id == POINTER_ROOT || id == root.longValue() ? OptionalLong.empty() : OptionalLong.of(id);
    }

    private ForegroundWindow client(long window, String application) {
        // _NET_WM_PID is a pid on the client's host (WM_CLIENT_MACHINE): reading /proc for a remote client's pid
        // would name an unrelated local process
        boolean local = text(window, wmClientMachine, ANY_TYPE, 64, null)
                .map(machine -> localHost.isEmpty() || localHost.equals(machine)).orElse(true);
        OptionalLong pid = local ? cardinal(window, netWmPid, XA_CARDINAL) : OptionalLong.empty();
        Optional<Path> executable = pid.isPresent() ? executableOf(pid.getAsLong()) : Optional.empty();
        // _NET_WM_NAME is UTF-8 by definition (EWMH), whatever type the client declared: xdotool, for one, stores it
        // as STRING. Asking for any type and decoding UTF-8 keeps such titles intact instead of falling back to a
        // mis-decoded WM_NAME.
        Optional<String> title = text(window, netWmName, ANY_TYPE, MAX_TITLE_LONGS, StandardCharsets.UTF_8)
                .or(() -> text(window, wmName, ANY_TYPE, MAX_TITLE_LONGS, null));
        return new ForegroundWindow(application, executable, pid, title);
    }

    /** The class part of {@code WM_CLASS} ("instance\0Class\0"), lower-cased. */
    private Optional<String> applicationOf(long window) {
        return property(window, wmClass, XA_STRING, 256, (type, format, count, data) -> {
            if (format != 8) {
                return null;
            }
            String[] parts = new String(data.getByteArray(0, count), StandardCharsets.ISO_8859_1).split("\0");
            String name = parts.length >= 2 && !parts[1].isBlank() ? parts[1] : parts.length >= 1 ? parts[0] : "";
            return name.isBlank() ? null : name.strip().toLowerCase(Locale.ROOT);
        });
    }

    /**
     * A text property. {@code charset} null: by the property's type (UTF8_STRING is UTF-8; STRING is Latin-1 per ICCCM;
     * COMPOUND_TEXT is read as Latin-1 too, which is right for its ASCII/Latin-1 part only).
     */
    private Optional<String> text(long window, X11.Atom property, X11.Atom type, long maxLongs, Charset charset) {
        return property(window, property, type, maxLongs, (actualType, format, count, data) -> {
            if (format != 8 || count == 0) {
                return null;
            }
            Charset decoding = charset != null ? charset
                    : actualType == utf8String.longValue() ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
            String value = new String(data.getByteArray(0, count), decoding);
            int end = value.indexOf('\0');
            value = end >= 0 ? value.substring(0, end) : value;
            return value.isEmpty() ? null : value;
        });
    }

    /** The first item of a 32-bit property (a WINDOW or CARDINAL). */
    private OptionalLong cardinal(long window, X11.Atom property, X11.Atom type) {
        Optional<Long> value = property(window, property, type, 1, (actualType, format, count, data) ->
                format == 32 && count >= 1
                        // Xlib hands 32-bit items to the client as C longs
                        ? data.getNativeLong(0).longValue() & UNSIGNED_32
                        : null);
        return value.map(OptionalLong::of).orElseGet(OptionalLong::empty);
    }

    /**
     * Reads a property and frees Xlib's copy. Empty when the window has no such property or vanished (the error
     * handler has swallowed the BadWindow, and the call reports failure).
     */
    private <T> Optional<T> property(long window, X11.Atom property, X11.Atom type, long maxLongs,
            PropertyReader<T> reader) {
        X11.AtomByReference actualType = new X11.AtomByReference();
        IntByReference actualFormat = new IntByReference();
        NativeLongByReference count = new NativeLongByReference();
        NativeLongByReference bytesAfter = new NativeLongByReference();
        PointerByReference data = new PointerByReference();
        int status = xlib.XGetWindowProperty(display, new X11.Window(window), property, new NativeLong(0),
                new NativeLong(maxLongs), false, type, actualType, actualFormat, count, bytesAfter, data);
        Pointer bytes = data.getValue();
        try {
            X11.Atom actual = actualType.getValue(); // null for None: no such property (or the wrong type)
            if (status != SUCCESS || bytes == null || actual == null) {
                return Optional.empty();
            }
            int items = (int) Math.min(count.getValue().longValue(), Integer.MAX_VALUE);
            return Optional.ofNullable(reader.read(actual.longValue(), actualFormat.getValue(), items, bytes));
        } finally {
            if (bytes != null) {
                xlib.XFree(bytes);
            }
        }
    }

    private OptionalLong parentOf(long window) {
        X11.WindowByReference rootReturn = new X11.WindowByReference();
        X11.WindowByReference parent = new X11.WindowByReference();
        PointerByReference children = new PointerByReference();
        IntByReference childCount = new IntByReference();
        int status = xlib.XQueryTree(display, new X11.Window(window), rootReturn, parent, children, childCount);
        Pointer list = children.getValue();
        if (list != null) {
            xlib.XFree(list);
        }
        X11.Window value = parent.getValue();
        return status == 0 || value == null ? OptionalLong.empty() : OptionalLong.of(value.longValue());
    }

    /** Idle time and screen-saver state, in one round trip. */
    private XScreenSaverInfo screenSaverInfo() {
        XScreenSaverInfo info = new XScreenSaverInfo(); // Java-owned memory: nothing for Xlib to free
        if (xss.XScreenSaverQueryInfo(display, root, info) == 0) {
            throw new ProbeFailedException("XScreenSaverQueryInfo failed");
        }
        return info;
    }

    private static Optional<Path> executableOf(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe")));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty(); // gone meanwhile, or another user's process
        }
    }

    /** The kernel's host name, which is what Xlib clients put into WM_CLIENT_MACHINE. */
    private static String localHostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            xlib.XCloseDisplay(display);
        }
    }

    @FunctionalInterface
    private interface PropertyReader<T> {
        /** @return the value or null when the property has an unexpected format */
        T read(long actualType, int format, int count, Pointer data);
    }
}
