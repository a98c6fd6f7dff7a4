package com.xentracker.collector.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.collector.buffer.BufferConfig;
import com.xentracker.collector.buffer.SpanBuffer;
import com.xentracker.collector.upload.DrainResult.Outcome;
import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Gap;
import com.xentracker.core.activity.GapReason;
import com.xentracker.core.activity.Span;
import com.xentracker.testing.clock.MutableClock;
import com.xentracker.transport.client.ServerClient;
import com.xentracker.transport.pki.OrganizationKey;
import com.xentracker.transport.wire.AgentState;
import com.xentracker.transport.wire.ErrorCode;
import com.xentracker.transport.wire.SpanBatch;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The outbox and what the uploader does with each answer, against a real HTTPS server that opens real batches. */
class UploaderOutboxTest {

    private static final Instant T0 = Instant.parse("2025-03-10T09:00:00Z");

    @RegisterExtension
    final ReceivingServerExtension server = new ReceivingServerExtension();

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at(T0.plus(Duration.ofHours(1)));
    private final UUID deviceId = UUID.randomUUID();
    private final List<X509Certificate> certificatesLearnt = new ArrayList<>();
    private SpanBuffer buffer;
    private Uploader uploader;

    @BeforeEach
    void uploader() {
        buffer = SpanBuffer.open(dir.resolve("buffer.db"),
                new BufferConfig(1024 * 1024, Duration.ofDays(90), Duration.ofDays(7)), clock);
        uploader = newUploader();
    }

    private Uploader newUploader() {
        return Uploader.create(new UploaderConfig(Duration.ofSeconds(10), 3, 100, Duration.ofMinutes(5)), buffer,
                server.organizationId(), deviceId, server.sealer(), ServerClient.create(server.baseUri(),
                        server.ca().certificate(), Duration.ofSeconds(10)), clock, AgentState::unknown,
                policy -> { }, certificatesLearnt::add, () -> 0.5);
    }

    @AfterEach
    void closeBuffer() {
        buffer.close();
    }

    @Test
    void everyRetrySendsTheBytesSealedWhenTheBatchWasCutEvenAfterARestart() {
        buffer.append(spans(0, 3));
        server.failWith(503);
        uploader.drainOnce();
        uploader.drainOnce();
        buffer.close();
        buffer = SpanBuffer.open(dir.resolve("buffer.db"),
                new BufferConfig(1024 * 1024, Duration.ofDays(90), Duration.ofDays(7)), clock);
        uploader = newUploader();
        server.failWith(0);

        assertThat(uploader.drainOnce().outcome()).isEqualTo(Outcome.DRAINED);

        List<byte[]> sent = server.sealedReceived();
        assertThat(sent).as("three tries of batch 1, then a state-only report, as after every start").hasSize(4);
        assertThat(sent.get(1)).isEqualTo(sent.get(0));
        assertThat(sent.get(2)).as("after the restart too").isEqualTo(sent.get(0));
        assertThat(server.received()).extracting(SpanBatch::sequence).containsExactly(1L, 2L);
        assertThat(server.received().get(1).spans()).isEmpty();
    }

    @Test
    void aPoisonedBatchIsDroppedReportedAsAGapAndDoesNotBlockTheQueue() {
        buffer.append(spans(0, 6)); // two batches of three
        server.failNext(2, 400, "bad-signature", null);

        DrainResult drained = uploader.drainOnce();

        assertThat(drained.outcome()).isEqualTo(Outcome.DRAINED);
        assertThat(server.sealedReceived()).as("two refused, then the next batch in the same drain").hasSize(3);
        SpanBatch next = server.received().get(0);
        assertThat(next.sequence()).as("the dropped sequences stay used").isEqualTo(3);
        assertThat(next.gaps()).containsExactly(Gap.of(T0, T0.plusSeconds(18), GapReason.UPLOAD_REJECTED));
        assertThat(next.spans()).isEmpty();
        assertThat(buffer.agentStatus().lastError()).hasValueSatisfying(error -> {
            assertThat(error.kind()).isEqualTo("BATCH_DROPPED");
            assertThat(error.message()).contains("bad-signature");
        });
        buffer.append(spans(6, 7));
        assertThat(uploader.drainOnce().outcome()).isEqualTo(Outcome.DRAINED);
        assertThat(server.received().get(1).spans()).isEqualTo(spans(6, 7));
        assertThat(buffer.backlog().unsentSpans()).isZero();
    }

    @Test
    void aServerThatRefusesEveryBatchDoesNotMakeTheAgentDropItsWholeBuffer() {
        buffer.append(spans(0, 30)); // ten batches
        server.failWith(400, "bad-signature", null);

        DrainResult refused = uploader.drainOnce();

        assertThat(refused.outcome()).isEqualTo(Outcome.SERVER_REJECTED);
        assertThat(server.sealedReceived()).hasSize(Uploader.MAX_CONSECUTIVE_DROPS + 1);
        assertThat(buffer.backlog().unsentSpans()).as("only the first batches were dropped")
                .isEqualTo(30 - 3L * Uploader.MAX_CONSECUTIVE_DROPS);
        assertThat(buffer.agentStatus().lastError().orElseThrow().message()).contains("refuses every batch");
    }

    @Test
    void aRevokedDeviceStopsUploadingKeepsItsBufferAndSaysWhy() {
        buffer.append(spans(0, 3));
        server.failWith(403, "device-revoked", null);

        DrainResult stopped = uploader.drainOnce();
        DrainResult again = uploader.drainOnce();

        assertThat(stopped.outcome()).isEqualTo(Outcome.STOPPED);
        assertThat(again.outcome()).isEqualTo(Outcome.STOPPED);
        assertThat(server.sealedReceived()).as("no request after the stop").hasSize(1);
        assertThat(uploader.stoppedBy()).contains(ErrorCode.DEVICE_REVOKED);
        assertThat(buffer.backlog().unsentSpans()).isEqualTo(3);
        assertThat(buffer.agentStatus().lastError()).hasValueSatisfying(error -> {
            assertThat(error.kind()).isEqualTo("STOPPED");
            assertThat(error.code()).contains(ErrorCode.DEVICE_REVOKED);
            assertThat(error.message()).contains("revoked").contains("nothing is deleted").contains("enroll --replace");
        });
    }

    @Test
    void aCodeThisVersionDoesNotKnowIsRetriedWithBackOffAndTheBatchIsKept() {
        buffer.append(spans(0, 3));
        server.failWith(400, "some-code-of-a-newer-server", null);

        DrainResult refused = uploader.drainOnce();

        assertThat(refused.outcome()).isEqualTo(Outcome.SERVER_REJECTED);
        assertThat(refused.nextAttemptIn()).isEqualTo(Duration.ofMillis(7_500));
        assertThat(buffer.backlog().unsentSpans()).isEqualTo(3);
        assertThat(buffer.backlog().pendingBatches()).isEqualTo(1);
        assertThat(uploader.stoppedBy()).isEmpty();
        assertThat(buffer.agentStatus().lastError()).hasValueSatisfying(error -> {
            assertThat(error.kind()).isEqualTo("SERVER_REJECTED");
            assertThat(error.code()).isEmpty();
        });
        server.failWith(0);
        assertThat(uploader.drainOnce().outcome()).isEqualTo(Outcome.DRAINED);
        assertThat(server.received().get(0).spans()).isEqualTo(spans(0, 3));
    }

    @Test
    void batchTooLargeIsNoServerCodeSoItIsRetriedWhilePayloadTooLargeDropsTheBatch() {
        buffer.append(spans(0, 6));
        server.failNext(1, 413, "batch-too-large", null);
        assertThat(uploader.drainOnce().outcome()).isEqualTo(Outcome.SERVER_REJECTED);
        assertThat(buffer.backlog().unsentSpans()).isEqualTo(6);

        server.failNext(1, ErrorCode.PAYLOAD_TOO_LARGE.status(), ErrorCode.PAYLOAD_TOO_LARGE.code(), null);
        assertThat(uploader.drainOnce().outcome()).isEqualTo(Outcome.DRAINED);

        assertThat(server.received()).singleElement().satisfies(batch -> {
            assertThat(batch.spans()).isEqualTo(spans(3, 6));
            assertThat(batch.gaps()).containsExactly(Gap.of(T0, T0.plusSeconds(9), GapReason.UPLOAD_REJECTED));
        });
        assertThat(buffer.agentStatus().lastError().orElseThrow().code()).contains(ErrorCode.PAYLOAD_TOO_LARGE);
    }

    @Test
    void retryAfterIsHonouredWhenLongerThanTheBackOff() {
        buffer.append(spans(0, 1));
        server.failWith(503, "storage-unavailable", "600");

        assertThat(uploader.drainOnce().nextAttemptIn()).isEqualTo(Duration.ofSeconds(600));

        server.failWith(503, "storage-unavailable", "1");
        assertThat(uploader.drainOnce().nextAttemptIn()).as("the back-off when it is longer")
                .isEqualTo(Duration.ofMillis(15_000));
    }

    @Test
    void aRotatedOrganizationKeyIsLearntFromAReceiptAndUsedForTheNextBatch() {
        OrganizationKey rotated = server.rotate(false);
        buffer.append(spans(0, 3));
        assertThat(uploader.drainOnce().outcome()).isEqualTo(Outcome.DRAINED);
        assertThat(certificatesLearnt).containsExactly(rotated.certificate());

        server.rotate(true); // from now on only the newest key opens anything
        buffer.append(spans(3, 6));
        uploader.drainOnce();

        // sealed to "rotated", which the server has forgotten: learnt again through unknown-key-id, resealed
        assertThat(server.received()).extracting(SpanBatch::sequence).containsExactly(1L, 2L);
        assertThat(certificatesLearnt).hasSize(2);
    }

    @Test
    void aBatchSealedToAKeyTheServerNoLongerHoldsIsResealedUnderTheSameSequence() {
        buffer.append(spans(0, 3));
        server.failWith(503);
        uploader.drainOnce(); // cut and sealed to the first key
        OrganizationKey current = server.rotate(true);
        server.failWith(0);

        assertThat(uploader.drainOnce().outcome()).isEqualTo(Outcome.DRAINED);

        assertThat(server.received()).singleElement().satisfies(batch -> {
            assertThat(batch.sequence()).isEqualTo(1);
            assertThat(batch.spans()).isEqualTo(spans(0, 3));
        });
        assertThat(certificatesLearnt).containsExactly(current.certificate());
    }

    private static List<Span> spans(int from, int to) {
        List<Span> spans = new ArrayList<>();
        for (int i = from; i < to; i++) {
            spans.add(Span.of(T0.plusSeconds(3L * i), T0.plusSeconds(3L * i + 3),
                    Activity.active("xterm", "/usr/bin/xterm", Optional.empty())));
        }
        return spans;
    }
}
