package com.xentracker.testing.clock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock the test sets and moves. It starts at an instant the test chooses (there is no default: a test that read
 * the real time would pass or fail by the day it runs) and either stands still until it is moved ({@link #at}) or
 * runs at the speed of real time from there ({@link #runningFrom}), for code on real threads that must see time
 * pass. Moving it forwards or backwards is safe from any thread, also while others read it.
 *
 * <p>Its zone is UTC unless the test asks for another with {@link #withZone}; the clocks that returns share this
 * one's time, so moving one moves all of them.
 */
public final class MutableClock extends Clock {

    private final Time time;
    private final ZoneId zone;

    private MutableClock(Time time, ZoneId zone) {
        this.time = time;
        this.zone = zone;
    }

    /** A clock that shows {@code start} until it is moved. */
    public static MutableClock at(Instant start) {
        return new MutableClock(new Time(start, false), ZoneOffset.UTC);
    }

    /** A clock that shows {@code isoInstant} (e.g. {@code 2026-11-02T09:00:00Z}) until it is moved. */
    public static MutableClock at(String isoInstant) {
        return at(Instant.parse(isoInstant));
    }

    /**
     * A clock that shows {@code start} now and then moves on with real time (measured by {@link System#nanoTime},
     * so a change of the machine's clock does not move it). Moving it shifts it by that much for good.
     */
    public static MutableClock runningFrom(Instant start) {
        return new MutableClock(new Time(start, true), ZoneOffset.UTC);
    }

    /** Moves the clock forwards (or, given a negative duration, backwards). */
    public void advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        time.shift(duration);
    }

    /** Moves the clock backwards. */
    public void rewind(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        time.shift(duration.negated());
    }

    /** Sets the clock to {@code instant} (a running clock goes on from there). */
    public void set(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        time.set(instant);
    }

    @Override
    public Instant instant() {
        return time.now();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** The same time seen in another zone: moving either clock moves both. */
    @Override
    public MutableClock withZone(ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        return zone.equals(this.zone) ? this : new MutableClock(time, zone);
    }

    @Override
    public String toString() {
        return "MutableClock[" + instant() + ", " + zone + (time.running ? ", running" : "") + "]";
    }

    /** The time the clocks of one {@link #at} or {@link #runningFrom} share. */
    private static final class Time {

        private final boolean running;
        /** {@link System#nanoTime} when the clock was made; a running clock adds what passed since. */
        private final long origin = System.nanoTime();
        /** What the clock shows at {@link #origin}; every move replaces it as a whole, so no move is lost. */
        private final AtomicReference<Instant> atOrigin;

        Time(Instant start, boolean running) {
            this.running = running;
            this.atOrigin = new AtomicReference<>(Objects.requireNonNull(start, "start"));
        }

        Instant now() {
            Instant base = atOrigin.get();
            return running ? base.plusNanos(System.nanoTime() - origin) : base;
        }

        void shift(Duration duration) {
            atOrigin.updateAndGet(base -> base.plus(duration));
        }

        void set(Instant instant) {
            atOrigin.set(running ? instant.minusNanos(System.nanoTime() - origin) : instant);
        }
    }
}
