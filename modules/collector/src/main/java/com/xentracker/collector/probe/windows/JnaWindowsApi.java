package com.xentracker.collector.probe.windows;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.WinDef;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.platform.win32.WinUser;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.win32.StdCallLibrary;
import com.sun.jna.win32.W32APIOptions;
import com.xentracker.collector.ProbeFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@link WindowsApi} on the real user32 and kernel32. Each method is one call or one open-query-close sequence;
 * handles never outlive a method. Compiled everywhere, loaded and run only on Windows: NOT exercised by the test
 * suite.
 *
 * <p>Privacy by construction: the functions are bound through our own {@link User32Calls} and {@link Kernel32Calls},
 * which declare exactly the calls below, not through jna-platform's {@code User32}/{@code Kernel32}, whose proxies
 * would also bind keyboard hooks, key-state and clipboard functions. The agent cannot call what it never binds
 * ({@code NativeBindingsTest} holds every binding to an allowlist).
 */
final class JnaWindowsApi implements WindowsApi {

    // winnt.h / winuser.h
    private static final int PROCESS_QUERY_LIMITED_INFORMATION = 0x1000; // enough for the image name, also of elevated processes
    private static final int DESKTOP_READOBJECTS = 0x0001;
    private static final int UOI_NAME = 2;
    private static final String USERS_DESKTOP = "Default";
    private static final int SHORT_PATH = 1024;
    private static final int LONGEST_PATH = 32_768; // \\?\ paths, in UTF-16 units

    private final User32Calls user32;
    private final Kernel32Calls kernel32;
    private final User32Calls desktops; // the desktop functions: same library, named apart for reading

    private JnaWindowsApi(User32Calls user32, Kernel32Calls kernel32) {
        this.user32 = user32;
        this.kernel32 = kernel32;
        this.desktops = user32;
    }

    /**
     * Loads the libraries (not jna-platform's {@code INSTANCE}s: a failed static initializer would poison those classes
     * for the rest of the process).
     *
     * @throws LinkageError when they cannot be loaded (any OS but Windows)
     */
    static JnaWindowsApi load() {
        // DEFAULT_OPTIONS: the W (UTF-16) variants of functions and BOOL-sized booleans
        return new JnaWindowsApi(Native.load("user32", User32Calls.class, W32APIOptions.DEFAULT_OPTIONS),
                Native.load("kernel32", Kernel32Calls.class, W32APIOptions.DEFAULT_OPTIONS));
    }

    @Override
    public long foregroundWindow() {
        return handle(user32.GetForegroundWindow());
    }

    @Override
    public int processIdOf(long window) {
        IntByReference processId = new IntByReference();
        user32.GetWindowThreadProcessId(hwnd(window), processId); // leaves 0 for a window that is gone
        return processId.getValue();
    }

    @Override
    public Optional<String> imagePathOf(int processId) {
        WinNT.HANDLE process = kernel32.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, false, processId);
        if (process == null) {
            return Optional.empty(); // gone, or a protected process
        }
        try {
            for (int capacity : new int[] {SHORT_PATH, LONGEST_PATH}) {
                char[] buffer = new char[capacity];
                IntByReference length = new IntByReference(capacity);
                if (kernel32.QueryFullProcessImageName(process, 0, buffer, length)) { // 0: Win32 path format
                    return Optional.of(new String(buffer, 0, length.getValue()));
                }
            }
            return Optional.empty();
        } finally {
            kernel32.CloseHandle(process);
        }
    }

    @Override
    public String windowText(long window) {
        WinDef.HWND hwnd = hwnd(window);
        int length = user32.GetWindowTextLength(hwnd);
        if (length <= 0) {
            return "";
        }
        // for another process's window GetWindowText reads the cached caption: it never waits for a hung application
        char[] buffer = new char[length + 1];
        int copied = user32.GetWindowText(hwnd, buffer, buffer.length);
        return new String(buffer, 0, Math.max(0, Math.min(copied, length)));
    }

    @Override
    public List<Long> childWindows(long window) {
        ChildCollector collector = new ChildCollector();
        user32.EnumChildWindows(hwnd(window), collector, Pointer.NULL);
        return collector.children;
    }

    @Override
    public int lastInputTick() {
        WinUser.LASTINPUTINFO info = new WinUser.LASTINPUTINFO(); // sets cbSize
        if (!user32.GetLastInputInfo(info)) {
            throw new ProbeFailedException("GetLastInputInfo failed with error " + kernel32.GetLastError());
        }
        return info.dwTime;
    }

    @Override
    public int tickCount() {
        return kernel32.GetTickCount();
    }

    @Override
    public boolean inputDesktopIsTheUsers() {
        WinNT.HANDLE desktop = desktops.OpenInputDesktop(0, false, DESKTOP_READOBJECTS);
        if (desktop == null) {
            return false; // a user process may not open the Winlogon desktop: locked or secure desktop
        }
        try {
            char[] name = new char[64];
            IntByReference needed = new IntByReference();
            if (!desktops.GetUserObjectInformation(desktop, UOI_NAME, name, name.length * Character.BYTES, needed)) {
                return true; // could open it but not name it: not the locked state, which refuses the open
            }
            return USERS_DESKTOP.equalsIgnoreCase(Native.toString(name));
        } finally {
            desktops.CloseDesktop(desktop);
        }
    }

    @Override
    public OptionalInt currentSessionId() {
        IntByReference session = new IntByReference();
        return kernel32.ProcessIdToSessionId(kernel32.GetCurrentProcessId(), session)
                ? OptionalInt.of(session.getValue())
                : OptionalInt.empty();
    }

    private static long handle(WinDef.HWND hwnd) {
        return hwnd == null ? 0 : Pointer.nativeValue(hwnd.getPointer());
    }

    private static WinDef.HWND hwnd(long handle) {
        return new WinDef.HWND(new Pointer(handle));
    }

    /**
     * The user32 functions the probe calls, and no others (winuser.h; signatures as jna-platform's {@code User32};
     * the W variants through {@link W32APIOptions#DEFAULT_OPTIONS}); HDESK is a HANDLE. JNA implements it with a
     * proxy, reflectively: the package is open to JNA, and only to JNA.
     */
    interface User32Calls extends StdCallLibrary {
        WinDef.HWND GetForegroundWindow();

        int GetWindowThreadProcessId(WinDef.HWND window, IntByReference processId);

        int GetWindowTextLength(WinDef.HWND window);

        int GetWindowText(WinDef.HWND window, char[] text, int capacity);

        boolean EnumChildWindows(WinDef.HWND parent, WinUser.WNDENUMPROC callback, Pointer data);

        boolean GetLastInputInfo(WinUser.LASTINPUTINFO info);

        WinNT.HANDLE OpenInputDesktop(int flags, boolean inherit, int desiredAccess);

        boolean GetUserObjectInformation(WinNT.HANDLE object, int index, char[] info, int length,
                IntByReference lengthNeeded);

        boolean CloseDesktop(WinNT.HANDLE desktop);
    }

    /** The kernel32 functions the probe calls, and no others (signatures as jna-platform's {@code Kernel32}). */
    interface Kernel32Calls extends StdCallLibrary {
        WinNT.HANDLE OpenProcess(int desiredAccess, boolean inherit, int processId);

        boolean QueryFullProcessImageName(WinNT.HANDLE process, int flags, char[] path, IntByReference length);

        boolean CloseHandle(WinNT.HANDLE handle);

        int GetLastError();

        int GetTickCount();

        boolean ProcessIdToSessionId(int processId, IntByReference sessionId);

        int GetCurrentProcessId();
    }

    /**
     * Collects child window handles. A named class, not a lambda: JNA finds the callback method reflectively (the
     * package is open to JNA for this). Lives only for the EnumChildWindows call, which is synchronous.
     */
    private static final class ChildCollector implements WinUser.WNDENUMPROC {
        private final List<Long> children = new ArrayList<>();

        @Override
        public boolean callback(WinDef.HWND child, Pointer data) {
            children.add(handle(child));
            return true; // continue enumerating
        }
    }
}
