package com.xentracker.server;

import com.xentracker.transport.wire.ErrorCode;

/**
 * Nothing of the kind has this id in the acting account's organization (a person, group, account, enrollment token,
 * category or rule). An id of another organization is answered exactly like an unknown one, so ids reveal nothing
 * across organizations.
 */
public final class NotFoundException extends XentrackerServerException {

    /** @param what what was looked for, e.g. {@code "person 3f2…"}; an id, never a name */
    public NotFoundException(String what) {
        super(ErrorCode.NOT_FOUND, "the organization has no " + what);
    }
}
