package com.xentracker.server.account;

import java.util.UUID;

/** A person who signs in to the portal. Never carries the password or its hash. */
public record Account(UUID id, UUID organizationId, String email, Role role) {
}
