package com.xentracker.server.device;

import com.xentracker.transport.wire.CaptureState;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * An enrolled device as administrators see it, with what its agent last reported about itself.
 *
 * @param agentVersion  the version the agent last reported (at enrollment, then with each batch)
 * @param captureState  whether the agent could record when it sent its newest batch, e.g.
 *                      {@link CaptureState#WAYLAND_UNSUPPORTED}; {@link CaptureState#UNKNOWN} before its first batch
 *                      or for an agent too old to say
 * @param captureDetail the agent's explanation for people, e.g. "Wayland session: foreground tracking unavailable";
 *                      may be empty
 * @param policyVersion the collection policy version the agent applied then (0: the built-in defaults), so an
 *                      administrator can see which devices have not picked up a change yet
 * @param lastSeen      the last enrollment or upload (a repeated upload counts too)
 * @param clockSkew     the device's clock against the server's when it sent its newest stored batch (positive:
 *                      ahead), if it said what its time was; a skewed clock shifts that device's times in reports
 * @param backlog       what its agent still held unsent when it made its newest stored batch; empty before its first
 *                      batch or for an agent too old to say
 * @param silent        whether the device is not revoked and the server has not heard of it for the organization's
 *                      silent-after hours
 * @param losses        the gaps its agent recorded and the holes in its batch sequence
 */
public record DeviceSummary(UUID id, String hostname, String operatingSystem, String osUser, String agentVersion,
        CaptureState captureState, String captureDetail, long policyVersion, Instant enrolledAt, Instant lastSeen,
        boolean revoked, Optional<Duration> clockSkew, Optional<DeviceBacklog> backlog, boolean silent,
        DeviceLosses losses) {

    /** A device as agents before the backlog report were seen: no backlog, not silent, nothing known lost. */
    public DeviceSummary(UUID id, String hostname, String operatingSystem, String osUser, String agentVersion,
            CaptureState captureState, String captureDetail, long policyVersion, Instant enrolledAt,
            Instant lastSeen, boolean revoked, Optional<Duration> clockSkew) {
        this(id, hostname, operatingSystem, osUser, agentVersion, captureState, captureDetail, policyVersion,
                enrolledAt, lastSeen, revoked, clockSkew, Optional.empty(), false, DeviceLosses.none());
    }

    /** A device whose clock is not known (no batch yet, or an agent that does not send its time). */
    public DeviceSummary(UUID id, String hostname, String operatingSystem, String osUser, String agentVersion,
            CaptureState captureState, String captureDetail, long policyVersion, Instant enrolledAt,
            Instant lastSeen, boolean revoked) {
        this(id, hostname, operatingSystem, osUser, agentVersion, captureState, captureDetail, policyVersion,
                enrolledAt, lastSeen, revoked, Optional.empty());
    }

    public DeviceSummary {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(operatingSystem, "operatingSystem");
        Objects.requireNonNull(osUser, "osUser");
        Objects.requireNonNull(agentVersion, "agentVersion");
        Objects.requireNonNull(captureState, "captureState");
        Objects.requireNonNull(captureDetail, "captureDetail");
        Objects.requireNonNull(enrolledAt, "enrolledAt");
        Objects.requireNonNull(lastSeen, "lastSeen");
        Objects.requireNonNull(clockSkew, "clockSkew");
        Objects.requireNonNull(backlog, "backlog");
        Objects.requireNonNull(losses, "losses");
        if (silent && revoked) {
            throw new IllegalArgumentException("a revoked device is not expected to report, so it is never silent");
        }
    }
}
