package com.xentracker.collector.cli;

import com.xentracker.collector.buffer.Backlog;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A progress bar for `run` in a terminal while a backlog (after days offline) drains: how much of the backlog found at
 * start has reached the server. Only for a backlog of several batches; a few seconds of spans need no bar.
 */
final class BacklogProgress {

    /** Two batches' worth: smaller backlogs drain in one or two uploads. */
    static final long SHOWN_FROM_SPANS = 1_000;
    private static final int WIDTH = 30;

    private final long initialSpans;

    private BacklogProgress(long initialSpans) {
        this.initialSpans = initialSpans;
    }

    /** A bar for this backlog, when it is worth one. */
    static Optional<BacklogProgress> of(Backlog atStart) {
        Objects.requireNonNull(atStart, "atStart");
        return atStart.unsentSpans() >= SHOWN_FROM_SPANS ? Optional.of(new BacklogProgress(atStart.unsentSpans()))
                : Optional.empty();
    }

    /** Whether the backlog found at start is uploaded (spans recorded since may still wait for the next upload). */
    boolean done(Backlog now) {
        return now.unsentSpans() <= 0 || uploaded(now) >= initialSpans;
    }

    /** One line, e.g. {@code [###############               ]  50 % of the backlog uploaded, 5,000 spans left}. */
    String line(Backlog now) {
        long uploaded = uploaded(now);
        int percent = (int) (uploaded * 100 / initialSpans);
        int filled = (int) (uploaded * WIDTH / initialSpans);
        return String.format(Locale.ROOT, "[%s%s] %3d %% of the backlog uploaded, %,d spans left", "#".repeat(filled),
                " ".repeat(WIDTH - filled), percent, Math.max(0, now.unsentSpans()));
    }

    private long uploaded(Backlog now) {
        return Math.max(0, Math.min(initialSpans, initialSpans - now.unsentSpans()));
    }
}
