package com.xentracker.server;

import com.xentracker.transport.wire.ErrorCode;

/**
 * A batch would make the server store what the organization's policy keeps private: an {@code EXCLUDED} or
 * {@code PAUSED} span that names an application, an executable or a title. The whole batch is refused and nothing of
 * it is stored; re-sending the same bytes fails again (the agent's privacy filter has a bug). The message never
 * quotes the offending name.
 */
public final class PrivateDataInBatchException extends XentrackerServerException {

    public PrivateDataInBatchException(String message) {
        super(ErrorCode.BATCH_PRIVATE_DATA, message);
    }
}
