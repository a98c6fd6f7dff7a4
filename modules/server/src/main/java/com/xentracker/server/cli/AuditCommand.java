package com.xentracker.server.cli;

import com.xentracker.server.Administration;
import com.xentracker.server.ServerConfig;
import com.xentracker.server.XentrackerServer;
import com.xentracker.server.XentrackerServerException;
import com.xentracker.server.audit.ChainBreak;
import com.xentracker.server.audit.ChainVerification;
import com.xentracker.server.organization.Organization;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code audit}: the operator's side of the audit log. */
@Command(name = "audit", mixinStandardHelpOptions = true, subcommands = AuditCommand.Verify.class,
        description = "The organizations' audit logs.")
final class AuditCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required, e.g. verify");
    }

    /**
     * {@code audit verify}: verifies each organization's audit chain with the server's key and says where it breaks.
     * Opens the server's own database like {@code policy}, so with the embedded database it runs while {@code serve}
     * is stopped; each verification is audit-logged as the operator's.
     */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verifies the audit chain of every organization (or of one) and prints where it breaks."
                    + " Run it while the server is stopped, or against the shared external database.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:every chain verified intact", "1:a chain has a break", "2:invalid options",
                    "3:the verification could not run (see the message)"})
    static final class Verify implements Callable<Integer> {

        static final int INTACT = 0;
        static final int BROKEN = 1;
        static final int NOT_VERIFIED = 3;

        @Spec
        CommandSpec spec;

        @Option(names = "--config", paramLabel = "FILE", description = "A properties file with configuration keys.")
        Path configFile;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "Default: ~/.xentracker/server")
        String dataDirectory;

        @Option(names = "--organization", paramLabel = "ID", description = "Only this organization (its id).")
        UUID organization;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Map<String, String> overrides = new LinkedHashMap<>();
            if (dataDirectory != null) {
                overrides.put(ServerConfig.DATA_DIR, dataDirectory);
            }
            // the database and the use cases only (no HTTPS, TLS keys or jobs)
            try (XentrackerServer.Offline server = XentrackerServer.offline(
                    ServerConfig.load(Optional.ofNullable(configFile), System.getenv(), overrides),
                    Clock.systemUTC())) {
                Administration administration = server.administration();
                List<Organization> organizations = organization == null ? administration.organizations()
                        : List.of(administration.organization(organization).orElseThrow(() ->
                                new CommandLine.ParameterException(spec.commandLine(),
                                        "there is no organization " + organization)));
                boolean broken = false;
                for (Organization each : organizations) {
                    ChainVerification verification = server.services().audit().verify(
                            administration.operator(each.id()));
                    print(out, each, verification);
                    broken |= !verification.intact();
                }
                if (organizations.isEmpty()) {
                    out.println("There are no organizations yet.");
                }
                out.flush();
                return broken ? BROKEN : INTACT;
            } catch (XentrackerServerException e) {
                // a tampered chain is 1; not being able to look at all must not read as either answer
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return NOT_VERIFIED;
            }
        }

        private static void print(PrintWriter out, Organization organization, ChainVerification verification) {
            String range = verification.firstSequence().isEmpty() ? "no entries"
                    : verification.entries() + " entries (" + verification.firstSequence().get() + " to "
                            + verification.lastSequence().orElseThrow() + ")";
            out.println(organization.name() + " (" + organization.id() + "): "
                    + (verification.intact() ? "intact: " + range
                    : verification.breakCount() + " break(s) in " + range));
            for (ChainBreak found : verification.breaks()) {
                out.println("  at " + found.sequence() + ": " + found.kind()
                        + found.entry().map(id -> " (entry " + id + ")").orElse("") + ": " + found.detail());
            }
            if (verification.breakCount() > verification.breaks().size()) {
                out.println("  ... and " + (verification.breakCount() - verification.breaks().size()) + " more");
            }
            // what to note down elsewhere: a later head behind this one means the chain was rolled back
            out.println("  head: " + verification.headSequence() + " " + verification.headHash());
        }
    }
}
