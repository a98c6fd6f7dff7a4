package com.xentracker.server.account;

import com.xentracker.server.access.Actor;
import java.util.Optional;

/**
 * Signed-in sessions, kept in the database (not in a node's memory) so that any server node can serve any request.
 * Only a hash of each session token is stored. Sessions are opened only by {@link SignIn}; a front end keeps the token
 * in a cookie and turns it back into the {@link Actor} for each request here.
 */
public interface Sessions {

    /**
     * The actor behind a live, unexpired session of an active account. Every use case checks the session again in
     * its own transaction, so a session ended meanwhile stops there too.
     */
    Optional<Actor> resolve(String token);

    /** Signs out: ends the session (audited). Unknown or ended tokens are ignored. */
    void close(String token);
}
