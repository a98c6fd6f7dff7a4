package com.xentracker.server.export;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where an export goes: the front end's response. Opened only after the export was allowed and its filter checked,
 * so a refusal can still be answered with an error status; after that the bytes stream straight into it.
 */
@FunctionalInterface
public interface ExportTarget {

    /** Starts the response (status 200, these headers) and returns its body. */
    OutputStream open(String fileName, String contentType) throws IOException;
}
