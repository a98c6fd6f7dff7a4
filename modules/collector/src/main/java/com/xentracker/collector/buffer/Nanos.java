package com.xentracker.collector.buffer;

import java.time.Instant;

/**
 * Instants as nanoseconds since the epoch in one INTEGER column: exact (a batch read back after a restart equals
 * the batch first assigned) and ordered; a signed 64-bit count reaches the year 2262.
 */
final class Nanos {

    private static final long PER_SECOND = 1_000_000_000L;

    private Nanos() {}

    static long of(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), PER_SECOND), instant.getNano());
    }

    static Instant toInstant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, PER_SECOND), Math.floorMod(nanos, PER_SECOND));
    }
}
