package com.xentracker.collector.enrollment;

/**
 * The durable steps of a re-enrollment on disk, in order. Each ends with a rename; a crash after any of them leaves
 * a state that {@link EnrolledDevice#finishReplacement} completes. Tests fail after a step to simulate the crash.
 */
enum ReplacementStep {
    /** The new identity is complete in {@code device.next/}; the old one is still in place. */
    STAGED,
    /** The old identity is in {@code device.replaced-<UTC time>/}; {@code device/} is missing. */
    OLD_IDENTITY_MOVED_ASIDE,
    /** The new identity is in {@code device/}; the span buffer may still be bound to the old one. */
    NEW_IDENTITY_IN_PLACE
}
