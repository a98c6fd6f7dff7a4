package com.xentracker.collector;

import com.xentracker.collector.buffer.Handover;
import com.xentracker.collector.enrollment.EnrolledDevice;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Agent#reenroll} did.
 *
 * @param device           the enrollment in place now
 * @param previousIdentity where the replaced identity was kept ({@code device.replaced-<UTC time>/}); empty when
 *                         there was none to move
 * @param tokenUsed        false when an interrupted re-enrollment was finished instead (its identity is the new one)
 * @param handover         what the buffer handed from the old identity to the new one; empty when it had nothing to
 *                         hand over (no buffer yet, or it belonged to the new identity already)
 * @param waitingSpans     closed spans that wait for upload under the new identity
 */
public record Reenrollment(EnrolledDevice device, Optional<Path> previousIdentity, boolean tokenUsed,
        Optional<Handover> handover, long waitingSpans) {

    public Reenrollment {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(previousIdentity, "previousIdentity");
        Objects.requireNonNull(handover, "handover");
    }
}
