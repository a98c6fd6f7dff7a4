package com.xentracker.collector.browser;

import java.time.Clock;

/** Rate limit: {@code capacity} requests at once, refilled at {@code perSecond}. Thread-safe. */
final class TokenBucket {

    private final Clock clock;
    private final double capacity;
    private final double perMilli;
    private double tokens;
    private long lastMillis;

    TokenBucket(Clock clock, int capacity, int perSecond) {
        this.clock = clock;
        this.capacity = capacity;
        this.perMilli = perSecond / 1000.0;
        this.tokens = capacity;
        this.lastMillis = clock.millis();
    }

    /** Takes one token if there is one. */
    synchronized boolean tryTake() {
        long now = clock.millis();
        if (now > lastMillis) { // a clock set back refills nothing, and takes nothing away
            tokens = Math.min(capacity, tokens + (now - lastMillis) * perMilli);
            lastMillis = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
