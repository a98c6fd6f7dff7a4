package com.xentracker.transport;

/** Key or certificate material could not be parsed (bad PEM, wrong type, unsupported algorithm). */
public final class InvalidKeyMaterialException extends TransportException {

    public InvalidKeyMaterialException(String message) {
        super(message);
    }

    public InvalidKeyMaterialException(String message, Throwable cause) {
        super(message, cause);
    }
}
