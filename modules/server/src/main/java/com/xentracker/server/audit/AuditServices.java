package com.xentracker.server.audit;

import com.xentracker.server.access.Guard;

/** The audit concept's read side as the server wires it. Made once by the server; front ends get the interface. */
public final class AuditServices {

    private final DatabaseAuditTrail trail;

    private AuditServices(Guard guard) {
        this.trail = new DatabaseAuditTrail(guard);
    }

    public static AuditServices create(Guard guard) {
        return new AuditServices(guard);
    }

    public AuditTrail trail() {
        return trail;
    }
}
