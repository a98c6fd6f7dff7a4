package com.xentracker.server.apitoken;

import com.xentracker.server.access.Guard;
import com.xentracker.server.crypto.SecretTokens;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/** The API token concept as the server wires it. Made once by the server; front ends get {@link ApiTokens} only. */
public final class ApiTokenServices {

    private final DatabaseApiTokens tokens;

    private ApiTokenServices(DatabaseApiTokens tokens) {
        this.tokens = tokens;
    }

    public static ApiTokenServices create(Jdbi jdbi, Guard guard, SecretTokens secrets, Clock clock) {
        return new ApiTokenServices(new DatabaseApiTokens(jdbi, guard, secrets, clock));
    }

    public ApiTokens tokens() {
        return tokens;
    }
}
