package com.xentracker.server.account;

import java.util.List;

/**
 * An account's one-time recovery codes, for signing in without the authenticator app. Shown once, when made; the
 * server keeps only their SHA-256, and each works once. Making new ones invalidates all older ones.
 *
 * @param codes ten codes of 80 random bits each, as {@code xxxxx-xxxxx-xxxxx-x} (base32, lower case); when typed,
 *              case, hyphens and spaces do not matter
 */
public record RecoveryCodes(List<String> codes) {

    /** How many an account gets at a time. */
    public static final int COUNT = 10;

    public RecoveryCodes {
        codes = List.copyOf(codes);
    }

    /** Never shows the codes. */
    @Override
    public String toString() {
        return "RecoveryCodes[" + codes.size() + " hidden]";
    }
}
