package com.xentracker.collector;

import java.lang.module.ModuleDescriptor;

/** The agent's version, as recorded in the module descriptor at build time. */
public final class AgentVersion {

    private AgentVersion() {}

    /** E.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} when run from classes without a module version. */
    public static String current() {
        ModuleDescriptor descriptor = AgentVersion.class.getModule().getDescriptor();
        if (descriptor != null && descriptor.rawVersion().isPresent()) {
            return descriptor.rawVersion().get();
        }
        String implementation = AgentVersion.class.getPackage().getImplementationVersion();
        return implementation != null ? implementation : "unknown";
    }
}
