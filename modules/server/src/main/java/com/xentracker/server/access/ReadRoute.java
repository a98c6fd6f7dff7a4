package com.xentracker.server.access;

import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Where the {@link Guard} runs a use case's pure read: on a read replica while one is configured, up and at most its
 * allowed lag behind the primary, otherwise on the primary in the guard's own transaction (docs/decisions/0050).
 * Checks, audit entries and every write stay on the primary whatever this says.
 */
public interface ReadRoute {

    /**
     * The replica to read from now, when it is usable; empty: read on the primary. Asked once per read, so an
     * implementation may count where reads went.
     */
    Optional<Jdbi> replica();

    /**
     * A read on the replica failed for a reason of the replica's (its connection refused or lost, a statement
     * cancelled for a conflict with recovery): the read runs on the primary instead, and the route may stop offering
     * the replica until it is seen healthy again.
     */
    void replicaFailed(RuntimeException failure);

    /** Every read on the primary: no replica configured. */
    static ReadRoute primaryOnly() {
        return PrimaryOnly.INSTANCE;
    }

    /** The route without a replica. */
    enum PrimaryOnly implements ReadRoute {
        INSTANCE;

        @Override
        public Optional<Jdbi> replica() {
            return Optional.empty();
        }

        @Override
        public void replicaFailed(RuntimeException failure) {
            // never offered one
        }
    }
}
