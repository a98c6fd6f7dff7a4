package com.xentracker.transport.internal;

import java.security.Provider;
import java.security.SecureRandom;

/**
 * The one JCA provider instance of this module, handed to every Bouncy Castle builder. Not exported.
 *
 * <p>We pass this instance to every JCA/BC builder instead of registering BC globally with
 * {@code Security.addProvider}: the host application's provider list stays untouched, and our algorithms cannot be
 * silently served by another provider that happens to come first.
 */
public final class Crypto {

    /**
     * The JDK's algorithms and Bouncy Castle's ECDH key derivation ({@link EnvelopeAlgorithms}: the full
     * {@code BouncyCastleProvider} costs the agent about 18 MiB of memory for thousands of algorithms it never uses).
     */
    public static final Provider PROVIDER = EnvelopeAlgorithms.create();

    private Crypto() {}

    /** A strong random source; {@code SecureRandom} instances are thread-safe. */
    public static SecureRandom random() {
        return Holder.RANDOM;
    }

    private static final class Holder {
        static final SecureRandom RANDOM = new SecureRandom();
    }
}
