package com.xentracker.server.export;

import com.xentracker.server.access.Actor;
import java.util.UUID;

/**
 * Getting data out: CSV exports of the organization's datasets, and the GDPR Art. 15 access package of one person.
 * Both stream from a database cursor straight into the client's response (the heap holds a few thousand rows at
 * most, however many there are), and each is audit-logged with what it sent: row count, bytes and the SHA-256 of
 * the bytes, computed while streaming. A download the client breaks off is recorded as {@code FAILED} with how far
 * it got.
 */
public interface Exports {

    /** The media type of every CSV export. */
    String CSV = "text/csv; charset=utf-8";
    /** The media type of access packages. */
    String ZIP = "application/zip";

    /**
     * Streams one dataset as CSV (RFC 4180, UTF-8, CRLF line ends, a header row). Cells that a spreadsheet would
     * evaluate (starting with {@code = + - @}, tab or carriage return) are neutralised with a leading apostrophe.
     * The audit log dataset needs the right to read the audit log; the others are for owners, administrators and
     * auditors.
     *
     * @throws com.xentracker.server.NotFoundException when the filter names a person, group or device the
     *         organization does not have
     * @throws com.xentracker.server.NotPermittedException when the actor may not export it
     */
    ExportReceipt export(Actor actor, ExportRequest request, ExportTarget target);

    /**
     * Streams the access package (GDPR Art. 15) of {@code person} as one ZIP: every dataset filtered to them, a
     * plain-language account of the processing made from the organization's settings, who viewed or exported their
     * data and when, and a manifest with each file's SHA-256. Owners and administrators.
     *
     * @throws com.xentracker.server.NotFoundException when the organization has no such person
     */
    ExportReceipt accessPackage(Actor actor, UUID person, ExportTarget target);

    /**
     * The access package of a self-service account's own person, exactly as {@link #accessPackage} makes it: the
     * person is the one the account is linked to, read in the use case's transaction; no request can name another.
     *
     * @throws com.xentracker.server.NotPermittedException for every role but {@link
     *         com.xentracker.server.access.Role#SELF}, and while the organization has self-service turned off
     */
    ExportReceipt ownAccessPackage(Actor actor, ExportTarget target);
}
