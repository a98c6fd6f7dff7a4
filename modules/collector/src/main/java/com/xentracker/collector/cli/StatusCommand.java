package com.xentracker.collector.cli;

import com.xentracker.collector.AgentConfig;
import com.xentracker.collector.NotEnrolledException;
import com.xentracker.collector.buffer.Backlog;
import com.xentracker.collector.buffer.SpanBuffer;
import com.xentracker.collector.enrollment.EnrolledDevice;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "status", description = "Show the enrollment and what waits for upload.")
final class StatusCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions options;

    @Override
    public Integer call() {
        AgentConfig config = options.config();
        EnrolledDevice device = EnrolledDevice.load(config.dataDir()).orElseThrow(() -> new NotEnrolledException(
                "this device is not enrolled (no enrollment in " + config.dataDir() + ")"));
        Instant now = Clock.systemUTC().instant();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Server:        %s%n", device.serverUri());
        out.printf("Organization:  %s (%s)%n", device.organizationName(), device.organizationId());
        out.printf("Device id:     %s%n", device.deviceId());
        if (!Files.exists(config.bufferFile())) {
            out.printf("Backlog:       none (nothing recorded yet)%nLast upload:   never%n");
            return ExitCodes.OK;
        }
        try (SpanBuffer buffer = SpanBuffer.open(config.bufferFile())) {
            Backlog backlog = buffer.backlog();
            out.printf("Backlog:       %d span(s)%s%s%n", backlog.unsentSpans(),
                    backlog.oldestUnsentStart().map(oldest -> ", oldest from " + oldest + " (" + ago(oldest, now) + ")")
                            .orElse(""),
                    backlog.pendingBatches() > 0 ? ", " + backlog.pendingBatches() + " batch(es) awaiting acknowledgement"
                            : "");
            out.printf("Last upload:   %s%n", backlog.lastAcknowledgedAt()
                    .map(at -> at + " (" + ago(at, now) + ")").orElse("never"));
        }
        return ExitCodes.OK;
    }

    private static String ago(Instant then, Instant now) {
        Duration age = Duration.between(then, now);
        if (age.isNegative()) {
            return "in the future: check the clock";
        }
        if (age.toHours() > 0) {
            return age.toHours() + " h " + age.toMinutesPart() + " min ago";
        }
        if (age.toMinutes() > 0) {
            return age.toMinutes() + " min " + age.toSecondsPart() + " s ago";
        }
        return age.toSeconds() + " s ago";
    }
}
