package com.xentracker.server.apitoken;

import java.util.Objects;

/**
 * A token just created: the only time its secret exists outside the client that will send it. Never logged.
 *
 * @param secret what a client sends as {@code Authorization: Bearer <secret>}
 */
public record IssuedApiToken(ApiToken token, String secret) {

    public IssuedApiToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(secret, "secret");
    }

    /** Never shows the secret. */
    @Override
    public String toString() {
        return "IssuedApiToken[" + token + "]";
    }
}
