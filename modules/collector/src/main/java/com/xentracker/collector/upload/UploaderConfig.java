package com.xentracker.collector.upload;

import java.time.Duration;
import java.util.Objects;

/**
 * How the uploader sends.
 *
 * @param uploadInterval     time between two drains while the server answers
 * @param maxSpansPerBatch   spans per batch (one HTTPS request)
 * @param maxBatchesPerDrain batches per drain, so that a large backlog does not delay shutdown for long
 * @param maxBackoff         longest wait between attempts while the server is unreachable or refuses
 */
public record UploaderConfig(Duration uploadInterval, int maxSpansPerBatch, int maxBatchesPerDrain,
        Duration maxBackoff) {

    /**
     * Every 30 s: reports within a minute, one request per device per 30 s (10,000 devices: about 330 requests per
     * second), and about 0.1 point less idle CPU on the device than every 10 s (collector README, "Footprint").
     */
    public static final Duration DEFAULT_UPLOAD_INTERVAL = Duration.ofSeconds(30);

    public UploaderConfig {
        Objects.requireNonNull(uploadInterval, "uploadInterval");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (uploadInterval.compareTo(Duration.ofSeconds(1)) < 0 || uploadInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("upload-interval must be between 1 s and 1 h, got " + uploadInterval);
        }
        if (maxSpansPerBatch < 1 || maxBatchesPerDrain < 1) {
            throw new IllegalArgumentException("batch limits must be positive");
        }
        if (maxBackoff.compareTo(uploadInterval) < 0) {
            throw new IllegalArgumentException("maxBackoff must not be shorter than the upload interval");
        }
    }

    /** Defaults for an upload interval: 500 spans per batch, 20 batches per drain, back off up to 5 min (or the interval). */
    public static UploaderConfig of(Duration uploadInterval) {
        Duration fiveMinutes = Duration.ofMinutes(5);
        return new UploaderConfig(uploadInterval, 500, 20,
                uploadInterval.compareTo(fiveMinutes) > 0 ? uploadInterval : fiveMinutes);
    }
}
