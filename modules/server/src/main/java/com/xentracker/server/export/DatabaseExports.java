package com.xentracker.server.export;

import com.xentracker.server.access.Access;
import com.xentracker.server.access.Action;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Guard;
import com.xentracker.server.audit.Outcome;
import com.xentracker.server.audit.Subject;
import com.xentracker.server.organization.Policies;
import com.xentracker.server.rollup.TenantSql;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Exports} over the database. Each export runs in one transaction of {@link Guard#runStreamed}: the role is
 * checked and the filter's ids are looked up before the response is opened (so a refusal is still an error status),
 * then rows go from the cursor through the CSV writer and a SHA-256 into the response, and the audit entry that
 * names rows, bytes and hash commits with the transaction, before the response is completed.
 */
final class DatabaseExports implements Exports {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseExports.class);

    private final Guard guard;
    private final Policies policies;
    private final Clock clock;

    DatabaseExports(Guard guard, Policies policies, Clock clock) {
        this.guard = guard;
        this.policies = policies;
        this.clock = clock;
    }

    @Override
    public ExportReceipt export(Actor actor, ExportRequest request, ExportTarget target) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(target, "target");
        Dataset dataset = request.dataset();
        Action action = dataset == Dataset.AUDIT ? Action.EXPORT_AUDIT_LOG : Action.EXPORT_DATA;
        Subject subject = subjectOf(request.filter()).and(dataset.fileName() + "; " + request.filter().describe());
        return guard.readStreamed(actor, action, subject, (handle, access) -> {
            DatasetQueries queries = DatasetQueries.open(handle, access.organizationId());
            queries.requireKnown(request.filter());
            Sent sent = Sent.to(target, dataset.fileName(), CSV);
            long rows = 0;
            boolean complete = false;
            try {
                if (request.byteOrderMark()) {
                    sent.writer().write('\uFEFF');
                }
                CsvWriter csv = csv(sent.writer());
                rows = queries.write(dataset, request.filter(), csv);
                csv.flush();
                sent.writer().flush();
                complete = true;
            } catch (DatasetQueries.ClientGone gone) {
                rows = gone.rows();
            } catch (IOException | UncheckedIOException e) {
                LOG.debug("an export's client went away", e);
            }
            return finished(new ExportReceipt(dataset.fileName(), rows, sent.bytes().count(),
                    sent.bytes().sha256(), complete), subject, actor);
        });
    }

    @Override
    public ExportReceipt accessPackage(Actor actor, UUID person, ExportTarget target) {
        Objects.requireNonNull(person, "person");
        Objects.requireNonNull(target, "target");
        Subject subject = Subject.person(person).and("access package");
        return guard.readStreamed(actor, Action.EXPORT_ACCESS_PACKAGE, subject,
                (handle, access) -> pack(handle, access, person, subject, target));
    }

    @Override
    public ExportReceipt ownAccessPackage(Actor actor, ExportTarget target) {
        Objects.requireNonNull(target, "target");
        return guard.readStreamed(actor, Action.EXPORT_OWN_ACCESS_PACKAGE, Subject.of("own access package"),
                (handle, access) -> {
                    // the account's own person, read by the guard in this transaction: never one a request names
                    UUID person = access.requireOwnPerson();
                    return pack(handle, access, person, Subject.person(person).and("own access package"), target);
                });
    }

    /** Streams {@code person}'s package in the use case's transaction; see {@link #accessPackage}. */
    private Guard.Streamed<ExportReceipt> pack(Handle handle, Access access, UUID person, Subject subject,
            ExportTarget target) {
        Actor actor = access.actor();
        DatasetQueries queries = DatasetQueries.open(handle, access.organizationId());
        ExportFilter filter = ExportFilter.ofPerson(person);
        queries.requireKnown(filter);
        ProcessingNotice notice = notice(handle, access.organizationId(), queries.zone(), person);
        String fileName = "access-package-" + person + ".zip";
        Sent sent = Sent.to(target, fileName, ZIP);
        List<String[]> manifest = new ArrayList<>();
        long rows = 0;
        boolean complete = false;
        try {
            ZipOutputStream zip = new ZipOutputStream(sent.bytes(), StandardCharsets.UTF_8);
            Instant madeAt = clock.instant();
            manifest.add(entry(zip, "README.txt", madeAt, writer -> {
                writer.write(notice.text());
                return 0;
            }));
            for (Dataset dataset : List.of(Dataset.PEOPLE, Dataset.GROUPS, Dataset.DEVICES, Dataset.SPANS,
                    Dataset.ROLLUPS)) {
                String name = dataset == Dataset.PEOPLE ? "person.csv" : dataset.fileName();
                manifest.add(entry(zip, name, madeAt, writer -> {
                    CsvWriter csv = csv(writer);
                    long written = queries.write(dataset, filter, csv);
                    csv.flush();
                    return written;
                }));
            }
            manifest.add(entry(zip, "accesses.csv", madeAt, writer -> {
                CsvWriter csv = csv(writer);
                long written = queries.accesses(person, csv);
                csv.flush();
                return written;
            }));
            rows = manifest.stream().mapToLong(line -> Long.parseLong(line[1])).sum();
            entry(zip, "manifest.csv", madeAt, writer -> {
                CsvWriter csv = csv(writer);
                csv.writeRecord("file", "rows", "bytes", "sha256");
                manifest.forEach(csv::writeRecord);
                csv.flush();
                return manifest.size();
            });
            zip.finish();
            sent.bytes().flush();
            complete = true;
        } catch (DatasetQueries.ClientGone gone) {
            rows += gone.rows();
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("an access package's client went away", e);
        }
        return finished(new ExportReceipt(fileName, rows, sent.bytes().count(), sent.bytes().sha256(),
                complete), subject.and((manifest.size() + (complete ? 1 : 0)) + " files"), actor);
    }

    /** The audit entry of an export: complete → SUCCESS, broken off → FAILED, both with what was sent. */
    private static Guard.Streamed<ExportReceipt> finished(ExportReceipt receipt, Subject subject, Actor actor) {
        String sent = receipt.rows() + " rows, " + receipt.bytes() + " bytes, sha256 " + receipt.sha256();
        if (!receipt.complete()) {
            LOG.info("{} broke off the download of {} after {} bytes", actor, receipt.fileName(), receipt.bytes());
            return new Guard.Streamed<>(receipt, subject.and("interrupted by the client after " + sent),
                    Outcome.FAILED);
        }
        return new Guard.Streamed<>(receipt, subject.and(sent), Outcome.SUCCESS);
    }

    /** The person or device a filter names becomes the entry's subject, so that their own package lists it. */
    private static Subject subjectOf(ExportFilter filter) {
        return new Subject(filter.person(), filter.device(), "");
    }

    /** RFC 4180: comma, double quotes where needed, CRLF. */
    private static CsvWriter csv(Writer writer) {
        return CsvWriter.builder().lineDelimiter(LineDelimiter.CRLF).build(writer);
    }

    /** One file of a package, and its manifest line: name, rows, bytes, SHA-256 (of the file, not compressed). */
    private static String[] entry(ZipOutputStream zip, String name, Instant madeAt, Content content)
            throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(madeAt.toEpochMilli());
        zip.putNextEntry(entry);
        DigestingOutputStream file = new DigestingOutputStream(zip);
        Writer writer = new OutputStreamWriter(file, StandardCharsets.UTF_8);
        long rows = content.write(writer);
        writer.flush();
        zip.closeEntry();
        return new String[] {name, Long.toString(rows), Long.toString(file.count()), file.sha256()};
    }

    @FunctionalInterface
    private interface Content {
        /** Writes the file; its data rows. */
        long write(Writer writer) throws IOException;
    }

    private ProcessingNotice notice(Handle handle, UUID organization, ZoneId zone, UUID person) {
        record Settings(String name, int spanDays, int rollupMonths, int auditDays) {
        }
        Settings settings = TenantSql.query(handle, organization, """
                        SELECT name, span_retention_days, rollup_retention_months, audit_retention_days
                        FROM organizations WHERE id = :organization""")
                .map((rs, ctx) -> new Settings(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4)))
                .one();
        Map<String, Integer> roles = new HashMap<>();
        List<String> owners = new ArrayList<>();
        TenantSql.query(handle, organization, """
                        SELECT role, email FROM accounts WHERE organization_id = :organization AND status = 'ACTIVE'
                        ORDER BY email""")
                .map((rs, ctx) -> {
                    String role = rs.getString(1);
                    roles.merge(role, 1, Integer::sum);
                    if (role.equals("OWNER")) {
                        owners.add(rs.getString(2));
                    }
                    return role;
                })
                .list();
        return new ProcessingNotice(settings.name(), zone, policies.current(handle, organization),
                settings.spanDays(), settings.rollupMonths(), settings.auditDays(), owners, roles, person,
                clock.instant());
    }

    /** The response's body, as bytes counted and hashed, and as UTF-8 text. */
    private record Sent(DigestingOutputStream bytes, Writer writer) {

        static Sent to(ExportTarget target, String fileName, String contentType) {
            OutputStream body;
            try {
                body = target.open(fileName, contentType);
            } catch (IOException e) {
                throw new UncheckedIOException("the response could not be opened", e);
            }
            DigestingOutputStream bytes = new DigestingOutputStream(body);
            return new Sent(bytes, new OutputStreamWriter(bytes, StandardCharsets.UTF_8));
        }
    }
}
