package com.xentracker.server.metrics;

import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The server's metrics, on the Prometheus Java client (1.x): the ingest's counters, its latency histogram and the
 * connection pool's gauges under the names operators already scrape, Hikari's own timings, and the JVM's (heap, GC,
 * threads, class loading, process CPU and file descriptors). Each server has its own registry, never the client's
 * global default, so that two servers in one JVM (tests) do not share counters. Only aggregates across
 * organizations: no organization, device or person id ever appears in a label.
 */
public final class ServerMetrics {

    /** Upper bounds of the batch latency histogram, in seconds. */
    private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    /** Upper bounds of the pool's acquire and usage histograms, in seconds. */
    private static final double[] POOL_BUCKETS = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10};

    /** What the connection pool says now. */
    public record PoolState(int active, int idle, int total, int waiting, int maximum) {
    }

    /**
     * What the read replica's monitor says now.
     *
     * @param lagSeconds    how far behind the primary it was at the last check; NaN when it did not answer
     * @param inUse         whether report and export reads go to it now
     * @param readsOnReplica reads sent to it so far
     * @param readsOnPrimary reads that went to the primary instead (it was down, lagging, or failed the read)
     * @param failures      reads on it that failed and were run on the primary (or broke off)
     */
    public record ReplicaState(double lagSeconds, boolean inUse, long readsOnReplica, long readsOnPrimary,
            long failures) {
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter batches;
    private final Counter spans;
    private final Counter rejected;
    private final Histogram latency;
    private final Histogram poolAcquire;
    private final Histogram poolUsage;
    private final Counter poolTimeouts;

    private ServerMetrics(Supplier<PoolState> pool, IntSupplier ingestInProgress) {
        // Without exemplars: they link samples to traces, and we trace nothing. With them, the client loads its
        // OpenTelemetry span-context supplier on every observation, from automatic modules nothing requires, which
        // a module-path launch does not resolve (NoClassDefFoundError; ServerMainTest runs the server that way).
        batches = Counter.builder().withoutExemplars().name("xentracker_batches_total")
                .help("Batches accepted, new or repeated.")
                .labelNames("result").register(registry);
        // both results exist from the start, so that rate() sees the first batch of each
        batches.labelValues("stored");
        batches.labelValues("duplicate");
        spans = Counter.builder().withoutExemplars().name("xentracker_spans_stored_total")
                .help("Spans stored from new batches.")
                .register(registry);
        rejected = Counter.builder().withoutExemplars().name("xentracker_batches_rejected_total")
                .help("Batches refused, by error code.").labelNames("code").register(registry);
        latency = Histogram.builder().withoutExemplars().name("xentracker_batch_duration_seconds")
                .help("Upload handling time, accepted or not.").classicOnly().classicUpperBounds(BUCKETS)
                .register(registry);
        GaugeWithCallback.builder().name("xentracker_ingest_in_progress")
                .help("Uploads being opened or stored now.")
                .callback(callback -> callback.call(ingestInProgress.getAsInt())).register(registry);
        GaugeWithCallback.builder().name("xentracker_db_pool_connections")
                .help("Database connections of this node's pool, by state.").labelNames("state")
                .callback(callback -> {
                    PoolState state = pool.get();
                    callback.call(state.active(), "active");
                    callback.call(state.idle(), "idle");
                    callback.call(state.total(), "total");
                }).register(registry);
        GaugeWithCallback.builder().name("xentracker_db_pool_max_connections")
                .help("The pool's configured size.")
                .callback(callback -> callback.call(pool.get().maximum())).register(registry);
        GaugeWithCallback.builder().name("xentracker_db_pool_waiting_threads")
                .help("Threads waiting for a connection.")
                .callback(callback -> callback.call(pool.get().waiting())).register(registry);
        poolAcquire = Histogram.builder().withoutExemplars().name("xentracker_db_pool_acquire_seconds")
                .help("Time to get a connection from the pool.").classicOnly().classicUpperBounds(POOL_BUCKETS)
                .register(registry);
        poolUsage = Histogram.builder().withoutExemplars().name("xentracker_db_pool_usage_seconds")
                .help("Time a connection was held before it went back to the pool.").classicOnly()
                .classicUpperBounds(POOL_BUCKETS).register(registry);
        poolTimeouts = Counter.builder().withoutExemplars().name("xentracker_db_pool_timeouts_total")
                .help("Requests for a connection that gave up waiting (answered 503).").register(registry);
        JvmMetrics.builder().register(registry);
    }

    public static ServerMetrics create(Supplier<PoolState> pool, IntSupplier ingestInProgress) {
        return new ServerMetrics(pool, ingestInProgress);
    }

    /** Reports the read replica: its lag, whether it is in use, and where reads went. */
    public void watchReadReplica(Supplier<ReplicaState> replica) {
        GaugeWithCallback.builder().name("xentracker_read_replica_lag_seconds")
                .help("How far the read replica was behind the primary at its last check (NaN: it did not answer).")
                .callback(callback -> callback.call(replica.get().lagSeconds())).register(registry);
        GaugeWithCallback.builder().name("xentracker_read_replica_in_use")
                .help("1 while report and export reads go to the read replica, 0 while they fall back to the"
                        + " primary.")
                .callback(callback -> callback.call(replica.get().inUse() ? 1 : 0)).register(registry);
        io.prometheus.metrics.core.metrics.CounterWithCallback.builder().name("xentracker_reads_total")
                .help("Report and export reads, by where they ran.").labelNames("database")
                .callback(callback -> {
                    ReplicaState state = replica.get();
                    callback.call(state.readsOnReplica(), "replica");
                    callback.call(state.readsOnPrimary(), "primary");
                }).register(registry);
        io.prometheus.metrics.core.metrics.CounterWithCallback.builder()
                .name("xentracker_read_replica_failures_total")
                .help("Reads on the read replica that failed (run again on the primary, or a download broken off).")
                .callback(callback -> callback.call(replica.get().failures())).register(registry);
    }

    /** A batch stored now ({@code duplicate}: a repeat answered from the ledger). */
    public void batchAccepted(boolean duplicate, int spanCount) {
        if (duplicate) {
            batches.labelValues("duplicate").inc();
        } else {
            batches.labelValues("stored").inc();
            spans.inc(spanCount);
        }
    }

    /** A batch refused with this stable error code (e.g. {@code batch-unreadable}, {@code server-busy}). */
    public void batchRejected(String code) {
        rejected.labelValues(code).inc();
    }

    /** How long one upload took from the request to the answer, accepted or not. */
    public void batchLatency(long nanos) {
        latency.observe(nanos / 1e9);
    }

    /** Hikari's timings of the pool ({@code HikariDataSource.setMetricsTrackerFactory}). */
    public MetricsTrackerFactory poolTimings() {
        return (poolName, stats) -> new IMetricsTracker() {
            @Override
            public void recordConnectionAcquiredNanos(long nanos) {
                poolAcquire.observe(nanos / 1e9);
            }

            @Override
            public void recordConnectionUsageMillis(long millis) {
                poolUsage.observe(millis / 1e3);
            }

            @Override
            public void recordConnectionTimeout() {
                poolTimeouts.inc();
            }
        };
    }

    /** What the metrics endpoint serves. */
    PrometheusRegistry registry() {
        return registry;
    }

    /** The text format ({@code text/plain; version=0.0.4}), as the endpoint answers a plain scrape. */
    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape(),
                    io.prometheus.metrics.config.EscapingScheme.UNDERSCORE_ESCAPING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
