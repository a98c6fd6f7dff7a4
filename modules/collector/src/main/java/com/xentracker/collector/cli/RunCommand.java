package com.xentracker.collector.cli;

import com.xentracker.collector.Agent;
import com.xentracker.collector.AgentConfig;
import com.xentracker.collector.browser.BrowserEndpointConfig;
import com.xentracker.collector.buffer.Backlog;
import com.xentracker.collector.buffer.BufferReader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", description = "Record and upload until stopped (Ctrl-C or SIGTERM stop cleanly).")
final class RunCommand implements Callable<Integer> {

    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);

    @Mixin
    private ConfigOptions options;

    @Option(names = "--poll-interval", paramLabel = "DURATION", description = "Default 1s.")
    private String pollInterval;

    @Option(names = "--idle-threshold", paramLabel = "DURATION",
            description = "Not used: the organization's policy sets the idle threshold (3m by default).")
    private String idleThreshold;

    @Option(names = "--upload-interval", paramLabel = "DURATION", description = "Default 30s.")
    private String uploadInterval;

    @Option(names = "--collect-window-titles", paramLabel = "true|false", arity = "0..1", fallbackValue = "true",
            description = "false: never store window titles on this device. true (default): store them where the"
                    + " organization's policy collects them; it cannot turn them on against the policy.")
    private String collectWindowTitles;

    @Option(names = "--browser-endpoint-port", paramLabel = "PORT",
            description = "Port on 127.0.0.1 for the browser extension (default 47291; 0 = any free port).")
    private String browserEndpointPort;

    @Override
    public Integer call() throws InterruptedException {
        AgentConfig config = options.config();
        config = override(config, AgentConfig.POLL_INTERVAL, pollInterval);
        config = override(config, AgentConfig.IDLE_THRESHOLD, idleThreshold);
        config = override(config, AgentConfig.UPLOAD_INTERVAL, uploadInterval);
        config = override(config, AgentConfig.COLLECT_WINDOW_TITLES, collectWindowTitles);
        config = override(config, BrowserEndpointConfig.PORT, browserEndpointPort);
        com.xentracker.collector.logging.AgentLogConfigurator.use(config.logFormat());
        Agent agent = Agent.start(config, Clock.systemDefaultZone()); // the device's zone: spans end at its midnight
        if (System.console() != null) {
            Path bufferFile = config.bufferFile();
            BacklogProgress.of(agent.backlog()).ifPresent(progress -> showProgress(bufferFile, progress));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGINT/SIGTERM run the hooks: close the open span and try a last upload before the JVM exits
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "xt-shutdown"));
        stopped.await();
        return ExitCodes.OK;
    }

    /**
     * In a terminal, after days offline: a bar on stdout (the log goes to stderr) until the backlog is uploaded. It
     * reads through its own read-only connection: summing a large backlog takes a while, and on the agent's own
     * connection it would hold the buffer's lock that every poll needs (WAL readers never block the writer).
     */
    private static void showProgress(Path bufferFile, BacklogProgress progress) {
        PrintStream out = System.out;
        Thread thread = new Thread(() -> {
            try (BufferReader reader = BufferReader.open(bufferFile).orElseThrow()) {
                Backlog now = reader.backlog();
                while (!progress.done(now)) {
                    out.print("\r" + progress.line(now));
                    out.flush();
                    Thread.sleep(PROGRESS_INTERVAL.toMillis());
                    now = reader.backlog();
                }
                out.println("\r" + progress.line(now));
            } catch (InterruptedException | RuntimeException e) {
                // the agent is stopping (its buffer closed): the bar just ends
            }
        }, "xt-progress");
        thread.setDaemon(true);
        thread.start();
    }

    private static AgentConfig override(AgentConfig config, String key, String value) {
        return value == null ? config : config.with(key, value);
    }
}
