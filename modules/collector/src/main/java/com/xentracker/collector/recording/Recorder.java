package com.xentracker.collector.recording;

import com.xentracker.collector.buffer.SpanBuffer;
import com.xentracker.collector.policy.PolicyEnforcer;
import com.xentracker.collector.probe.ForegroundProbe;
import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Sample;
import com.xentracker.core.activity.Span;
import com.xentracker.core.activity.SpanMerger;
import com.xentracker.core.policy.CollectionPolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns observations into spans in the buffer: one {@link #sampleOnce()} per poll interval asks the
 * {@link PolicyEnforcer} what may be recorded about this moment (it looks at the desktop only if it needs to), feeds
 * the {@link SpanMerger} and records the closed spans and the open span in one transaction, so a killed agent loses
 * at most the poll in flight.
 *
 * <p>Privacy is applied by the enforcer before the merger sees anything, so nothing the policy forbids (a title, an
 * excluded application's name, anything outside working hours) ever reaches the buffer, its WAL or the server. Each
 * sample carries a monotonic clock reading, so a changed system clock or a suspended laptop closes the open span
 * instead of stretching it; spans are split at midnight in the clock's zone (the device's zone).
 *
 * <p>The recorder does not schedule itself; the agent calls {@link #sampleOnce()} from its recording thread. Methods
 * are synchronized, so the final {@link #close()} may come from another thread.
 */
public final class Recorder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);

    private final ForegroundProbe probe;
    private final SpanBuffer buffer;
    private final PolicyEnforcer enforcer;
    private final Clock clock;
    private final LongSupplier monotonicNanos;
    private final SpanMerger merger;
    /** Spans the merger closed but the buffer has not taken yet (its last write failed); written with the next one. */
    private final List<Span> unwritten = new ArrayList<>();
    private boolean collecting = true;
    private boolean closed;

    private Recorder(RecorderConfig config, ForegroundProbe probe, SpanBuffer buffer, PolicyEnforcer enforcer,
            Clock clock, LongSupplier monotonicNanos) {
        this.probe = probe;
        this.buffer = buffer;
        this.enforcer = enforcer;
        this.clock = clock;
        this.monotonicNanos = monotonicNanos;
        // checkpoints: a long stretch in one window reaches the server every few minutes, not when the window changes
        this.merger = SpanMerger.create(config.pollInterval(), clock.getZone()).withCheckpoints(SpanMerger.CHECKPOINT);
    }

    /**
     * A recorder writing to {@code buffer} under the organization's policy as {@code enforcer} applies it. A span
     * left open by an agent that was killed is closed first, at the last time it was recorded. The probe and buffer
     * stay owned by the caller.
     *
     * @param clock          wall time of each sample; its zone is the device's zone, whose midnights split spans
     * @param monotonicNanos a monotonic clock read with each sample ({@code System::nanoTime})
     */
    public static Recorder create(RecorderConfig config, ForegroundProbe probe, SpanBuffer buffer,
            PolicyEnforcer enforcer, Clock clock, LongSupplier monotonicNanos) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(buffer, "buffer");
        Objects.requireNonNull(enforcer, "enforcer");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(monotonicNanos, "monotonicNanos");
        CollectionPolicy policy = enforcer.policy();
        if (!config.idleThreshold().equals(policy.idleThreshold())) {
            LOG.warn("the local idle-threshold ({}) is not used: the organization's policy sets it ({} in version {})",
                    config.idleThreshold(), policy.idleThreshold(), policy.version());
        }
        buffer.closeOpenSpan().ifPresent(span -> LOG.info(
                "closed the span left open by the previous run: {} from {} to {}", span.activity().state(),
                span.start(), span.end()));
        return new Recorder(config, probe, buffer, enforcer, clock, monotonicNanos);
    }

    /**
     * A recorder under the default policy ({@link CollectionPolicy#defaults()}: no titles, nothing excluded, no
     * working hours, no private time), limited further by {@code config}'s local settings, with
     * {@code System::nanoTime} as its monotonic clock. For tools and tests; the agent passes its enforcer.
     */
    public static Recorder create(RecorderConfig config, ForegroundProbe probe, SpanBuffer buffer, Clock clock) {
        Objects.requireNonNull(config, "config");
        CollectionPolicy defaults = CollectionPolicy.defaults();
        return create(config, probe, buffer,
                PolicyEnforcer.create(() -> defaults, Optional::empty, config.localLimits()), clock, System::nanoTime);
    }

    /**
     * Records this moment as the policy allows.
     *
     * @return the sample that was recorded; empty when nothing may be recorded now (outside working hours), in
     *         which case the open span was closed at its last sample
     * @throws com.xentracker.collector.ProbeFailedException  when the probe could not observe (nothing recorded)
     * @throws com.xentracker.collector.SpanBufferException   when the buffer could not be written (the spans are
     *                                                         kept and written with the next sample)
     */
    public synchronized Optional<Sample> sampleOnce() {
        if (closed) {
            throw new IllegalStateException("recorder is closed");
        }
        Instant at = clock.instant();
        long monotonic = monotonicNanos.getAsLong();
        Optional<Activity> activity = enforcer.activityAt(at, probe::observe);
        if (activity.isEmpty()) {
            merger.close().ifPresent(unwritten::add);
            if (collecting || !unwritten.isEmpty()) { // once when the working hours end, not every poll all night
                write(Optional.empty());
            }
            if (collecting) {
                collecting = false;
                LOG.info("outside working hours: nothing is recorded until they begin again");
            }
            return Optional.empty();
        }
        if (!collecting) {
            collecting = true;
            LOG.info("within working hours: recording again");
        }
        Sample sample = Sample.of(at, activity.get(), monotonic);
        long jumps = merger.clockJumps();
        long stale = merger.outOfOrderSamples();
        unwritten.addAll(merger.accept(sample));
        if (merger.clockJumps() != jumps) {
            LOG.info("the wall clock jumped or the device was suspended before {}; the span before was closed at its"
                    + " last sample", at);
        }
        if (merger.outOfOrderSamples() != stale) {
            LOG.warn("ignored a sample that was not newer than the last one ({} so far)", merger.outOfOrderSamples());
        }
        write(merger.openSpan());
        return Optional.of(sample);
    }

    /** Closes the open span into the buffer (at its last sample). Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            merger.close().ifPresent(unwritten::add);
            // also removes the buffer's open span, which is the merger's as of the last successful write
            write(Optional.empty());
        }
    }

    private void write(Optional<Span> open) {
        buffer.record(List.copyOf(unwritten), open);
        unwritten.clear();
    }
}
