package com.xentracker.collector.probe.macos;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.platform.mac.CoreFoundation;
import com.sun.jna.ptr.PointerByReference;
import java.util.Optional;

/**
 * {@link MacApi} on the real frameworks: the Objective-C runtime for {@code NSWorkspace}, CoreGraphics for idle
 * time, the window list and the session, ApplicationServices for Accessibility. Each method is one question; every
 * object it creates or copies is released before it returns. Compiled everywhere, loaded and run only on macOS:
 * NOT exercised by the test suite.
 */
final class JnaMacApi implements MacApi {

    // CGEventTypes.h / CGWindow.h
    private static final int COMBINED_SESSION_STATE = 0; // kCGEventSourceStateCombinedSessionState
    private static final int ANY_INPUT_EVENT = ~0; // kCGAnyInputEventType (0xFFFFFFFF)
    private static final int ON_SCREEN_ONLY = 1; // kCGWindowListOptionOnScreenOnly
    private static final int EXCLUDE_DESKTOP_ELEMENTS = 1 << 4; // kCGWindowListExcludeDesktopElements
    private static final int NULL_WINDOW = 0; // kCGNullWindowID
    private static final int AX_SUCCESS = 0; // kAXErrorSuccess
    // a hung application must not stall the sampling thread for the default six seconds
    private static final float AX_TIMEOUT_SECONDS = 0.25f;

    private final ObjC objc;
    private final Function msgSend;
    private final Quartz quartz;
    private final Accessibility accessibility;
    // held so that AppKit, which defines NSWorkspace, stays loaded
    private final NativeLibrary appKit;
    private final Pointer workspaceClass;
    private final Pointer sharedWorkspace;
    private final Pointer frontmostApplication;
    private final Pointer processIdentifier;
    private final Pointer localizedName;
    private final Pointer bundleIdentifier;
    private final Pointer executableUrl;
    private final Pointer path;
    private final Pointer utf8String;
    // CFStrings used as dictionary keys and attribute names, created once and kept for the life of the process
    private final CoreFoundation.CFStringRef screenIsLocked;
    private final CoreFoundation.CFStringRef onConsole;
    private final CoreFoundation.CFStringRef windowOwnerPid;
    private final CoreFoundation.CFStringRef windowLayer;
    private final CoreFoundation.CFStringRef windowName;
    private final CoreFoundation.CFStringRef focusedWindow;
    private final CoreFoundation.CFStringRef title;

    private JnaMacApi(ObjC objc, NativeLibrary objcLibrary, Quartz quartz, Accessibility accessibility,
            NativeLibrary appKit) {
        this.objc = objc;
        // objc_msgSend is called with exactly (receiver, selector) and no further arguments, which is correct on
        // x86_64 and on arm64 (where calling it as a variadic function with arguments would not be)
        this.msgSend = objcLibrary.getFunction("objc_msgSend");
        this.quartz = quartz;
        this.accessibility = accessibility;
        this.appKit = appKit;
        this.workspaceClass = objc.objc_getClass("NSWorkspace");
        this.sharedWorkspace = objc.sel_registerName("sharedWorkspace");
        this.frontmostApplication = objc.sel_registerName("frontmostApplication");
        this.processIdentifier = objc.sel_registerName("processIdentifier");
        this.localizedName = objc.sel_registerName("localizedName");
        this.bundleIdentifier = objc.sel_registerName("bundleIdentifier");
        this.executableUrl = objc.sel_registerName("executableURL");
        this.path = objc.sel_registerName("path");
        this.utf8String = objc.sel_registerName("UTF8String");
        this.screenIsLocked = CoreFoundation.CFStringRef.createCFString("CGSSessionScreenIsLocked");
        this.onConsole = CoreFoundation.CFStringRef.createCFString("kCGSSessionOnConsoleKey");
        this.windowOwnerPid = CoreFoundation.CFStringRef.createCFString("kCGWindowOwnerPID");
        this.windowLayer = CoreFoundation.CFStringRef.createCFString("kCGWindowLayer");
        this.windowName = CoreFoundation.CFStringRef.createCFString("kCGWindowName");
        this.focusedWindow = CoreFoundation.CFStringRef.createCFString("AXFocusedWindow");
        this.title = CoreFoundation.CFStringRef.createCFString("AXTitle");
    }

    /**
     * Loads the frameworks; our own libraries first, so that on another OS this fails before jna-platform's
     * CoreFoundation {@code INSTANCE} is touched (a failed static initializer would poison that class).
     *
     * @throws LinkageError when they cannot be loaded (any OS but macOS)
     */
    static JnaMacApi load() {
        NativeLibrary objcLibrary = NativeLibrary.getInstance("objc");
        ObjC objc = Native.load("objc", ObjC.class);
        Quartz quartz = Native.load("CoreGraphics", Quartz.class);
        Accessibility accessibility = Native.load("ApplicationServices", Accessibility.class);
        NativeLibrary appKit = NativeLibrary.getInstance("AppKit");
        return new JnaMacApi(objc, objcLibrary, quartz, accessibility, appKit);
    }

    @Override
    public Optional<Session> session() {
        CoreFoundation.CFDictionaryRef session = quartz.CGSessionCopyCurrentDictionary();
        if (session == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Session(flag(session, screenIsLocked, false), flag(session, onConsole, true)));
        } finally {
            session.release();
        }
    }

    @Override
    public Optional<FrontmostApplication> frontmostApplication() {
        // AppKit returns autoreleased objects; without a pool of our own they would pile up on this thread forever
        Pointer pool = objc.objc_autoreleasePoolPush();
        try {
            Pointer workspace = send(workspaceClass, sharedWorkspace);
            Pointer application = send(workspace, frontmostApplication);
            if (application == null) {
                return Optional.empty();
            }
            int pid = msgSend.invokeInt(new Object[] {application, processIdentifier});
            Pointer url = send(application, executableUrl);
            // strings are copied into Java before the pool is drained
            return Optional.of(new FrontmostApplication(pid, nsString(send(application, localizedName)),
                    nsString(send(application, bundleIdentifier)),
                    url == null ? Optional.empty() : nsString(send(url, path))));
        } finally {
            objc.objc_autoreleasePoolPop(pool);
        }
    }

    @Override
    public double secondsSinceLastInput() {
        return quartz.CGEventSourceSecondsSinceLastEventType(COMBINED_SESSION_STATE, ANY_INPUT_EVENT);
    }

    @Override
    public boolean accessibilityTrusted() {
        return accessibility.AXIsProcessTrusted() != 0;
    }

    @Override
    public boolean screenRecordingAllowed() {
        try {
            return quartz.CGPreflightScreenCaptureAccess() != 0;
        } catch (UnsatisfiedLinkError e) {
            return true; // before macOS 10.15 there is no such permission: window names are readable
        }
    }

    @Override
    public Optional<String> focusedWindowTitle(int processId) {
        Pointer application = accessibility.AXUIElementCreateApplication(processId);
        if (application == null) {
            return Optional.empty();
        }
        try {
            accessibility.AXUIElementSetMessagingTimeout(application, AX_TIMEOUT_SECONDS);
            PointerByReference window = new PointerByReference();
            if (accessibility.AXUIElementCopyAttributeValue(application, focusedWindow, window) != AX_SUCCESS
                    || window.getValue() == null) {
                return Optional.empty();
            }
            try {
                PointerByReference value = new PointerByReference();
                if (accessibility.AXUIElementCopyAttributeValue(window.getValue(), title, value) != AX_SUCCESS
                        || value.getValue() == null) {
                    return Optional.empty();
                }
                try {
                    return cfString(value.getValue());
                } finally {
                    release(value.getValue());
                }
            } finally {
                release(window.getValue());
            }
        } finally {
            release(application);
        }
    }

    @Override
    public Optional<String> frontWindowTitle(int processId) {
        CoreFoundation.CFArrayRef windows = quartz.CGWindowListCopyWindowInfo(ON_SCREEN_ONLY | EXCLUDE_DESKTOP_ELEMENTS,
                NULL_WINDOW);
        if (windows == null) {
            return Optional.empty();
        }
        try {
            int count = windows.getCount();
            for (int i = 0; i < count; i++) { // front to back
                CoreFoundation.CFDictionaryRef window = new CoreFoundation.CFDictionaryRef(windows.getValueAtIndex(i));
                if (number(window, windowOwnerPid) == processId && number(window, windowLayer) == 0) {
                    return cfString(window.getValue(windowName)); // absent without Screen Recording permission
                }
            }
            return Optional.empty();
        } finally {
            windows.release();
        }
    }

    private Pointer send(Pointer receiver, Pointer selector) {
        return receiver == null ? null : msgSend.invokePointer(new Object[] {receiver, selector});
    }

    private Optional<String> nsString(Pointer string) {
        Pointer utf8 = send(string, utf8String);
        return utf8 == null ? Optional.empty() : Optional.of(utf8.getString(0, "UTF-8"));
    }

    private static boolean flag(CoreFoundation.CFDictionaryRef dictionary, CoreFoundation.CFStringRef key,
            boolean absent) {
        Pointer value = dictionary.getValue(key); // not owned: no release
        if (value == null) {
            return absent;
        }
        CoreFoundation.CFTypeRef typed = new CoreFoundation.CFTypeRef(value);
        if (typed.isTypeID(CoreFoundation.BOOLEAN_TYPE_ID)) {
            return new CoreFoundation.CFBooleanRef(value).booleanValue();
        }
        if (typed.isTypeID(CoreFoundation.NUMBER_TYPE_ID)) {
            return new CoreFoundation.CFNumberRef(value).intValue() != 0;
        }
        return absent;
    }

    private static long number(CoreFoundation.CFDictionaryRef dictionary, CoreFoundation.CFStringRef key) {
        Pointer value = dictionary.getValue(key);
        if (value == null || !new CoreFoundation.CFTypeRef(value).isTypeID(CoreFoundation.NUMBER_TYPE_ID)) {
            return Long.MIN_VALUE;
        }
        return new CoreFoundation.CFNumberRef(value).longValue();
    }

    private static Optional<String> cfString(Pointer value) {
        if (value == null || !new CoreFoundation.CFTypeRef(value).isTypeID(CoreFoundation.STRING_TYPE_ID)) {
            return Optional.empty();
        }
        return Optional.ofNullable(new CoreFoundation.CFStringRef(value).stringValue());
    }

    private static void release(Pointer object) {
        new CoreFoundation.CFTypeRef(object).release();
    }

    /** libobjc. JNA implements these interfaces with proxies: the package is open to JNA, and only to JNA. */
    interface ObjC extends Library {
        Pointer objc_getClass(String name);

        Pointer sel_registerName(String name);

        Pointer objc_autoreleasePoolPush();

        void objc_autoreleasePoolPop(Pointer pool);
    }

    /** CoreGraphics functions jna-platform's {@code CoreGraphics} lacks (and the window list). */
    interface Quartz extends Library {
        double CGEventSourceSecondsSinceLastEventType(int stateId, int eventType);

        CoreFoundation.CFArrayRef CGWindowListCopyWindowInfo(int option, int relativeToWindow);

        CoreFoundation.CFDictionaryRef CGSessionCopyCurrentDictionary();

        /** C {@code bool}: one byte, so declared as {@code byte}, not {@code boolean} (read as a 4-byte int). */
        byte CGPreflightScreenCaptureAccess();
    }

    /** HIServices, through the ApplicationServices umbrella framework. */
    interface Accessibility extends Library {
        /** C {@code Boolean}: one unsigned byte. */
        byte AXIsProcessTrusted();

        Pointer AXUIElementCreateApplication(int processId);

        int AXUIElementSetMessagingTimeout(Pointer element, float timeoutSeconds);

        int AXUIElementCopyAttributeValue(Pointer element, CoreFoundation.CFStringRef attribute,
                PointerByReference value);
    }
}
