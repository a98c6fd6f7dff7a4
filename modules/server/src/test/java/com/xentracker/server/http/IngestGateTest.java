package com.xentracker.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.server.ServerBusyException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class IngestGateTest {

    @Test
    void aBatchBeyondThePermitsIsRefusedAsBusyAndMappedTo503() throws Exception {
        IngestGate gate = IngestGate.of(1, Duration.ofMillis(100));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<String> first = thread.submit(() -> gate.run(() -> {
                inside.countDown();
                await(release);
                return "stored";
            }));
            inside.await();
            assertThat(gate.inProgress()).isEqualTo(1);

            assertThatThrownBy(() -> gate.run(() -> "second")).isInstanceOf(ServerBusyException.class)
                    .satisfies(e -> assertThat(ApiErrors.codeOf((Exception) e))
                            .isEqualTo(com.xentracker.transport.wire.ErrorCode.SERVER_BUSY));

            release.countDown();
            assertThat(first.get()).isEqualTo("stored");
            assertThat(gate.run(() -> "third")).isEqualTo("third");
            assertThat(gate.inProgress()).isZero();
        } finally {
            thread.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
