package com.xentracker.collector.probe;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The window with the focus.
 *
 * @param application the application's name: on X11 the class part of {@code WM_CLASS}, lower-cased (xterm's
 *                    {@code XTerm} becomes {@code xterm}), so one application has one name whatever its toolkit's
 *                    capitalisation
 * @param executable  the owning process's executable, when the window names its process and that process is
 *                    readable by this user
 * @param pid         the owning process's id, when the window names it ({@code _NET_WM_PID})
 * @param title       the window title, when it has one. Whether it may be stored is a policy decision of the
 *                    recorder, not of the probe
 */
public record ForegroundWindow(String application, Optional<Path> executable, OptionalLong pid, Optional<String> title) {

    public ForegroundWindow {
        Objects.requireNonNull(application, "application");
        Objects.requireNonNull(executable, "executable");
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(title, "title");
        if (application.isBlank()) {
            throw new IllegalArgumentException("application name is blank");
        }
    }

    @Override
    public String toString() {
        // titles may be personal (mail subjects, document names): keep them out of logs and assertion messages
        return "ForegroundWindow[application=" + application + ", executable=" + executable + ", pid=" + pid
                + ", title=" + (title.isPresent() ? "<" + title.get().length() + " chars>" : "none") + "]";
    }
}
