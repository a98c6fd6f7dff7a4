package com.xentracker.collector.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.collector.buffer.Backlog;
import com.xentracker.collector.buffer.PendingBatch;
import com.xentracker.collector.buffer.SpanBuffer;
import com.xentracker.collector.upload.DrainResult.Outcome;
import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.Span;
import com.xentracker.testing.clock.MutableClock;
import com.xentracker.testing.https.Ports;
import com.xentracker.transport.client.ServerClient;
import com.xentracker.transport.envelope.BatchSealer;
import com.xentracker.transport.pki.CertificateAuthority;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.OrganizationKey;
import com.xentracker.transport.wire.AgentState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keep-on-failure and back-off with the real client, sealer and buffer, against a port where nothing listens.
 * Successful uploads are covered by the end-to-end test with the real server.
 */
class UploaderTest {

    private static final Instant T0 = Instant.parse("2025-03-10T09:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at(T0);
    private SpanBuffer buffer;
    private Uploader uploader;
    private double jitter = 0.999_999; // the top of each back-off range unless a test says otherwise

    @BeforeEach
    void unreachableServer() {
        buffer = SpanBuffer.open(dir.resolve("buffer.db"));
        OrganizationKey organization = OrganizationKey.generate("Acme", clock);
        CertificateAuthority ca = CertificateAuthority.generate("Acme CA", clock);
        ServerClient client = ServerClient.create(Ports.closedHttpsPort(), ca.certificate(), Duration.ofSeconds(5));
        BatchSealer sealer = BatchSealer.create(DeviceKeys.generate().getPrivate(), organization.certificate());
        uploader = Uploader.create(new UploaderConfig(INTERVAL, 3, 20, Duration.ofSeconds(60)), buffer,
                UUID.randomUUID(), UUID.randomUUID(), sealer, client, clock, AgentState::unknown, policy -> { },
                certificate -> { }, () -> jitter);
    }

    @AfterEach
    void closeBuffer() {
        buffer.close();
    }

    @Test
    void anUnreachableServerKeepsEverySpanAndTheSameBatchIsRetried() {
        List<Span> spans = spans(5);
        buffer.append(spans);

        DrainResult first = uploader.drainOnce();
        DrainResult second = uploader.drainOnce();

        assertThat(first.outcome()).isEqualTo(Outcome.SERVER_UNREACHABLE);
        assertThat(first.acknowledgedBatches()).isZero();
        assertThat(second.outcome()).isEqualTo(Outcome.SERVER_UNREACHABLE);
        Backlog backlog = buffer.backlog();
        assertThat(backlog.unsentSpans()).isEqualTo(5);
        assertThat(backlog.pendingBatches()).isEqualTo(1);
        assertThat(backlog.nextSequence()).as("the retry reused sequence 1 instead of taking a new one").isEqualTo(2);
        assertThat(backlog.lastAcknowledgedAt()).isEmpty();
        assertThat(buffer.nextBatch(3)).contains(new PendingBatch(1, spans.subList(0, 3)));
        assertThat(buffer.agentStatus().lastError()).hasValueSatisfying(error -> {
            assertThat(error.kind()).isEqualTo("SERVER_UNREACHABLE");
            assertThat(error.message()).startsWith("cannot reach the server: ");
            assertThat(error.at()).isEqualTo(T0);
        });
    }

    @Test
    void theWaitDoublesWithEachFailureUpToTheMaximum() {
        buffer.append(spans(1));
        List<Duration> waits = new ArrayList<>();
        for (int attempt = 0; attempt < 5; attempt++) {
            waits.add(uploader.drainOnce().nextAttemptIn());
        }

        assertThat(waits).containsExactly(Duration.ofMillis(9_999), Duration.ofMillis(19_999),
                Duration.ofMillis(39_999), Duration.ofMillis(59_999), Duration.ofMillis(59_999));
    }

    @Test
    void theJitterSpreadsEachWaitOverItsUpperHalfAndTheFirstUploadOverTheInterval() {
        buffer.append(spans(1));
        jitter = 0.0;
        List<Duration> waits = new ArrayList<>();
        for (int attempt = 0; attempt < 4; attempt++) {
            waits.add(uploader.drainOnce().nextAttemptIn());
        }

        assertThat(waits).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20),
                Duration.ofSeconds(30));
        assertThat(uploader.initialDelay()).isZero();
        jitter = 0.5;
        assertThat(uploader.initialDelay()).isEqualTo(INTERVAL.dividedBy(2));
    }

    @Test
    void aStateOnlyReportThatCannotBeSentWaitsLikeAnyBatchAndTakesNoSpans() {
        DrainResult empty = uploader.drainOnce();

        assertThat(empty.outcome()).as("a state-only report was due and tried").isEqualTo(Outcome.SERVER_UNREACHABLE);
        buffer.append(spans(2));
        assertThat(buffer.backlog().pendingBatches()).as("the report, kept for the retry").isEqualTo(1);
        assertThat(buffer.backlog().unsentSpans()).isEqualTo(2);
        assertThat(buffer.nextBatch(10)).hasValueSatisfying(batch -> assertThat(batch.stateOnly()).isTrue());
    }

    private static List<Span> spans(int n) {
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Activity activity = i % 2 == 0
                    ? Activity.active("xterm", "/usr/bin/xterm", Optional.empty())
                    : Activity.of(ActivityState.IDLE);
            spans.add(Span.of(T0.plusSeconds(i), T0.plusSeconds(i + 1), activity));
        }
        return spans;
    }
}
