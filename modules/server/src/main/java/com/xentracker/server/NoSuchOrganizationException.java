package com.xentracker.server;

import java.util.UUID;

/** No organization has this id. */
public final class NoSuchOrganizationException extends XentrackerServerException {

    public NoSuchOrganizationException(UUID organizationId) {
        super("no organization " + organizationId);
    }
}
