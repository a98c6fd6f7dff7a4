package com.xentracker.collector.buffer;

import com.xentracker.transport.wire.CaptureState;
import com.xentracker.transport.wire.ErrorCode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the agent last noted about itself in the buffer file, for {@code status}: its process, the last upload, the
 * last upload error, whether it can capture, and what the server told it.
 *
 * @param process      the agent process that last started on this file
 * @param lastUploadAt when the server last acknowledged a batch
 * @param lastError    the last failed upload attempt (kept after later successes; compare the times)
 * @param capture      the last capture state the agent noted
 * @param policy       the last collection policy version the server reported
 */
public record AgentStatus(Optional<AgentProcess> process, Optional<Instant> lastUploadAt,
        Optional<UploadError> lastError, Optional<Capture> capture, Optional<PolicySeen> policy) {

    public AgentStatus {
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(lastUploadAt, "lastUploadAt");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(capture, "capture");
        Objects.requireNonNull(policy, "policy");
    }

    /** The agent process: its pid, when it started and, after a clean stop, when it stopped. */
    public record AgentProcess(long pid, Instant startedAt, Optional<Instant> stoppedAt) {
        public AgentProcess {
            Objects.requireNonNull(startedAt, "startedAt");
            Objects.requireNonNull(stoppedAt, "stoppedAt");
        }
    }

    /**
     * A failed upload.
     *
     * @param kind    what failed, machine-readable (e.g. {@code SERVER_UNREACHABLE})
     * @param code    the server's error code when it refused with one this version knows
     * @param message a plain description; never a payload, key or token
     */
    public record UploadError(Instant at, String kind, Optional<ErrorCode> code, String message) {
        public UploadError {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }

        /** A failure without a server error code (unreachable, or noted by an older agent). */
        public UploadError(Instant at, String kind, String message) {
            this(at, kind, Optional.empty(), message);
        }
    }

    /**
     * Whether the agent can observe the desktop.
     *
     * @param state  as reported to the server; a name this version does not know reads as
     *               {@link CaptureState#UNKNOWN}
     * @param detail a plain explanation; empty when there is nothing to add
     * @param since  when the agent noted this state
     */
    public record Capture(CaptureState state, String detail, Instant since) {
        public Capture {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(since, "since");
        }
    }

    /** The organization's policy version the server last reported, and when. */
    public record PolicySeen(long version, Instant at) {
        public PolicySeen {
            Objects.requireNonNull(at, "at");
        }
    }
}
