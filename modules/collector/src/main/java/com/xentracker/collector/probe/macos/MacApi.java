package com.xentracker.collector.probe.macos;

import java.util.Objects;
import java.util.Optional;

/**
 * The macOS calls the probe makes, one method per question, with plain Java types. Nothing here decides anything;
 * {@link MacForegroundProbe} does, so that its logic can be tested on any OS with a fake. {@link JnaMacApi} is the
 * real one.
 */
interface MacApi {

    /**
     * {@code CGSessionCopyCurrentDictionary()}: the Quartz session of this process; empty when it runs outside a GUI
     * login session (launch daemon, SSH).
     */
    Optional<Session> session();

    /**
     * {@code NSWorkspace.sharedWorkspace.frontmostApplication}: {@code processIdentifier}, {@code localizedName},
     * {@code bundleIdentifier}, {@code executableURL.path}; empty when there is none.
     */
    Optional<FrontmostApplication> frontmostApplication();

    /**
     * {@code CGEventSourceSecondsSinceLastEventType(kCGEventSourceStateCombinedSessionState, kCGAnyInputEventType)}.
     * It says when the last input was, never what it was; it needs no permission.
     */
    double secondsSinceLastInput();

    /** {@code AXIsProcessTrusted()}: the Accessibility permission (Privacy &amp; Security → Accessibility). */
    boolean accessibilityTrusted();

    /** {@code CGPreflightScreenCaptureAccess()}: the Screen Recording permission; never prompts. */
    boolean screenRecordingAllowed();

    /**
     * The title of the application's focused window through Accessibility ({@code AXFocusedWindow}, {@code AXTitle});
     * empty without the permission or a focused window.
     */
    Optional<String> focusedWindowTitle(int processId);

    /**
     * The name of the application's frontmost normal window ({@code kCGWindowName} of the first layer-0 entry of
     * {@code CGWindowListCopyWindowInfo}); macOS withholds it without Screen Recording permission.
     */
    Optional<String> frontWindowTitle(int processId);

    /**
     * The {@code CGSSessionScreenIsLocked} and {@code kCGSSessionOnConsoleKey} entries of the session dictionary.
     *
     * @param screenLocked the lock screen is up
     * @param onConsole    the session owns the screen (false while another user's session is active)
     */
    record Session(boolean screenLocked, boolean onConsole) {}

    /** What {@code NSRunningApplication} says about the frontmost application. */
    record FrontmostApplication(int processId, Optional<String> localizedName, Optional<String> bundleIdentifier,
            Optional<String> executablePath) {

        public FrontmostApplication {
            Objects.requireNonNull(localizedName, "localizedName");
            Objects.requireNonNull(bundleIdentifier, "bundleIdentifier");
            Objects.requireNonNull(executablePath, "executablePath");
        }
    }
}
