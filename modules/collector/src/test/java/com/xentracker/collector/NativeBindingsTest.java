package com.xentracker.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Library;
import java.io.DataInputStream;
import java.lang.module.ModuleDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Privacy by construction, checked on the compiled agent: it must not even link code that could read keystrokes,
 * the clipboard or the screen. Reads the constant pool of every class of this module (the names of everything a
 * class calls or refers to are there) and the native bindings it declares.
 *
 * <p>Adding a native function means adding it to {@link #ALLOWED_NATIVE_FUNCTIONS} here, in review.
 */
class NativeBindingsTest {

    /** Every native function the agent binds, by library interface. Nothing reads input, screen or clipboard. */
    private static final Map<String, Set<String>> ALLOWED_NATIVE_FUNCTIONS = Map.of(
            "com.xentracker.collector.probe.x11.Xlib", Set.of("XOpenDisplay", "XCloseDisplay", "XDefaultRootWindow",
                    "XInternAtom", "XGetWindowProperty", "XQueryTree", "XGetInputFocus", "XFree",
                    "XSetErrorHandler"),
            "com.xentracker.collector.probe.x11.XScreenSaver", Set.of("XScreenSaverQueryExtension",
                    "XScreenSaverQueryInfo"),
            "com.xentracker.collector.probe.windows.JnaWindowsApi$User32Calls", Set.of("GetForegroundWindow",
                    "GetWindowThreadProcessId", "GetWindowTextLength", "GetWindowText", "EnumChildWindows",
                    "GetLastInputInfo", "OpenInputDesktop", "GetUserObjectInformation", "CloseDesktop"),
            "com.xentracker.collector.probe.windows.JnaWindowsApi$Kernel32Calls", Set.of("OpenProcess",
                    "QueryFullProcessImageName", "CloseHandle", "GetLastError", "GetTickCount",
                    "ProcessIdToSessionId", "GetCurrentProcessId"),
            "com.xentracker.collector.probe.macos.JnaMacApi$ObjC", Set.of("objc_getClass", "sel_registerName",
                    "objc_autoreleasePoolPush", "objc_autoreleasePoolPop"),
            "com.xentracker.collector.probe.macos.JnaMacApi$Quartz", Set.of("CGEventSourceSecondsSinceLastEventType",
                    "CGSessionCopyCurrentDictionary", "CGWindowListCopyWindowInfo", "CGPreflightScreenCaptureAccess"),
            "com.xentracker.collector.probe.macos.JnaMacApi$Accessibility", Set.of("AXIsProcessTrusted",
                    "AXUIElementCreateApplication", "AXUIElementCopyAttributeValue",
                    "AXUIElementSetMessagingTimeout"));

    /**
     * Names that only code reading input, the screen or the clipboard has: native functions (Windows, X11, macOS),
     * Objective-C classes and selectors, and the JDK's AWT robot and clipboard.
     */
    private static final List<String> FORBIDDEN = List.of(
            // Windows: keyboard hooks and key state, raw input, clipboard, screen copies
            "SetWindowsHookEx", "GetAsyncKeyState", "GetKeyState", "GetKeyboardState", "RegisterRawInputDevices",
            "GetRawInputData", "OpenClipboard", "GetClipboardData", "BitBlt", "PrintWindow", "GetDIBits",
            // X11: key grabs, keymap, screen images, selections (the clipboard), synthetic input and recording
            "XGrabKey", "XQueryKeymap", "XLookupString", "XGetImage", "XShmGetImage", "XConvertSelection",
            "XGetSelectionOwner", "XTestFake", "XRecordCreateContext", "XFixesSelectSelectionInput",
            // macOS: event taps, HID, screen images, pasteboard, keyboard monitors
            "CGEventTapCreate", "IOHIDManager", "CGWindowListCreateImage", "CGDisplayCreateImage", "NSPasteboard",
            "generalPasteboard", "addGlobalMonitorForEventsMatchingMask", "SCScreenshotManager",
            // Java: AWT robot (screen capture, input) and the clipboard
            "java/awt/Robot", "java/awt/datatransfer", "java/awt/Toolkit");

    /** jna-platform library interfaces whose functions hold nothing but data handling (CFString, CFArray …). */
    private static final Set<String> DATA_ONLY_LIBRARIES = Set.of("com.sun.jna.platform.mac.CoreFoundation");

    private static List<ClassFile> classes;

    @BeforeAll
    static void readTheModulesClasses() throws IOException, URISyntaxException {
        Path root = Path.of(Agent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(root.resolve("com/xentracker/collector/Agent.class")).as("the compiled main classes").exists();
        classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".class")).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    classes.add(ClassFile.read(root.relativize(file).toString(), in));
                }
            }
        }
        assertThat(classes).hasSizeGreaterThan(100);
    }

    @Test
    void noClassNamesAFunctionThatReadsInputTheScreenOrTheClipboard() {
        Map<String, List<String>> found = new TreeMap<>();
        for (ClassFile file : classes) {
            for (String text : file.utf8()) {
                for (String forbidden : FORBIDDEN) {
                    if (text.contains(forbidden)) {
                        found.computeIfAbsent(file.name(), name -> new ArrayList<>()).add(text);
                    }
                }
            }
        }
        assertThat(found).isEmpty();
    }

    @Test
    void nothingCallsIntoJnaPlatformsWholeLibraryBindings() throws ClassNotFoundException {
        // X11.INSTANCE, User32.INSTANCE … bind every function of their library, keyboard grabs and clipboard
        // included; even reading one of their constants initializes the interface and so its INSTANCE
        Map<String, Set<String>> uses = new TreeMap<>();
        for (ClassFile file : classes) {
            for (String owner : file.memberOwners()) {
                if (owner.startsWith("com/sun/jna/platform/") && isLibrary(owner)
                        && !DATA_ONLY_LIBRARIES.contains(owner.replace('/', '.'))) {
                    uses.computeIfAbsent(file.name(), name -> new TreeSet<>()).add(owner);
                }
            }
        }
        assertThat(uses).isEmpty();
    }

    @Test
    void everyNativeBindingDeclaresOnlyTheAllowedFunctions() throws ClassNotFoundException {
        Map<String, Set<String>> declared = new TreeMap<>();
        for (ClassFile file : classes) {
            if (file.name().endsWith("module-info.class")) {
                continue;
            }
            String name = file.name().replace(".class", "").replace('/', '.');
            Class<?> type = Class.forName(name, false, getClass().getClassLoader());
            if (type.isInterface() && Library.class.isAssignableFrom(type)) {
                Set<String> functions = new TreeSet<>();
                for (Method method : type.getDeclaredMethods()) {
                    if (!method.isDefault() && !java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                        functions.add(method.getName());
                    }
                }
                declared.put(name, functions);
            }
        }
        assertThat(declared.keySet()).as("the native bindings; a new one needs its allowlist here")
                .containsExactlyInAnyOrderElementsOf(ALLOWED_NATIVE_FUNCTIONS.keySet());
        declared.forEach((library, functions) -> assertThat(functions).as(library)
                .isSubsetOf(ALLOWED_NATIVE_FUNCTIONS.get(library)));
    }

    @Test
    void theAgentCannotReachAwt() {
        Module collector = Agent.class.getModule();
        assertThat(collector.isNamed()).isTrue();
        assertThat(collector.getDescriptor().requires()).extracting(ModuleDescriptor.Requires::name)
                .doesNotContain("java.desktop");
        ModuleLayer.boot().findModule("java.desktop")
                .ifPresent(desktop -> assertThat(collector.canRead(desktop)).as("reads java.desktop").isFalse());
    }

    private boolean isLibrary(String internalName) throws ClassNotFoundException {
        Class<?> owner = Class.forName(internalName.replace('/', '.'), false, getClass().getClassLoader());
        return Library.class.isAssignableFrom(owner);
    }

    /** The parts of a class file's constant pool this test needs (JVMS 4.4). */
    private record ClassFile(String name, List<String> utf8, Set<String> memberOwners) {

        static ClassFile read(String name, InputStream stream) throws IOException {
            DataInputStream in = new DataInputStream(stream);
            if (in.readInt() != 0xCAFEBABE) {
                throw new IOException(name + " is not a class file");
            }
            in.readUnsignedShort(); // minor
            in.readUnsignedShort(); // major
            int count = in.readUnsignedShort();
            String[] strings = new String[count];
            int[] classNameIndex = new int[count];
            List<Integer> ownerClassIndexes = new ArrayList<>();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> strings[i] = in.readUTF();
                    case 3, 4 -> in.readInt();
                    case 5, 6 -> {
                        in.readLong();
                        i++; // takes two slots
                    }
                    case 7 -> classNameIndex[i] = in.readUnsignedShort();
                    case 8, 16, 19, 20 -> in.readUnsignedShort();
                    case 9, 10, 11 -> {
                        ownerClassIndexes.add(in.readUnsignedShort());
                        in.readUnsignedShort();
                    }
                    case 12, 17, 18 -> in.readInt();
                    case 15 -> {
                        in.readUnsignedByte();
                        in.readUnsignedShort();
                    }
                    default -> throw new IOException(name + ": unknown constant pool tag " + tag + " at " + i);
                }
            }
            Set<String> owners = new TreeSet<>();
            for (int index : ownerClassIndexes) {
                owners.add(strings[classNameIndex[index]]);
            }
            List<String> texts = Arrays.stream(strings).filter(s -> s != null).toList();
            return new ClassFile(name, texts, owners);
        }
    }
}
