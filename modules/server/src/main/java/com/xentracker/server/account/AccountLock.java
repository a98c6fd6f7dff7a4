package com.xentracker.server.account;

import com.xentracker.server.access.Action;
import com.xentracker.server.access.Guard;
import com.xentracker.server.audit.ActorKind;
import com.xentracker.server.audit.Outcome;
import com.xentracker.server.audit.Subject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guessing an account's secrets is throttled per account, in the database so that it holds across every server node:
 * after {@value #FREE_ATTEMPTS} failures in a row (wrong passwords, wrong second factors, wrong current passwords or
 * codes on the account's own page) the account is locked for a minute, then twice as long per further failure, up to
 * an hour. Only a successful sign-in (with the second factor, where it is on) resets the count: a right password
 * alone does not, or knowing it would allow unlimited guesses at the code.
 */
final class AccountLock {

    private static final Logger LOG = LoggerFactory.getLogger(AccountLock.class);

    /** Failed attempts in a row before the account is locked; then each further failure locks it again. */
    static final int FREE_ATTEMPTS = 5;
    static final Duration FIRST_LOCK = Duration.ofMinutes(1);
    static final Duration LONGEST_LOCK = Duration.ofHours(1);

    private AccountLock() {
    }

    /**
     * Counts a failure (one UPDATE: atomic across nodes) and locks the account when it is one too many, with an audit
     * entry; whether the account is locked now.
     *
     * @param wasLocked whether the account was locked already (the failure is counted, the lock not renewed)
     */
    static boolean countFailure(Handle handle, Guard guard, UUID organizationId, UUID accountId, Instant now,
            boolean wasLocked) {
        int failures = handle.createQuery("""
                        UPDATE accounts SET failed_sign_ins = failed_sign_ins + 1
                        WHERE organization_id = :organization AND id = :id
                        RETURNING failed_sign_ins""")
                .bind("organization", organizationId)
                .bind("id", accountId)
                .mapTo(Integer.class)
                .one();
        if (failures < FREE_ATTEMPTS || wasLocked) {
            return wasLocked;
        }
        Duration lock = lockAfter(failures);
        handle.createUpdate("UPDATE accounts SET locked_until = :until WHERE organization_id = :organization AND id = :id")
                .bind("until", now.plus(lock))
                .bind("organization", organizationId)
                .bind("id", accountId)
                .execute();
        guard.record(handle, organizationId, ActorKind.SYSTEM, Optional.empty(), Action.SIGN_IN_LOCKED,
                Subject.of("account " + accountId + " for " + lock.toSeconds() + " s after " + failures
                        + " failed sign-ins"), Outcome.SUCCESS);
        LOG.warn("account {} locked for {} s after {} failed sign-ins in a row", accountId, lock.toSeconds(), failures);
        return true;
    }

    /** Resets the count after a successful sign-in. */
    static void reset(Handle handle, UUID organizationId, UUID accountId) {
        handle.createUpdate("""
                        UPDATE accounts SET failed_sign_ins = 0, locked_until = NULL
                        WHERE organization_id = :organization AND id = :id AND failed_sign_ins > 0""")
                .bind("organization", organizationId)
                .bind("id", accountId)
                .execute();
    }

    /** How long the account stays locked, if it is. */
    static Optional<Duration> remaining(Optional<Instant> lockedUntil, Instant now) {
        return lockedUntil.filter(now::isBefore).map(until -> Duration.between(now, until));
    }

    /**
     * How long the account is locked after this many failed attempts in a row: 1 min after the 5th, doubling with
     * each further one, at most 1 h.
     */
    static Duration lockAfter(int failures) {
        int doublings = Math.min(failures - FREE_ATTEMPTS, 6); // 2^6 min > 1 h
        Duration lock = FIRST_LOCK.multipliedBy(1L << Math.max(0, doublings));
        return lock.compareTo(LONGEST_LOCK) > 0 ? LONGEST_LOCK : lock;
    }
}
