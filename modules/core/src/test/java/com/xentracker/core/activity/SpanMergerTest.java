package com.xentracker.core.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpanMergerTest {

    private static final Instant T0 = Instant.parse("2026-11-29T09:00:00Z");
    private static final Activity XTERM = Activity.active("xterm", "/usr/bin/xterm", Optional.empty());
    private static final Activity FIREFOX = Activity.active("firefox", "/usr/lib/firefox/firefox", Optional.empty());

    private final SpanMerger merger = SpanMerger.create(Duration.ofSeconds(1));
    private final List<Span> closed = new ArrayList<>();

    private void sample(long secondsAfterT0, Activity activity) {
        closed.addAll(merger.accept(Sample.of(T0.plusMillis(Math.round(secondsAfterT0 * 1000)), activity)));
    }

    @Test
    void pulseTimeIsTheLargerOfOneAndAHalfPollsAndPollPlusOneSecond() {
        assertThat(SpanMerger.pulseTime(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(2));
        assertThat(SpanMerger.pulseTime(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(15));
        assertThat(SpanMerger.pulseTime(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void sameActivityWithinPulseTimeExtendsTheOpenSpan() {
        for (int s = 0; s <= 10; s++) {
            sample(s, XTERM);
        }
        assertThat(closed).isEmpty();
        assertThat(merger.openSpan()).contains(Span.of(T0, T0.plusSeconds(10), XTERM));
    }

    @Test
    void aSwitchClosesTheSpanAtTheNewSampleWithoutAGap() {
        sample(0, XTERM);
        sample(1, XTERM);
        sample(2, FIREFOX);
        sample(3, FIREFOX);
        assertThat(closed).containsExactly(Span.of(T0, T0.plusSeconds(2), XTERM));
        assertThat(merger.openSpan()).contains(Span.of(T0.plusSeconds(2), T0.plusSeconds(3), FIREFOX));
    }

    @Test
    void aGapLongerThanPulseTimeClosesTheSpanAtItsLastSample() {
        sample(0, XTERM);
        sample(1, XTERM);
        sample(3600, XTERM); // suspended for an hour
        assertThat(closed).containsExactly(Span.of(T0, T0.plusSeconds(1), XTERM));
        assertThat(merger.openSpan()).contains(Span.of(T0.plusSeconds(3600), T0.plusSeconds(3600), XTERM));
    }

    @Test
    void aClockSetBackNeverCountsTimeTwice() {
        sample(0, XTERM);
        sample(1, XTERM);
        sample(2, XTERM);
        sample(1, FIREFOX); // the clock was set back by a second
        assertThat(closed).isEmpty();
        assertThat(merger.openSpan()).contains(Span.of(T0, T0.plusSeconds(2), XTERM));
    }

    @Test
    void closeReturnsTheOpenSpanOnce() {
        sample(0, XTERM);
        sample(1, XTERM);
        assertThat(merger.close()).contains(Span.of(T0, T0.plusSeconds(1), XTERM));
        assertThat(merger.close()).isEmpty();
    }

    @Test
    void aNonPositivePollIntervalIsRejected() {
        assertThatThrownBy(() -> SpanMerger.create(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSpanCannotEndBeforeItStarts() {
        assertThatThrownBy(() -> Span.of(T0, T0.minusSeconds(1), XTERM))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("before it starts");
    }
}
