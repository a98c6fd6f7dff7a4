package com.xentracker.bench;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Sample;
import com.xentracker.core.activity.SpanMerger;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of one sample through the heartbeat rule, the agent's per-poll hot path. Baseline in the same run: a sample
 * that only extends the open span versus one that switches application (allocates and closes a span).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SpanMergerBenchmark {

    private static final Activity XTERM = Activity.active("xterm", "/usr/bin/xterm", Optional.empty());
    private static final Activity EDITOR = Activity.active("code", "/usr/share/code/code", Optional.empty());

    private SpanMerger merger;
    private Instant now;

    @Setup
    public void setUp() {
        merger = SpanMerger.create(Duration.ofSeconds(1));
        now = Instant.parse("2026-11-29T09:00:00Z");
    }

    @Benchmark
    public void extendOpenSpan(Blackhole sink) {
        now = now.plusSeconds(1);
        sink.consume(merger.accept(Sample.of(now, XTERM)));
    }

    @Benchmark
    public void switchApplicationEverySample(Blackhole sink) {
        now = now.plusSeconds(1);
        sink.consume(merger.accept(Sample.of(now, (now.getEpochSecond() & 1) == 0 ? XTERM : EDITOR)));
    }
}
