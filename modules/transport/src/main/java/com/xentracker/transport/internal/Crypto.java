package com.xentracker.transport.internal;

import java.security.Provider;
import java.security.SecureRandom;

/**
 * The one Bouncy Castle provider instance of this module. Not exported.
 *
 * <p>We pass this instance to every JCA/BC builder instead of registering BC globally with
 * {@code Security.addProvider}: the host application's provider list stays untouched, and our algorithms cannot be
 * silently served by another provider that happens to come first.
 */
public final class Crypto {

    /**
     * Bouncy Castle's implementations of the algorithms this module uses, and no others ({@link BouncyCastleSubset}:
     * the full {@code BouncyCastleProvider} costs the agent about 18 MiB of memory for thousands it never uses).
     */
    public static final Provider PROVIDER = new BouncyCastleSubset();

    private Crypto() {}

    /** A strong random source; {@code SecureRandom} instances are thread-safe. */
    public static SecureRandom random() {
        return Holder.RANDOM;
    }

    private static final class Holder {
        static final SecureRandom RANDOM = new SecureRandom();
    }
}
