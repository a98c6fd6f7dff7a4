package com.xentracker.collector.cli;

import com.xentracker.collector.Agent;
import com.xentracker.collector.AgentConfig;
import com.xentracker.collector.ConfigLayers.LayeredConfig;
import com.xentracker.collector.NotEnrolledException;
import com.xentracker.collector.browser.BrowserEndpointConfig;
import com.xentracker.collector.buffer.Backlog;
import com.xentracker.collector.buffer.BufferReader;
import com.xentracker.collector.enrollment.EnrolledDevice;
import com.xentracker.collector.enrollment.EnrollmentSettings;
import com.xentracker.collector.enrollment.SilentEnrollment;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", description = {"Record and upload until stopped (Ctrl-C or SIGTERM stop cleanly).",
        "Not enrolled yet, with server-url, the server's CA and an enrollment token in the configuration (the system"
                + " file an installer writes): enrolls first, without a prompt, and tries again with back-off until it"
                + " works (status says why it has not yet)."})
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
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
        LayeredConfig layered = options.load(commandLineOptions());
        AgentConfig config = layered.config();
        com.xentracker.collector.logging.AgentLogConfigurator.use(config.logFormat());
        boolean enroll = needsEnrollment(config);
        if (enroll) {
            requireEnrollmentSettings(config);
        }
        CountDownLatch stopRequested = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Object starting = new Object();
        Agent[] running = new Agent[1];
        // SIGINT/SIGTERM run the hooks: stop waiting for an enrollment, or close the open span and try a last
        // upload, before the JVM exits
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopRequested.countDown();
            synchronized (starting) {
                if (running[0] != null) {
                    running[0].close();
                }
            }
            stopped.countDown();
        }, "xt-shutdown"));
        if (enroll) {
            Optional<EnrolledDevice> enrolled = enrollSilently(config, stopRequested);
            if (enrolled.isEmpty()) {
                stopped.await();
                return ExitCodes.OK; // stopped while waiting for the next attempt
            }
        }
        synchronized (starting) {
            if (stopRequested.getCount() == 0) {
                return ExitCodes.OK;
            }
            // the device's zone: spans end at its midnight
            running[0] = Agent.start(config, Clock.systemDefaultZone());
        }
        if (System.console() != null) {
            Path bufferFile = config.bufferFile();
            BacklogProgress.of(running[0].backlog()).ifPresent(progress -> showProgress(bufferFile, progress));
        }
        stopped.await();
        return ExitCodes.OK;
    }

    /** Not enrolled, no re-enrollment to finish: enrolling silently is the only way on (or there is none). */
    private static boolean needsEnrollment(AgentConfig config) {
        return !EnrolledDevice.replacementUnfinished(config.dataDir()) && EnrolledDevice.load(config.dataDir()).isEmpty();
    }

    /**
     * Nothing is configured to enroll with: a person must run {@code enroll}. A partial configuration (a server but
     * no token) is not refused here: the attempts say what is missing, in {@code status}, until it is fixed.
     */
    private void requireEnrollmentSettings(AgentConfig config) {
        EnrollmentSettings settings = config.enrollment();
        if (settings.serverUrl().isEmpty() && settings.token().isEmpty()) {
            throw new NotEnrolledException("this device is not enrolled (no enrollment in " + config.dataDir()
                    + "), and no server to enroll with is configured: run `" + options.agentCommand()
                    + " enroll` first, or put server-url, server-ca-file and enrollment-token-file into the system"
                    + " configuration (see `" + options.agentCommand() + " run --help`)");
        }
    }

    /**
     * Enrolls with the configured server, CA and token, trying again until it works or {@code stop} is counted down;
     * the settings are read again before every attempt, so a token the administrator replaces is picked up.
     */
    private Optional<EnrolledDevice> enrollSilently(AgentConfig config, CountDownLatch stop)
            throws InterruptedException {
        EnrollmentSettings settings = config.enrollment();
        LOG.info("not enrolled yet: enrolling with {} as the configuration says (no prompt)",
                settings.serverUrl().map(Object::toString).orElse("(no server-url configured)"));
        SilentEnrollment enrollment = SilentEnrollment.create(config.dataDir(),
                () -> options.load(commandLineOptions()).config().enrollment(), Clock.systemUTC(),
                RandomGenerator.getDefault()::nextDouble);
        return enrollment.enroll(stop);
    }

    private Map<String, String> commandLineOptions() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(AgentConfig.POLL_INTERVAL, pollInterval);
        settings.put(AgentConfig.IDLE_THRESHOLD, idleThreshold);
        settings.put(AgentConfig.UPLOAD_INTERVAL, uploadInterval);
        settings.put(AgentConfig.COLLECT_WINDOW_TITLES, collectWindowTitles);
        settings.put(BrowserEndpointConfig.PORT, browserEndpointPort);
        return settings;
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
}
