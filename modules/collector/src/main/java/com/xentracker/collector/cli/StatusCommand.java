package com.xentracker.collector.cli;

import com.xentracker.collector.AgentConfig;
import com.xentracker.collector.NotEnrolledException;
import com.xentracker.collector.buffer.AgentStatus;
import com.xentracker.collector.buffer.AgentStatus.AgentProcess;
import com.xentracker.collector.buffer.AgentStatus.Capture;
import com.xentracker.collector.buffer.AgentStatus.UploadError;
import com.xentracker.collector.buffer.Backlog;
import com.xentracker.collector.buffer.BrowserEndpointStatus;
import com.xentracker.collector.buffer.BufferReader;
import com.xentracker.collector.enrollment.EnrolledDevice;
import com.xentracker.collector.enrollment.EnrollmentAttempts;
import com.xentracker.collector.enrollment.EnrollmentSettings;
import com.xentracker.collector.policy.PolicyCache;
import com.xentracker.core.activity.Span;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.transport.wire.CaptureState;
import com.xentracker.transport.wire.ErrorCode;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code status}: the enrollment, whether the agent runs and records (and if not, why, in plain words), the policy,
 * what waits for upload, the last upload and the last error. Reads the buffer file through a read-only connection,
 * so it works while the agent runs. Times are local.
 */
@Command(name = "status", description = "Show the enrollment, whether the agent records, what waits for upload,"
        + " the last upload and the last error.")
final class StatusCommand implements Callable<Integer> {

    /** The upload error kind of a device whose uploads the server refuses for good (DrainResult.Outcome). */
    private static final String STOPPED = "STOPPED";
    /** Continues a value on the next line, under the value column. */
    private static final String CONTINUATION = System.lineSeparator() + " ".repeat(15);

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions options;

    @Override
    public Integer call() {
        AgentConfig config = options.config();
        PrintWriter out = spec.commandLine().getOut();
        Optional<EnrolledDevice> enrolled = EnrolledDevice.load(config.dataDir());
        if (EnrolledDevice.replacementUnfinished(config.dataDir())) {
            out.printf("Enrollment:    a re-enrollment was interrupted before its new identity was in place;%s"
                    + "`%s` or `%s` finishes it (no new token needed)%n", CONTINUATION, command("run"),
                    command("enroll --replace"));
        }
        if (enrolled.isEmpty() && EnrolledDevice.replacementUnfinished(config.dataDir())) {
            return ExitCodes.OK;
        }
        Clock clock = Clock.systemDefaultZone();
        HumanFormat format = new HumanFormat(clock.getZone(), clock.instant());
        if (enrolled.isEmpty()) {
            return notEnrolled(config, out, format);
        }
        EnrolledDevice device = enrolled.get();
        out.printf("Server:        %s%n", device.serverUri());
        out.printf("Organization:  %s (%s)%n", device.organizationName(), device.organizationId());
        out.printf("Device id:     %s%n", device.deviceId());
        Optional<BufferReader> opened = BufferReader.open(config.bufferFile());
        if (opened.isEmpty()) {
            out.printf("Agent:         has not run yet on this data directory%n");
            out.printf("Policy:        %s%n", policy(config, Optional.empty(), format));
            out.printf("Backlog:       none (nothing recorded yet)%nLast upload:   never%nLast error:    none%n");
            return ExitCodes.OK;
        }
        try (BufferReader buffer = opened.get()) {
            AgentStatus status = buffer.agentStatus();
            Optional<Span> open = buffer.openSpan();
            Backlog backlog = buffer.backlog();
            stopped(status).ifPresent(error -> out.printf("Enrollment:    %s%n", refused(error, config, format)));
            out.printf("Agent:         %s%n", agent(status.process(), open, format));
            boolean stopped = status.process().isPresent() && !running(status.process());
            // what the agent could observe is only news while it runs; after a stop it is history
            status.capture().ifPresent(capture -> out.printf("Capture:       %s%n", stopped
                    ? "none while stopped (when it stopped: " + capture(capture, format) + ")"
                    : capture(capture, format)));
            buffer.browserEndpointStatus().ifPresent(browser -> out.printf("Browser:       %s%n",
                    browser(browser, running(status.process()), format)));
            out.printf("Policy:        %s%n", policy(config, status.policy(), format));
            out.printf("Backlog:       %s%n", backlog(backlog, format));
            out.printf("Buffer file:   %s in use of %s (older unsent spans are dropped beyond it, or after %s)%n",
                    HumanFormat.bytes(backlog.usedBytes()), HumanFormat.bytes(config.bufferMaxSize()),
                    HumanFormat.duration(config.bufferMaxAge()));
            out.printf("Last upload:   %s%n", status.lastUploadAt().map(format::whenAgo).orElse("never"));
            out.printf("Last error:    %s%n", status.lastError().map(error -> error(error, status, format))
                    .orElse("none"));
        }
        return ExitCodes.OK;
    }

    /** Whether the agent that last noted its state runs now. */
    private static boolean running(Optional<AgentProcess> process) {
        return process.filter(agent -> agent.stoppedAt().isEmpty())
                .flatMap(agent -> ProcessHandle.of(agent.pid())).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String agent(Optional<AgentProcess> process, Optional<Span> open, HumanFormat format) {
        if (process.isEmpty()) {
            return "has not run yet with this version";
        }
        AgentProcess agent = process.get();
        if (agent.stoppedAt().isPresent()) {
            return "not running (stopped " + format.whenAgo(agent.stoppedAt().get()) + ")";
        }
        boolean alive = ProcessHandle.of(agent.pid()).map(ProcessHandle::isAlive).orElse(false);
        String lastSample = open.map(span -> "; last sample " + format.ago(span.end())).orElse("");
        if (alive) {
            return "running since " + format.dateTime(agent.startedAt()) + " (pid " + agent.pid() + ")" + lastSample;
        }
        return "not running: it ended without a clean stop (pid " + agent.pid() + ", started "
                + format.dateTime(agent.startedAt()) + ")" + lastSample;
    }

    /** The capture state in plain words. */
    private static String capture(Capture capture, HumanFormat format) {
        String headline = switch (capture.state()) {
            case RECORDING -> "recording";
            case NO_DISPLAY -> "NOT RECORDING: no graphical session (no X display) for the agent to observe";
            case WAYLAND_UNSUPPORTED -> "NOT RECORDING: this is a Wayland session, where foreground tracking is"
                    + " unavailable";
            case PERMISSION_MISSING -> "LIMITED: the operating system withholds a permission the agent needs";
            case UNSUPPORTED_OS -> "NOT RECORDING: this operating system is not supported yet";
            case PAUSED -> "paused: private time";
            case OUTSIDE_WORKING_HOURS -> "not recording: outside the organization's working hours";
            case UNKNOWN -> "PROBLEM: the agent cannot tell what is in the foreground";
        };
        String since = " (since " + format.dateTime(capture.since()) + ")";
        return capture.detail().isEmpty() ? headline + since
                : headline + since + CONTINUATION + capture.detail();
    }

    /** The browser endpoint in plain words: listening or why not, and the extension's last report. */
    private static String browser(BrowserEndpointStatus browser, boolean running, HumanFormat format) {
        if (!running) {
            return "the endpoint for the browser extension is not listening: the agent is not running"
                    + browser.lastReport().map(at -> "; the extension last reported " + format.whenAgo(at)).orElse("");
        }
        if (!browser.listening()) {
            return "web pages are NOT recorded: the endpoint for the browser extension is " + browser.detail()
                    + " (since " + format.dateTime(browser.since()) + ")";
        }
        return "extension endpoint " + browser.detail() + "; " + browser.lastReport()
                .map(at -> "the browser extension last reported " + format.whenAgo(at))
                .orElse("no report from a browser extension since " + format.dateTime(browser.since()));
    }

    /**
     * The policy this device applies, from the policy cache the agent keeps in the data directory (the defaults when
     * none was received), and when the server last confirmed its version.
     */
    private static String policy(AgentConfig config, Optional<AgentStatus.PolicySeen> seen, HumanFormat format) {
        PolicyCache cache = PolicyCache.open(config.dataDir());
        CollectionPolicy policy = cache.current();
        StringBuilder text = new StringBuilder();
        if (policy.version() > 0) {
            text.append("organization policy version ").append(policy.version());
        } else if (cache.received() || seen.isPresent()) {
            text.append("the organization's defaults (policy version 0: the organization has not changed them)");
        } else {
            text.append("the built-in defaults (nothing received from the server yet)");
        }
        seen.ifPresent(last -> text.append(", confirmed by the server ").append(format.dateTime(last.at())));
        boolean titles = policy.collectWindowTitles() && config.collectWindowTitles();
        text.append(CONTINUATION).append("window titles ").append(titles ? "ON (stored and uploaded"
                + (policy.titleRedactions().isEmpty() ? ")" : ", after " + policy.titleRedactions().size()
                        + " redaction rule(s))") : "off (never stored)");
        if (policy.collectWindowTitles() && !config.collectWindowTitles()) {
            text.append(" because this device refuses them (collect-window-titles=false)");
        }
        if (!policy.excludedApplications().isEmpty()) {
            text.append("; ").append(policy.excludedApplications().size())
                    .append(" application(s) recorded only as excluded time");
        }
        text.append(CONTINUATION).append("idle after ").append(HumanFormat.duration(policy.idleThreshold()))
                .append(" without input; ").append(policy.workingHours().isPresent()
                        ? "nothing recorded outside working hours" : "no working hours set")
                .append("; private time ").append(policy.privateTimeAllowed() ? "allowed (pause, resume)"
                        : "not allowed");
        return text.toString();
    }

    private static String backlog(Backlog backlog, HumanFormat format) {
        if (backlog.unsentSpans() == 0 && backlog.unsentGaps() == 0) {
            return "nothing waiting for upload";
        }
        StringBuilder text = new StringBuilder();
        text.append(backlog.unsentSpans()).append(backlog.unsentSpans() == 1 ? " span" : " spans")
                .append(" (about ").append(HumanFormat.bytes(backlog.unsentBytes())).append(") waiting");
        backlog.oldestUnsentStart().ifPresent(oldest -> text.append(", the oldest from ")
                .append(format.whenAgo(oldest)));
        if (backlog.unsentGaps() > 0) {
            text.append("; ").append(backlog.unsentGaps()).append(backlog.unsentGaps() == 1 ? " gap record" : " gap records")
                    .append(" (activity the buffer had to drop)");
        }
        if (backlog.pendingBatches() > 0) {
            text.append("; ").append(backlog.pendingBatches()).append(backlog.pendingBatches() == 1 ? " batch awaits"
                    : " batches await").append(" the server's acknowledgement");
        }
        return text.toString();
    }

    private static String error(UploadError error, AgentStatus status, HumanFormat format) {
        String plain = switch (error.kind()) {
            case "SERVER_UNREACHABLE" -> "the server could not be reached";
            case "SERVER_REJECTED" -> "the server refused the upload";
            case STOPPED -> "UPLOADS STOPPED: " + error.code().flatMap(StatusCommand::refusal)
                    .orElse("the server no longer accepts this device (revoked or deleted)");
            case "BATCH_DROPPED" -> "the server refused a batch for good; it was dropped and reported as a gap";
            default -> "the upload could not be prepared";
        };
        boolean recovered = status.lastUploadAt().map(upload -> upload.isAfter(error.at())).orElse(false);
        String waiting = error.kind().equals(STOPPED)
                ? " (what was recorded stays in the buffer; `enroll --replace` sends it under a new identity)"
                : " (unsent spans wait in the buffer and are sent when it works again)";
        Instant at = error.at();
        return format.whenAgo(at) + ": " + plain + (recovered ? " (uploads have worked since)" : waiting)
                + CONTINUATION + error.message();
    }

    /** The upload error that says the server stopped taking this device's uploads, unless one worked since. */
    private static Optional<UploadError> stopped(AgentStatus status) {
        return status.lastError().filter(error -> error.kind().equals(STOPPED))
                .filter(error -> status.lastUploadAt().filter(upload -> upload.isAfter(error.at())).isEmpty());
    }

    /**
     * A device the server no longer takes uploads from, in plain words, and the one way out: enroll again as a new
     * device. The old identity cannot come back (the server never lets a key that ever enrolled enroll again).
     */
    private String refused(UploadError error, AgentConfig config, HumanFormat format) {
        String what = error.code().filter(ErrorCode.DEVICE_REVOKED::equals).map(code -> "REVOKED: ")
                .or(() -> error.code().filter(ErrorCode.DEVICE_UNKNOWN::equals).map(code -> "DELETED: "))
                .orElse("REVOKED OR DELETED: ") + error.code().flatMap(StatusCommand::refusal)
                .orElse("the server no longer accepts this device");
        return what + " (noticed " + format.whenAgo(error.at()) + "). Nothing is uploaded any more; what was"
                + " recorded stays in the buffer." + CONTINUATION + "To enroll it again as a new device, get a new"
                + " enrollment token from your administrator, stop the agent, and run:" + CONTINUATION + "  "
                + command("enroll --replace --token-file FILE") + CONTINUATION + "The old identity is kept"
                + " aside; what the server has not acknowledged is sent under the new one.";
    }

    /** Why the server takes no more uploads from this device, by its error code. */
    private static Optional<String> refusal(ErrorCode code) {
        return switch (code) {
            case DEVICE_REVOKED -> Optional.of("the organization revoked this device");
            case DEVICE_UNKNOWN -> Optional.of("the server no longer knows this device (it was deleted)");
            default -> Optional.empty();
        };
    }

    private String command(String arguments) {
        return options.agentCommand() + " " + arguments + options.repeatedOptions();
    }

    /**
     * Not enrolled: whether and where the agent enrolls by itself (the system configuration names a server), how
     * its attempts went and when it tries next; or that a person must run {@code enroll}. Exit code 3 all the same.
     */
    private int notEnrolled(AgentConfig config, PrintWriter out, HumanFormat format) {
        EnrollmentSettings settings = config.enrollment();
        Optional<EnrollmentAttempts> attempts = EnrollmentAttempts.read(config.dataDir());
        if (attempts.isEmpty() && settings.serverUrl().isEmpty() && settings.token().isEmpty()) {
            throw new NotEnrolledException("this device is not enrolled (no enrollment in " + config.dataDir()
                    + "): run `" + command("enroll") + "` with the server, its CA and a token, or configure"
                    + " them (server-url, server-ca-file, enrollment-token-file) for the agent to enroll by itself");
        }
        out.printf("Enrollment:    NOT ENROLLED YET%n");
        out.printf("Server:        %s%n", settings.serverUrl().map(Object::toString).orElse("(none configured)"));
        if (attempts.isEmpty()) {
            out.printf("Attempts:      none yet: the agent enrolls without a prompt when it starts (`%s`)%s%n",
                    command("run"), settings.complete() ? ""
                            : CONTINUATION + "but the configuration still lacks " + String.join(", ", settings.missing()));
        } else {
            EnrollmentAttempts failed = attempts.get();
            out.printf("Attempts:      %d failed since %s; the last %s:%s%s%n", failed.attempts(),
                    format.dateTime(failed.firstAttempt()), format.whenAgo(failed.lastAttempt()), CONTINUATION,
                    failed.reason());
            out.printf("Next attempt:  %s (while the agent runs; it keeps trying, more slowly after each failure)%n",
                    failed.nextAttempt().isAfter(format.now()) ? format.dateTime(failed.nextAttempt())
                            : "when the agent starts again");
        }
        out.flush();
        return ExitCodes.ENROLLMENT;
    }
}
