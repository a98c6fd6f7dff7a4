package com.xentracker.collector.buffer;

import java.time.Duration;
import java.util.Objects;

/**
 * The buffer's bounds.
 *
 * <p>When either bound is hit the buffer drops its oldest <em>unsent, unassigned</em> spans and records a
 * {@link com.xentracker.core.activity.Gap} covering them, which is uploaded in order like a span so that the server
 * shows the loss. Spans already assigned to a batch (whose sequence number may already have reached the server) and
 * the open span are never dropped. When the size bound is hit, the sent history goes first: it is on the server
 * already.
 *
 * @param maxSizeBytes  bound on the bytes the file's live pages take ({@code (page_count − freelist_count) ×
 *                      page_size}); at least 64 KiB. The write-ahead log comes on top (at most a few MiB, see
 *                      {@link SpanBuffer})
 * @param maxAge        unsent spans that ended longer ago than this are dropped; at least one hour
 * @param sentHistory   how long acknowledged spans stay in the file, marked as sent, so that the employee can see
 *                      what was sent ({@code show}); zero deletes them as soon as the server acknowledges them
 */
public record BufferConfig(long maxSizeBytes, Duration maxAge, Duration sentHistory) {

    public static final long MIN_SIZE_BYTES = 64L * 1024;
    public static final long DEFAULT_MAX_SIZE_BYTES = 512L * 1024 * 1024;
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(90);
    public static final Duration DEFAULT_SENT_HISTORY = Duration.ofDays(7);

    public BufferConfig {
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(sentHistory, "sentHistory");
        if (maxSizeBytes < MIN_SIZE_BYTES) {
            throw new IllegalArgumentException("buffer-max-size must be at least 64 KiB, got " + maxSizeBytes
                    + " bytes");
        }
        if (maxAge.compareTo(Duration.ofHours(1)) < 0) {
            throw new IllegalArgumentException("buffer-max-age must be at least 1 h, got " + maxAge);
        }
        if (sentHistory.isNegative()) {
            throw new IllegalArgumentException("sent-history must not be negative, got " + sentHistory);
        }
    }

    /** 512 MiB, 90 days, 7 days of sent history. */
    public static BufferConfig defaults() {
        return new BufferConfig(DEFAULT_MAX_SIZE_BYTES, DEFAULT_MAX_AGE, DEFAULT_SENT_HISTORY);
    }
}
