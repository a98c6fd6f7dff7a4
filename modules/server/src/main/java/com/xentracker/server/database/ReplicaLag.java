package com.xentracker.server.database;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * How far a standby is behind its primary, from what each check sees: the primary's WAL position and clock, and the
 * position the standby has replayed. The lag is how long ago the primary was at the oldest position the standby has
 * not replayed yet (within one check period). {@code pg_last_xact_replay_timestamp()} alone would not do: on an idle
 * primary the last commit is old although nothing is missing, so an idle system would look hours behind.
 * Not thread-safe: one monitor thread feeds it.
 */
final class ReplicaLag {

    /** Positions kept while the standby stays behind; beyond this the oldest is kept and the rest thinned. */
    private static final int MAX_SAMPLES = 10_000;

    private record Sample(long position, Instant at) {
    }

    private final Deque<Sample> notReplayed = new ArrayDeque<>();
    /** Whether the standby has been behind since the first check (its lag may then predate the first sample). */
    private boolean behindSinceFirstCheck = true;

    /**
     * The lag after one check.
     *
     * @param primaryPosition the primary's flushed WAL position (bytes)
     * @param primaryTime     the primary's clock when it said so
     * @param replayed        the position the standby has replayed
     * @param lastReplayedCommit the primary's commit time of the last transaction the standby replayed, if any
     */
    Duration observe(long primaryPosition, Instant primaryTime, long replayed, Optional<Instant> lastReplayedCommit) {
        notReplayed.addLast(new Sample(primaryPosition, primaryTime));
        while (!notReplayed.isEmpty() && notReplayed.peekFirst().position() <= replayed) {
            notReplayed.removeFirst();
        }
        if (notReplayed.isEmpty()) {
            behindSinceFirstCheck = false;
            return Duration.ZERO;
        }
        if (notReplayed.size() > MAX_SAMPLES) {
            Sample oldest = notReplayed.removeFirst();
            notReplayed.removeFirst();
            notReplayed.addFirst(oldest);
        }
        Duration lag = Duration.between(notReplayed.peekFirst().at(), primaryTime);
        if (behindSinceFirstCheck && notReplayed.size() > 1 && lastReplayedCommit.isPresent()) {
            // behind through a whole period since the first check: what is missing may be older than that check, and
            // the last replayed commit bounds it from above
            Duration sinceCommit = Duration.between(lastReplayedCommit.get(), primaryTime);
            lag = sinceCommit.compareTo(lag) > 0 ? sinceCommit : lag;
        }
        return lag.isNegative() ? Duration.ZERO : lag;
    }
}
