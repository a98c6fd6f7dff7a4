package com.xentracker.testing.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class MutableClockTest {

    private static final Instant START = Instant.parse("2026-12-31T23:30:00Z");

    @Test
    void aClockStandsAtItsStartUntilMovedForwardsOrBackwards() throws Exception {
        MutableClock clock = MutableClock.at(START);
        Thread.sleep(5);
        assertThat(clock.instant()).isEqualTo(START);
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);

        clock.advance(Duration.ofHours(1));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2027-01-01T00:30:00Z"));
        clock.rewind(Duration.ofDays(1));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-12-31T00:30:00Z"));
        clock.advance(Duration.ofMinutes(-30));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-12-31T00:00:00Z"));
        clock.set(Instant.parse("2000-01-01T00:00:00Z"));
        assertThat(clock.millis()).isEqualTo(Instant.parse("2000-01-01T00:00:00Z").toEpochMilli());
    }

    @Test
    void aClockInAnotherZoneSharesTheTimeOfTheOneItCameFrom() {
        MutableClock utc = MutableClock.at("2026-03-01T00:30:00Z");
        MutableClock kiritimati = utc.withZone(ZoneId.of("Pacific/Kiritimati"));

        utc.advance(Duration.ofMinutes(15));
        kiritimati.advance(Duration.ofMinutes(15));

        assertThat(utc.instant()).isEqualTo(kiritimati.instant()).isEqualTo(Instant.parse("2026-03-01T01:00:00Z"));
        assertThat(kiritimati.getZone()).isEqualTo(ZoneId.of("Pacific/Kiritimati"));
        assertThat(java.time.LocalDate.now(kiritimati)).isEqualTo(java.time.LocalDate.parse("2026-03-01"));
        assertThat(utc.withZone(ZoneOffset.UTC)).isSameAs(utc);
    }

    @Test
    void aRunningClockStartsAtItsStartMovesWithRealTimeAndCanBeShifted() throws Exception {
        MutableClock clock = MutableClock.runningFrom(START);
        Instant first = clock.instant();
        Thread.sleep(20);
        Instant second = clock.instant();

        assertThat(first).isBetween(START, START.plusSeconds(1));
        assertThat(Duration.between(first, second)).isGreaterThanOrEqualTo(Duration.ofMillis(20))
                .isLessThan(Duration.ofSeconds(10));

        clock.advance(Duration.ofDays(1));
        assertThat(clock.instant()).isAfterOrEqualTo(second.plus(Duration.ofDays(1)));
        clock.set(START);
        assertThat(clock.instant()).isBetween(START, START.plusSeconds(1));
    }

    @Test
    void movesFromManyThreadsAtOnceAreAllKept() throws Exception {
        MutableClock clock = MutableClock.at(START);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < 1_000; i++) {
                    clock.advance(Duration.ofSeconds(2));
                    clock.rewind(Duration.ofSeconds(1));
                }
            });
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(clock.instant()).isEqualTo(START.plusSeconds(8 * 1_000));
    }
}
