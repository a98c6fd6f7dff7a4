package com.xentracker.server;

import com.xentracker.transport.wire.ErrorCode;
import java.util.UUID;

/** No organization has this id. */
public final class NoSuchOrganizationException extends XentrackerServerException {

    public NoSuchOrganizationException(UUID organizationId) {
        super(ErrorCode.ORGANIZATION_UNKNOWN, "no organization " + organizationId);
    }
}
