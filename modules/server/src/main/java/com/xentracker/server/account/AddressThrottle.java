package com.xentracker.server.account;

import com.xentracker.server.TooManyAttemptsException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failed sign-ins per source address, across all accounts, organizations and server nodes (the
 * {@code sign_in_throttle} table), so that one address guessing many accounts' passwords is slowed down like one
 * account's guesser is by the account lock.
 *
 * <p>The count is a leaky bucket: each failure adds one, and one is forgiven every {@link #FORGIVEN_EVERY 3 minutes}
 * since the previous failure. When it reaches {@value #FREE_FAILURES} the address is locked: every attempt from it is
 * refused unchecked (and uncounted) with {@link TooManyAttemptsException} for 1 minute, then each further failure
 * locks it twice as long, up to an hour. Why these numbers:
 * <ul>
 *   <li>20 at once: one person mistyping locks their own account after 5, long before their address; 20 lets four
 *       people behind one office NAT lock themselves out at the same time before the office is throttled, and gives
 *       a password sprayer 20 guesses instead of unlimited ones.</li>
 *   <li>One forgiven every 3 minutes: an office that fails fewer than 20 sign-ins an hour is never throttled, however
 *       long it goes on; an attacker gets at most about 20 guesses an hour per address after the first burst.</li>
 *   <li>1 minute doubling to an hour: the same ladder as the account lock, short for the honest typist, long for a
 *       script.</li>
 * </ul>
 * A successful sign-in resets nothing here, neither its own address's count nor another's: an attacker with an
 * account of their own could otherwise empty their bucket between guesses. Refused attempts are not audit-logged (no
 * organization is known and one address could flood the logs); the lock itself is logged, without the address.
 *
 * <p>IPv6 addresses are counted per /64 prefix, the smallest block a site is given: an attacker holds a whole /64
 * and could otherwise take a fresh address for every guess.
 */
final class AddressThrottle {

    private static final Logger LOG = LoggerFactory.getLogger(AddressThrottle.class);

    static final int FREE_FAILURES = 20;
    static final Duration FORGIVEN_EVERY = Duration.ofMinutes(3);
    static final Duration FIRST_LOCK = Duration.ofMinutes(1);
    static final Duration LONGEST_LOCK = Duration.ofHours(1);
    /** As long as the column takes (an IPv6 address with a zone is at most 45 + a zone name). */
    static final int MAX_ADDRESS = 64;
    static final String UNKNOWN = "unknown";

    private static final Pattern IPV6_LITERAL = Pattern.compile("\\[?[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?]?");

    private AddressThrottle() {
    }

    /**
     * Refuses the attempt while its address is locked.
     *
     * @throws TooManyAttemptsException with the time left
     */
    static void check(Handle handle, String key, Instant now) {
        Optional<Instant> lockedUntil = handle.createQuery(
                        "SELECT locked_until FROM sign_in_throttle WHERE source_address = :address")
                .bind("address", key)
                .map((rs, ctx) -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class))
                        .map(OffsetDateTime::toInstant))
                .findOne()
                .flatMap(until -> until);
        if (lockedUntil.isPresent() && now.isBefore(lockedUntil.get())) {
            throw new TooManyAttemptsException(Duration.between(now, lockedUntil.get()));
        }
    }

    /** Counts a failed attempt from the address (one statement: atomic across nodes); locks it when it is too many. */
    static void countFailure(Handle handle, String key, Instant now) {
        // the bucket leaks whole failures since the previous one; a clock of another node that is behind leaks none
        int failures = handle.createQuery("""
                        INSERT INTO sign_in_throttle AS t (source_address, failures, locked_until, last_failure_at)
                        VALUES (:address, 1, NULL, CAST(:now AS timestamptz))
                        ON CONFLICT (source_address) DO UPDATE SET
                            failures = GREATEST(0, t.failures - floor(GREATEST(0, extract(epoch FROM
                                           CAST(:now AS timestamptz) - t.last_failure_at)) / :forgiven)::integer) + 1,
                            last_failure_at = GREATEST(t.last_failure_at, CAST(:now AS timestamptz))
                        RETURNING failures""")
                .bind("address", key)
                .bind("now", now)
                .bind("forgiven", FORGIVEN_EVERY.toSeconds())
                .mapTo(Integer.class)
                .one();
        if (failures >= FREE_FAILURES) {
            Duration lock = lockAfter(failures);
            handle.createUpdate("UPDATE sign_in_throttle SET locked_until = :until WHERE source_address = :address")
                    .bind("until", now.plus(lock))
                    .bind("address", key)
                    .execute();
            // the address is personal data: the log says only that the throttle acted
            LOG.warn("a source address was locked for {} s after {} failed sign-ins", lock.toSeconds(), failures);
        }
    }

    /** Deletes addresses that have been forgiven every failure and are not locked. */
    static int sweep(Handle handle, Instant now) {
        return handle.createUpdate("""
                        DELETE FROM sign_in_throttle
                        WHERE last_failure_at < :forgotten AND (locked_until IS NULL OR locked_until <= :now)""")
                .bind("forgotten", now.minus(FORGIVEN_EVERY.multipliedBy(FREE_FAILURES)))
                .bind("now", now)
                .execute();
    }

    /** How long an address is locked at this many counted failures: 1 min at 20, doubling, at most 1 h. */
    static Duration lockAfter(int failures) {
        int doublings = Math.min(Math.max(0, failures - FREE_FAILURES), 6); // 2^6 min > 1 h
        Duration lock = FIRST_LOCK.multipliedBy(1L << doublings);
        return lock.compareTo(LONGEST_LOCK) > 0 ? LONGEST_LOCK : lock;
    }

    /** The address as an account's sign-in history shows it: as given, cut to the column's length. */
    static String displayed(String address) {
        String value = address == null || address.isBlank() ? UNKNOWN : address.strip();
        return value.length() > MAX_ADDRESS ? value.substring(0, MAX_ADDRESS) : value;
    }

    /** What the throttle counts by: an IPv4 address as it is, an IPv6 address by its /64 prefix. */
    static String key(String address) {
        String value = displayed(address);
        if (!value.contains(":") || !IPV6_LITERAL.matcher(value).matches()) {
            return value;
        }
        String literal = value.replace("[", "").replace("]", "").replaceFirst("%.*$", "");
        try {
            // a literal with a colon is parsed, never looked up (InetAddress resolves names only without one)
            InetAddress parsed = InetAddress.getByName(literal);
            byte[] bytes = parsed.getAddress();
            if (bytes.length != 16) {
                return parsed.getHostAddress(); // an IPv4-mapped IPv6 address: counted as the IPv4 address
            }
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return prefix.append(":/64").toString().toLowerCase(Locale.ROOT);
        } catch (UnknownHostException e) {
            return value;
        }
    }
}
