package com.xentracker.testing.x11;

import com.xentracker.testing.prerequisite.Prerequisites;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real X server for a test class: {@code Xvfb -screen 0 1280x800x24 -nolisten tcp} on a free display number,
 * optionally with {@code openbox --sm-disable} as window manager, and helpers to open real windows and drive them
 * with xdotool. The display name is handed to the code under test explicitly ({@link #display()}); the test JVM's
 * own {@code DISPLAY} is never read or changed.
 *
 * <p>The free display number comes from Xvfb itself ({@code -displayfd}): it takes the first display it can lock
 * and reports it once it accepts connections, so parallel builds never race for a number and no polling is needed.
 *
 * <p>Missing tools skip the test class, unless {@code XT_REQUIRE_ALL=1}: then it fails naming the tool.
 *
 * <pre>{@code @RegisterExtension static final XServerExtension X = XServerExtension.withWindowManager();}</pre>
 */
public final class XServerExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(20);

    private final boolean windowManager;
    private final List<Process> perTest = new ArrayList<>();
    private Process xvfb;
    private Process openbox;
    private String display;

    private XServerExtension(boolean windowManager) {
        this.windowManager = windowManager;
    }

    /** Xvfb with openbox: {@code _NET_ACTIVE_WINDOW} is maintained, {@code windowactivate} works. */
    public static XServerExtension withWindowManager() {
        return new XServerExtension(true);
    }

    /** Bare Xvfb: no window manager, focus only through {@code xdotool windowfocus}. */
    public static XServerExtension withoutWindowManager() {
        return new XServerExtension(false);
    }

    /** The display name, e.g. {@code :3}. */
    public String display() {
        if (display == null) {
            throw new IllegalStateException("the X server is not running");
        }
        return display;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        requireTools(windowManager ? List.of("Xvfb", "openbox", "xdotool", "xterm") : List.of("Xvfb", "xdotool", "xterm"));
        Path log = Files.createTempFile("xt-xvfb-", ".log");
        // A watchdog shell holds Xvfb: it kills the server as soon as its stdin (a pipe from this JVM) closes,
        // whether afterAll closes it or the JVM dies (a crash must not leave X servers behind).
        xvfb = new ProcessBuilder("sh", "-c", "Xvfb -displayfd 1 -screen 0 1280x800x24 -nolisten tcp 2>\"$0\""
                + " </dev/null & server=$!; read -r _; kill $server; wait $server", log.toString())
                .redirectError(log.toFile())
                .start();
        CompletableFuture<String> number = CompletableFuture.supplyAsync(() -> {
            try {
                return new BufferedReader(new InputStreamReader(xvfb.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String line = number.get(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (line == null || !line.strip().matches("\\d+")) {
            xvfb.destroyForcibly();
            throw new IllegalStateException("Xvfb did not report a display; its log: " + Files.readString(log));
        }
        display = ":" + line.strip();
        if (windowManager) {
            openbox = start(List.of("openbox", "--sm-disable"));
            // openbox publishes _NET_CURRENT_DESKTOP once it manages the screen; before that get_desktop fails
            waitUntil(() -> exitCode(List.of("xdotool", "get_desktop")) == 0, "openbox to manage " + display);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        perTest.forEach(XServerExtension::stop);
        perTest.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        afterEach(context);
        if (openbox != null) {
            stop(openbox);
        }
        if (xvfb != null) {
            try {
                xvfb.getOutputStream().close(); // the watchdog stops the server
                if (!xvfb.waitFor(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    stop(xvfb);
                }
            } catch (IOException e) {
                stop(xvfb);
            } catch (InterruptedException e) {
                stop(xvfb);
                Thread.currentThread().interrupt();
            }
        }
        display = null;
    }

    /**
     * Opens an xterm titled {@code title} that stays up (it runs {@code sleep}) and waits until it is mapped.
     *
     * @param extraArgs more xterm options, e.g. {@code -class Other}
     * @return the window id
     */
    public long xterm(String title, String... extraArgs) {
        List<String> command = new ArrayList<>(List.of("xterm", "-T", title));
        command.addAll(List.of(extraArgs));
        command.addAll(List.of("-e", "sleep", "120"));
        perTest.add(start(command));
        long deadline = System.nanoTime() + TOOL_TIMEOUT.toNanos();
        while (true) {
            try {
                String ids = run("xdotool", "search", "--sync", "--onlyvisible", "--name", "^" + title + "$");
                return Long.parseLong(ids.lines().findFirst().orElseThrow().strip());
            } catch (IllegalStateException e) {
                // xdotool exits on BadWindow when any window vanishes while it walks the tree (e.g. the previous
                // test's xterms being killed): search again
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    /** Activates a window through the window manager and waits until it is active. */
    public void activate(long window) {
        run("xdotool", "windowactivate", "--sync", Long.toString(window));
    }

    /** Gives a window the input focus directly (works without a window manager) and waits for it. */
    public void focus(long window) {
        run("xdotool", "windowfocus", "--sync", Long.toString(window));
    }

    /** The process id xdotool reads from the window's {@code _NET_WM_PID}. */
    public long pidOf(long window) {
        return Long.parseLong(run("xdotool", "getwindowpid", Long.toString(window)).strip());
    }

    /** Runs a command against this display to completion and returns its standard output; fails on a non-zero exit. */
    public String run(String... command) {
        Process process = start(List.of(command));
        try {
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "";
                }
            });
            if (!process.waitFor(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                stop(process);
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + TOOL_TIMEOUT);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with exit code "
                        + process.exitValue());
            }
            return output.get(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        }
    }

    /** Kills a process and its children (e.g. an xterm and its sleep) and waits until it is gone. */
    public static void stop(Process process) {
        Stream.concat(process.descendants(), Stream.of(process.toHandle())).forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Polls {@code condition} every 50 ms until it holds; fails after a generous timeout. */
    public static void waitUntil(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TOOL_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private int exitCode(List<String> command) {
        Process process = start(command);
        try {
            if (!process.waitFor(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                stop(process);
                return -1;
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private Process start(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("DISPLAY", display());
        builder.environment().remove("WAYLAND_DISPLAY");
        try {
            return builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
    }

    /** Skips (or, with XT_REQUIRE_ALL=1, fails) when an X tool is not on the PATH, saying which packages bring it. */
    public static void requireTools(List<String> tools) {
        Prerequisites.requireTools(tools, "Debian: apt-get install -y xvfb openbox xdotool xterm x11-apps x11-utils"
                + " x11-xserver-utils");
    }
}
