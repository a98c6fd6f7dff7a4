package com.xentracker.server.audit;

import com.xentracker.server.access.Guard;
import java.util.Objects;

/** The audit concept's read side as the server wires it. Made once by the server; front ends get the interface. */
public final class AuditServices {

    private final DatabaseAuditTrail trail;

    private AuditServices(Guard guard, AuditChain chain) {
        this.trail = new DatabaseAuditTrail(guard, chain);
    }

    /** @param chain the chain the guard appends to; its key verifies it */
    public static AuditServices create(Guard guard, AuditChain chain) {
        return new AuditServices(Objects.requireNonNull(guard, "guard"), Objects.requireNonNull(chain, "chain"));
    }

    public AuditTrail trail() {
        return trail;
    }
}
