package com.xentracker.collector.probe.macos;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A Mac made of plain data: the session, the frontmost application, the idle counter, the two permissions and the
 * window titles each route would give. It counts title requests, so tests can prove the probe does not ask for what
 * it may not read.
 */
final class FakeMacApi implements MacApi {

    Optional<Session> session = Optional.of(new Session(false, true));
    Optional<FrontmostApplication> frontmost = Optional.empty();
    double secondsSinceLastInput;
    boolean accessibility;
    boolean screenRecording;
    final Map<Integer, String> accessibilityTitles = new HashMap<>();
    final Map<Integer, String> windowListTitles = new HashMap<>();
    int titleRequests;

    FakeMacApi frontmost(int pid, String localizedName, String bundleIdentifier, String executablePath) {
        frontmost = Optional.of(new FrontmostApplication(pid, Optional.ofNullable(localizedName),
                Optional.ofNullable(bundleIdentifier), Optional.ofNullable(executablePath)));
        return this;
    }

    @Override
    public Optional<Session> session() {
        return session;
    }

    @Override
    public Optional<FrontmostApplication> frontmostApplication() {
        return frontmost;
    }

    @Override
    public double secondsSinceLastInput() {
        return secondsSinceLastInput;
    }

    @Override
    public boolean accessibilityTrusted() {
        return accessibility;
    }

    @Override
    public boolean screenRecordingAllowed() {
        return screenRecording;
    }

    @Override
    public Optional<String> focusedWindowTitle(int processId) {
        titleRequests++;
        // like macOS: nothing without the permission
        return accessibility ? Optional.ofNullable(accessibilityTitles.get(processId)) : Optional.empty();
    }

    @Override
    public Optional<String> frontWindowTitle(int processId) {
        titleRequests++;
        return screenRecording ? Optional.ofNullable(windowListTitles.get(processId)) : Optional.empty();
    }
}
