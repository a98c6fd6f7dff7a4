package com.xentracker.collector.probe.windows;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The Win32 calls the Windows probe makes, one method per call (or per open-query-close sequence), with plain Java
 * types: window handles as {@code long} (0 = none), process ids and tick counts as {@code int}. Nothing here
 * decides anything; {@link WindowsForegroundProbe} does, so that its logic can be tested on any OS with a fake.
 * {@link JnaWindowsApi} is the real one.
 */
interface WindowsApi {

    /** {@code GetForegroundWindow()}: 0 when no window has the focus (while switching, locked, secure desktop). */
    long foregroundWindow();

    /** {@code GetWindowThreadProcessId(window)}: the owning process, 0 when the window is gone. */
    int processIdOf(long window);

    /**
     * {@code OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION)}, {@code QueryFullProcessImageNameW},
     * {@code CloseHandle}: the executable's full Win32 path ({@code C:\Windows\System32\notepad.exe}); empty when
     * the process is gone or protected.
     */
    Optional<String> imagePathOf(int processId);

    /** {@code GetWindowTextW(window)}: the title, "" when it has none or is gone. */
    String windowText(long window);

    /** {@code EnumChildWindows(window)}: the child windows' handles. */
    List<Long> childWindows(long window);

    /**
     * {@code GetLastInputInfo().dwTime}: the {@link #tickCount()} of the session's last input (a 32-bit value that
     * wraps every 49.7 days).
     *
     * @throws com.xentracker.collector.ProbeFailedException when the call fails
     */
    int lastInputTick();

    /** {@code GetTickCount()}: milliseconds since boot, 32 bits, wrapping every 49.7 days. */
    int tickCount();

    /**
     * {@code OpenInputDesktop}, {@code GetUserObjectInformationW(UOI_NAME)}, {@code CloseDesktop}: true when the
     * desktop receiving input is the user's ({@code Default}); false when it is the logon desktop ({@code Winlogon}:
     * locked, Ctrl+Alt+Del, UAC prompt) or cannot be opened, which is what a user process gets while it is locked.
     */
    boolean inputDesktopIsTheUsers();

    /** {@code ProcessIdToSessionId(GetCurrentProcessId())}: this process's session; 0 is the services' session. */
    OptionalInt currentSessionId();
}
