package com.xentracker.server.metrics;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The server's metrics in the Prometheus text exposition format (version 0.0.4), written by hand: a few counters, one
 * histogram and some gauges do not justify a metrics library and its module-path quirks, and the format is small and
 * stable. Only aggregates across organizations: no organization, device or person id ever appears in a label.
 */
public final class ServerMetrics {

    /** Upper bounds of the batch latency histogram, in seconds. */
    private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    /** What the connection pool says now. */
    public record PoolState(int active, int idle, int total, int waiting, int maximum) {
    }

    private final LongAdder stored = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder spans = new LongAdder();
    private final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();
    private final AtomicLongArray bucketCounts = new AtomicLongArray(BUCKETS.length);
    private final AtomicLong latencyCount = new AtomicLong();
    private final AtomicLong latencySumNanos = new AtomicLong();
    private final Supplier<PoolState> pool;
    private final IntSupplier ingestInProgress;

    private ServerMetrics(Supplier<PoolState> pool, IntSupplier ingestInProgress) {
        this.pool = pool;
        this.ingestInProgress = ingestInProgress;
    }

    public static ServerMetrics create(Supplier<PoolState> pool, IntSupplier ingestInProgress) {
        return new ServerMetrics(pool, ingestInProgress);
    }

    /** A batch stored now ({@code duplicate}: a repeat answered from the ledger). */
    public void batchAccepted(boolean duplicate, int spanCount) {
        if (duplicate) {
            duplicates.increment();
        } else {
            stored.increment();
            spans.add(spanCount);
        }
    }

    /** A batch refused with this stable error code (e.g. {@code batch-unreadable}, {@code server-busy}). */
    public void batchRejected(String code) {
        rejected.computeIfAbsent(code, key -> new LongAdder()).increment();
    }

    /** How long one upload took from the request to the answer, accepted or not. */
    public void batchLatency(long nanos) {
        double seconds = nanos / 1e9;
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                bucketCounts.incrementAndGet(i);
            }
        }
        latencyCount.incrementAndGet();
        latencySumNanos.addAndGet(nanos);
    }

    /** The text format, {@code text/plain; version=0.0.4}. */
    public String scrape() {
        StringBuilder out = new StringBuilder(2048);
        counter(out, "xentracker_batches_total", "Batches accepted, new or repeated.");
        sample(out, "xentracker_batches_total{result=\"stored\"}", stored.sum());
        sample(out, "xentracker_batches_total{result=\"duplicate\"}", duplicates.sum());
        counter(out, "xentracker_spans_stored_total", "Spans stored from new batches.");
        sample(out, "xentracker_spans_stored_total", spans.sum());
        counter(out, "xentracker_batches_rejected_total", "Batches refused, by error code.");
        rejected.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> sample(out,
                "xentracker_batches_rejected_total{code=\"" + entry.getKey() + "\"}", entry.getValue().sum()));
        out.append("# HELP xentracker_batch_duration_seconds Upload handling time, accepted or not.\n")
                .append("# TYPE xentracker_batch_duration_seconds histogram\n");
        for (int i = 0; i < BUCKETS.length; i++) {
            sample(out, "xentracker_batch_duration_seconds_bucket{le=\"" + number(BUCKETS[i]) + "\"}",
                    bucketCounts.get(i));
        }
        long count = latencyCount.get();
        sample(out, "xentracker_batch_duration_seconds_bucket{le=\"+Inf\"}", count);
        out.append("xentracker_batch_duration_seconds_sum ").append(number(latencySumNanos.get() / 1e9)).append('\n');
        sample(out, "xentracker_batch_duration_seconds_count", count);
        gauge(out, "xentracker_ingest_in_progress", "Uploads being opened or stored now.");
        sample(out, "xentracker_ingest_in_progress", ingestInProgress.getAsInt());
        PoolState state = pool.get();
        gauge(out, "xentracker_db_pool_connections", "Database connections of this node's pool, by state.");
        sample(out, "xentracker_db_pool_connections{state=\"active\"}", state.active());
        sample(out, "xentracker_db_pool_connections{state=\"idle\"}", state.idle());
        gauge(out, "xentracker_db_pool_max_connections", "The pool's configured size.");
        sample(out, "xentracker_db_pool_max_connections", state.maximum());
        gauge(out, "xentracker_db_pool_waiting_threads", "Threads waiting for a connection.");
        sample(out, "xentracker_db_pool_waiting_threads", state.waiting());
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n");
    }

    private static void gauge(StringBuilder out, String name, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n");
    }

    private static void sample(StringBuilder out, String name, long value) {
        out.append(name).append(' ').append(value).append('\n');
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%s", value);
    }
}
