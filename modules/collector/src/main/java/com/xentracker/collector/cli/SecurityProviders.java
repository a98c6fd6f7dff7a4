package com.xentracker.collector.cli;

import java.security.Provider;
import java.security.Security;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;

/**
 * Puts the JDK's elliptic-curve provider (SunEC: TLS's key exchange and ECDSA, the EC keys in the JDK's certificates)
 * into the provider list, where the installed agent's runtime leaves it out on purpose.
 *
 * <p>Why: the JDK loads a configured provider that is not in {@code java.base} by instantiating every
 * {@code java.security.Provider} service on the module path in turn until one has the name, and Bouncy Castle's
 * module provides one. So the first TLS handshake built Bouncy Castle's full provider (about 1,000 classes and
 * 18 MiB, for nothing: the agent uses its own subset of Bouncy Castle). The agent's runtime
 * ({@code packaging/build}) therefore lists only {@code java.base}'s providers, and this adds SunEC found by its type
 * among the platform's own modules, where Bouncy Castle is not. On a JDK whose configuration lists SunEC (a build run
 * with {@code java -p}) it does nothing.
 */
final class SecurityProviders {

    static final String ELLIPTIC_CURVES = "SunEC";
    private static final String ELLIPTIC_CURVES_CLASS = "sun.security.ec.SunEC";

    private SecurityProviders() {}

    /** Adds SunEC after the configured providers when the configuration does not name it. */
    static void addEllipticCurvesIfLeftOut() {
        if (!configured(ELLIPTIC_CURVES, Security::getProperty)) {
            ellipticCurves().ifPresent(Security::addProvider);
        }
    }

    /** Whether {@code security.provider.N} names the provider; read without loading any provider. */
    static boolean configured(String name, UnaryOperator<String> securityProperty) {
        for (int i = 1; i <= 64; i++) {
            String entry = securityProperty.apply("security.provider." + i);
            if (entry == null) {
                return false;
            }
            String provider = entry.strip().split("\\s+")[0];
            if (provider.equals(name) || provider.equals(ELLIPTIC_CURVES_CLASS) && name.equals(ELLIPTIC_CURVES)) {
                return true;
            }
        }
        return false;
    }

    /** SunEC from the platform's modules, chosen by its type, so that no other provider is instantiated. */
    static Optional<Provider> ellipticCurves() {
        return ServiceLoader.load(Provider.class, ClassLoader.getPlatformClassLoader()).stream()
                .filter(provider -> provider.type().getName().equals(ELLIPTIC_CURVES_CLASS)).findFirst()
                .map(ServiceLoader.Provider::get);
    }
}
