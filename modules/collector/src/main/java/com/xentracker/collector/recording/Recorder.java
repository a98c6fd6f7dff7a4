package com.xentracker.collector.recording;

import com.xentracker.collector.buffer.SpanBuffer;
import com.xentracker.collector.probe.ForegroundProbe;
import com.xentracker.collector.probe.ForegroundWindow;
import com.xentracker.collector.probe.Observation;
import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.Sample;
import com.xentracker.core.activity.Span;
import com.xentracker.core.activity.SpanMerger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns observations into spans in the buffer: one {@link #sampleOnce()} per poll interval observes the desktop,
 * classifies the moment (active in an application, or idle), feeds the {@link SpanMerger} and records the closed
 * spans and the open span in one transaction, so a killed agent loses at most the poll in flight.
 *
 * <p>Titles are dropped here, before anything is stored, unless {@link RecorderConfig#collectWindowTitles()}.
 * The recorder does not schedule itself; the agent calls {@link #sampleOnce()} from its recording thread. Methods
 * are synchronized, so the final {@link #close()} may come from another thread.
 */
public final class Recorder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);

    private final RecorderConfig config;
    private final ForegroundProbe probe;
    private final SpanBuffer buffer;
    private final Clock clock;
    private final SpanMerger merger;
    private boolean closed;

    private Recorder(RecorderConfig config, ForegroundProbe probe, SpanBuffer buffer, Clock clock) {
        this.config = config;
        this.probe = probe;
        this.buffer = buffer;
        this.clock = clock;
        this.merger = SpanMerger.create(config.pollInterval());
    }

    /**
     * A recorder writing to {@code buffer}. A span left open by an agent that was killed is closed first, at the
     * last time it was recorded. The probe and buffer stay owned by the caller.
     */
    public static Recorder create(RecorderConfig config, ForegroundProbe probe, SpanBuffer buffer, Clock clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(buffer, "buffer");
        Objects.requireNonNull(clock, "clock");
        buffer.closeOpenSpan().ifPresent(span -> LOG.info(
                "closed the span left open by the previous run: {} from {} to {}", span.activity().state(),
                span.start(), span.end()));
        return new Recorder(config, probe, buffer, clock);
    }

    /**
     * Observes once and records the result.
     *
     * @return the sample that was recorded
     * @throws com.xentracker.collector.ProbeFailedException  when the probe could not observe (nothing recorded)
     * @throws com.xentracker.collector.SpanBufferException   when the buffer could not be written
     */
    public synchronized Sample sampleOnce() {
        if (closed) {
            throw new IllegalStateException("recorder is closed");
        }
        Instant at = clock.instant();
        Observation observation = probe.observe();
        Sample sample = Sample.of(at, activityOf(observation));
        List<Span> closedSpans = merger.accept(sample);
        buffer.record(closedSpans, merger.openSpan());
        return sample;
    }

    /** Closes the open span into the buffer (at its last sample). Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            merger.close();
            buffer.closeOpenSpan(); // the buffer's open span is the merger's, as of the last sample
        }
    }

    private Activity activityOf(Observation observation) {
        if (observation.idle().compareTo(config.idleThreshold()) >= 0) {
            return Activity.of(ActivityState.IDLE);
        }
        Optional<ForegroundWindow> window = observation.foreground();
        if (window.isEmpty()) {
            // someone is at the device (recent input) but no window has the focus: the bare desktop
            return Activity.active("", "", Optional.empty());
        }
        ForegroundWindow foreground = window.get();
        Activity activity = Activity.active(foreground.application(),
                foreground.executable().map(Path::toString).orElse(""), foreground.title());
        return config.collectWindowTitles() ? activity : activity.withoutTitle();
    }
}
