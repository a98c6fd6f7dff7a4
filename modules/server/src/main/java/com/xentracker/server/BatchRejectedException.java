package com.xentracker.server;

import com.xentracker.transport.wire.ErrorCode;

/**
 * A batch opened and verified, but its content contradicts the request: another device id or sequence than the URL's,
 * or spans the server will not store. Re-sending the same bytes will fail again.
 */
public final class BatchRejectedException extends XentrackerServerException {

    public BatchRejectedException(String message) {
        super(ErrorCode.BATCH_REJECTED, message);
    }
}
