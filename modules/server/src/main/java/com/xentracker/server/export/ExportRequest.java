package com.xentracker.server.export;

import java.util.Objects;

/**
 * One CSV export.
 *
 * @param byteOrderMark whether the file starts with a UTF-8 byte order mark, which Excel needs to read UTF-8
 */
public record ExportRequest(Dataset dataset, ExportFilter filter, boolean byteOrderMark) {

    public ExportRequest {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(filter, "filter");
    }

    public static ExportRequest of(Dataset dataset, ExportFilter filter) {
        return new ExportRequest(dataset, filter, false);
    }
}
