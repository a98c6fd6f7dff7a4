package com.xentracker.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.collector.buffer.Backlog;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BacklogProgressTest {

    private static Backlog unsent(long spans) {
        return new Backlog(spans, 0, spans * 40, Optional.empty(), 0, 1, Optional.empty(), 0);
    }

    @Test
    void aSmallBacklogGetsNoBar() {
        assertThat(BacklogProgress.of(unsent(BacklogProgress.SHOWN_FROM_SPANS - 1))).isEmpty();
        assertThat(BacklogProgress.of(unsent(BacklogProgress.SHOWN_FROM_SPANS))).isPresent();
    }

    @Test
    void theBarShowsTheShareOfTheStartBacklogThatIsUploaded() {
        BacklogProgress progress = BacklogProgress.of(unsent(10_000)).orElseThrow();

        assertThat(progress.line(unsent(10_000))).isEqualTo("[" + " ".repeat(30)
                + "]   0 % of the backlog uploaded, 10,000 spans left");
        assertThat(progress.line(unsent(5_000))).isEqualTo("[" + "#".repeat(15) + " ".repeat(15)
                + "]  50 % of the backlog uploaded, 5,000 spans left");
        assertThat(progress.done(unsent(5_000))).isFalse();
        assertThat(progress.done(unsent(0))).isTrue();
    }

    @Test
    void spansRecordedMeanwhileNeverMakeItGoBackwardsBelowZero() {
        BacklogProgress progress = BacklogProgress.of(unsent(2_000)).orElseThrow();

        assertThat(progress.line(unsent(2_500))).contains("  0 % ").contains("2,500 spans left");
        assertThat(progress.done(unsent(2_500))).isFalse();
    }
}
