package com.xentracker.portal.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real agent ({@code AgentMain run}) in its own JVM, recording the test's X display and uploading to the
 * server it enrolled with (the fault proxy). It logs JSON with its ledger of recorded spans turned on
 * ({@code xentracker.recorded-spans}); each start appends to the same log file.
 */
final class AgentProcess {

    static final String POLL = "200ms";

    private final Path dataDirectory;
    private final Path log;
    private final String display;
    private final ZoneOffset zone;
    private Process process;
    private int starts;

    AgentProcess(Path dataDirectory, Path log, String display, ZoneOffset zone) {
        this.dataDirectory = dataDirectory;
        this.log = log;
        this.display = display;
        this.zone = zone;
    }

    Path dataDirectory() {
        return dataDirectory;
    }

    Path bufferFile() {
        return dataDirectory.resolve("buffer.db");
    }

    Path log() {
        return log;
    }

    int starts() {
        return starts;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    void start() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                com.xentracker.testing.clock.FarFromMidnight.jvmOption(zone), "-Dxt.log.debug=xentracker.recorded-spans",
                "--module-path", System.getProperty("jdk.module.path"),
                "-m", "com.xentracker.collector/com.xentracker.collector.cli.AgentMain",
                "run", "--data-dir", dataDirectory.toString(), "--poll-interval", POLL,
                "--upload-interval", "1s", "--browser-endpoint-port", "0"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("DISPLAY", display);
        builder.environment().remove("WAYLAND_DISPLAY");
        builder.environment().put("XT_AGENT_SYSTEM_CONFIG", "none");
        builder.environment().put("XT_AGENT_USER_CONFIG", "none");
        builder.environment().put("XT_AGENT_LOG_FORMAT", "json");
        process = builder.start();
        starts++;
    }

    /** SIGKILL: no shutdown hook, no final write, no final upload. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the agent did not die");
        }
    }

    /** SIGTERM: the agent closes its open span and makes a last upload. */
    void stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.toHandle().destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill();
        }
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (Exception e) {
            return "(no log)";
        }
    }
}
