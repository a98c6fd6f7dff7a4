package com.xentracker.server.account;

import java.util.Optional;

/**
 * Signed-in portal sessions, kept in the database (not in a node's memory) so that any server node can serve any
 * request. Only a hash of each session token is stored.
 */
public interface Sessions {

    /** Opens a session and returns its opaque token (at least 256 random bits, URL-safe) for a cookie. */
    String open(Account account);

    /** The account of a live, unexpired session. */
    Optional<Account> resolve(String token);

    /** Ends a session; unknown tokens are ignored. */
    void close(String token);
}
