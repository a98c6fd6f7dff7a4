package com.xentracker.collector.probe.windows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A desktop made of plain data, answering like user32/kernel32 would: windows (owner process, title, children),
 * processes (image path), the foreground window, tick counts, the input desktop and this process's session.
 */
final class FakeWindowsApi implements WindowsApi {

    private record Window(int processId, String title, List<Long> children) {}

    private final Map<Long, Window> windows = new HashMap<>();
    private final Map<Integer, String> images = new HashMap<>();
    long foreground;
    int lastInputTick;
    int tickCount;
    boolean usersDesktop = true;
    OptionalInt sessionId = OptionalInt.of(1);

    /** A process with its executable's Win32 path. */
    FakeWindowsApi process(int processId, String imagePath) {
        images.put(processId, imagePath);
        return this;
    }

    /** A top-level or child window. */
    FakeWindowsApi window(long handle, int processId, String title, Long... children) {
        windows.put(handle, new Window(processId, title, List.of(children)));
        return this;
    }

    FakeWindowsApi foreground(long handle) {
        foreground = handle;
        return this;
    }

    FakeWindowsApi ticks(int lastInput, int now) {
        lastInputTick = lastInput;
        tickCount = now;
        return this;
    }

    @Override
    public long foregroundWindow() {
        return foreground;
    }

    @Override
    public int processIdOf(long window) {
        Window found = windows.get(window);
        return found == null ? 0 : found.processId();
    }

    @Override
    public Optional<String> imagePathOf(int processId) {
        return Optional.ofNullable(images.get(processId));
    }

    @Override
    public String windowText(long window) {
        Window found = windows.get(window);
        return found == null ? "" : found.title();
    }

    @Override
    public List<Long> childWindows(long window) {
        Window found = windows.get(window);
        return found == null ? List.of() : new ArrayList<>(found.children());
    }

    @Override
    public int lastInputTick() {
        return lastInputTick;
    }

    @Override
    public int tickCount() {
        return tickCount;
    }

    @Override
    public boolean inputDesktopIsTheUsers() {
        return usersDesktop;
    }

    @Override
    public OptionalInt currentSessionId() {
        return sessionId;
    }
}
