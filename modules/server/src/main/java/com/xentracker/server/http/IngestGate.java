package com.xentracker.server.http;

import com.xentracker.server.ServerBusyException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Back-pressure for uploads: at most {@code permits} batches are opened and stored at once; a batch that cannot get
 * a permit within {@code wait} is answered 503 with {@code Retry-After} (the agent keeps it and retries), instead of
 * piling up threads and memory behind a slow database.
 */
final class IngestGate {

    private final Semaphore permits;
    private final Duration wait;
    private final int capacity;

    private IngestGate(int permits, Duration wait) {
        this.permits = new Semaphore(permits);
        this.capacity = permits;
        this.wait = wait;
    }

    static IngestGate of(int permits, Duration wait) {
        return new IngestGate(permits, wait);
    }

    <T> T run(Supplier<T> work) {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new ServerBusyException("the server is storing as many batches as it can; retry later");
        }
        try {
            return work.get();
        } finally {
            permits.release();
        }
    }

    /** Batches in progress now. */
    int inProgress() {
        return capacity - permits.availablePermits();
    }
}
