package com.xentracker.server;

/** A device key rotation whose signatures do not prove possession of both the enrolled and the new key. */
public final class KeyProofInvalidException extends XentrackerServerException {

    public KeyProofInvalidException() {
        super("the key rotation is not signed by both the enrolled and the new device key");
    }
}
