package com.xentracker.server;

import com.xentracker.transport.wire.ErrorCode;

/** A device key rotation whose signatures do not prove possession of both the enrolled and the new key. */
public final class KeyProofInvalidException extends XentrackerServerException {

    public KeyProofInvalidException() {
        super(ErrorCode.KEY_PROOF_INVALID, "the key rotation is not signed by both the enrolled and the new device key");
    }
}
