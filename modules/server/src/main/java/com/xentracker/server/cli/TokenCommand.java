package com.xentracker.server.cli;

import com.xentracker.server.Administration;
import com.xentracker.server.InvalidConfigurationException;
import com.xentracker.server.ServerConfig;
import com.xentracker.server.XentrackerServer;
import com.xentracker.server.access.Actor;
import com.xentracker.server.account.Account;
import com.xentracker.server.crypto.FilePermissions;
import com.xentracker.server.device.EnrollmentToken;
import com.xentracker.server.device.EnrollmentTokens;
import com.xentracker.server.device.IssuedEnrollmentToken;
import com.xentracker.server.organization.Organization;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code token issue|list|revoke}: enrollment tokens for an organization's devices, from the command line (the portal
 * has the same on its Enrollment page). Each is the same use case the portal calls, performed and audit-logged as the
 * host's operator. A token is printed once (or written to a file only its owner can read) and never logged; the server
 * keeps its SHA-256 only. Opens the server's data directory, so it runs while {@code serve} is stopped.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        subcommands = {TokenCommand.Issue.class, TokenCommand.ListAll.class, TokenCommand.Revoke.class},
        description = "Issues, lists and revokes enrollment tokens. Run it while the server is stopped.")
final class TokenCommand implements Runnable {

    /** The environment variable the agent command shown after issuing reads the token from. */
    static final String AGENT_TOKEN_VARIABLE = "XT_ENROLLMENT_TOKEN";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a subcommand is required: issue, list or revoke");
    }

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Issues an enrollment token and prints it once (or writes it to --output, mode 600).")
    static final class Issue implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ServerOptions server;

        @Option(names = "--organization", paramLabel = "ID",
                description = "The organization's id (see organization list); may be left out on a host that "
                        + "serves one organization.")
        UUID organization;

        @Option(names = "--name", required = true, paramLabel = "NAME",
                description = "What it is for, e.g. \"Berlin laptops\" (at most 100 characters).")
        String name;

        @Option(names = "--expires", paramLabel = "DURATION", defaultValue = "7d", converter = Lifetimes.class,
                description = "How long it can be used: 30d, 12h or ISO-8601 (PT12H); 1 s to 365 days. "
                        + "Default: ${DEFAULT-VALUE}.")
        Duration expires;

        @Option(names = "--max-devices", paramLabel = "N", defaultValue = "1",
                description = "How many devices may enroll with it (1 to 1000000). Default: ${DEFAULT-VALUE}.")
        int maxDevices;

        @Option(names = "--output", paramLabel = "FILE",
                description = "Writes the token to a new FILE (mode 600) instead of printing it.")
        Path output;

        @Override
        public Integer call() {
            if (output != null && Files.exists(output)) {
                // a token is not written over another file (which might hold something else, or another token)
                throw new InvalidConfigurationException("--output " + output + " exists already: remove it or"
                        + " choose another file");
            }
            ServerConfig config = server.config();
            PrintWriter out = spec.commandLine().getOut();
            try (XentrackerServer opened = server.open(config)) {
                Administration administration = opened.administration();
                Organization chosen = ServerOptions.organization(administration, Optional.ofNullable(organization));
                Actor operator = administration.operator(chosen.id());
                EnrollmentTokens tokens = opened.services().enrollmentTokens();
                IssuedEnrollmentToken issued = tokens.issue(operator, name, expires, maxDevices);
                out.println("Issued the enrollment token " + issued.id() + " (" + quoted(issued.name()) + ") of '"
                        + chosen.name() + "': up to " + issued.maxUses() + " device(s), until "
                        + issued.expiresAt().truncatedTo(ChronoUnit.SECONDS) + ".");
                String tokenFile;
                if (output != null) {
                    write(tokens, operator, issued);
                    out.println("Wrote the token to " + output.toAbsolutePath() + " (mode 600); it is not shown.");
                    tokenFile = output.toAbsolutePath().toString();
                } else {
                    out.println("The token, shown only now (the server keeps only its hash):");
                    out.println(issued.token());
                    tokenFile = "FILE";
                }
                out.println("On each device (as root or the agent's user), with the token in a file or in the"
                        + " environment, never on the command line:");
                out.println("  xentracker-agent enroll --server " + ServerOptions.serverUrl(config)
                        + " --server-ca " + opened.certificateAuthorityFile() + " --token-file " + tokenFile);
                out.println("  xentracker-agent enroll --server " + ServerOptions.serverUrl(config)
                        + " --server-ca " + opened.certificateAuthorityFile() + " --token-env "
                        + AGENT_TOKEN_VARIABLE);
                out.flush();
                return 0;
            }
        }

        /** Writes the token; a token that could not be written is revoked at once, as nobody can have it. */
        private void write(EnrollmentTokens tokens, Actor operator, IssuedEnrollmentToken issued) {
            try {
                Path absolute = output.toAbsolutePath();
                if (Files.exists(absolute)) {
                    throw new IOException("it exists already");
                }
                FilePermissions.writeOwnerOnly(absolute, issued.token() + "\n");
            } catch (IOException e) {
                tokens.revoke(operator, issued.id());
                throw new InvalidConfigurationException("cannot write the token to " + output + " (" + e.getMessage()
                        + "); the token was revoked, issue another one");
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists an organization's enrollment tokens (never the tokens themselves).")
    static final class ListAll implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ServerOptions server;

        @Option(names = "--organization", paramLabel = "ID",
                description = "The organization's id; may be left out on a host that serves one organization.")
        UUID organization;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (XentrackerServer opened = server.open(server.config())) {
                Administration administration = opened.administration();
                Organization chosen = ServerOptions.organization(administration, Optional.ofNullable(organization));
                Actor operator = administration.operator(chosen.id());
                List<EnrollmentToken> tokens = opened.services().enrollmentTokens().list(operator);
                if (tokens.isEmpty()) {
                    out.println("'" + chosen.name() + "' has no enrollment tokens yet: issue one with: token issue");
                    out.flush();
                    return 0;
                }
                Map<UUID, String> emails = opened.services().accounts().list(operator).stream()
                        .collect(Collectors.toMap(Account::id, Account::email, (a, b) -> a));
                Instant now = opened.services().clock().instant();
                String format = "%-36s  %-24s  %-20s  %-20s  %-15s  %-8s  %s%n";
                out.printf(format, "ID", "NAME", "CREATED", "EXPIRES", "DEVICES", "STATE", "ISSUED BY");
                for (EnrollmentToken token : tokens) {
                    out.printf(format, token.id(), token.name().isEmpty() ? "-" : token.name(),
                            token.createdAt().truncatedTo(ChronoUnit.SECONDS),
                            token.expiresAt().truncatedTo(ChronoUnit.SECONDS),
                            token.uses() + "/" + token.maxUses(), state(token.state(now)),
                            token.issuedBy().map(id -> Optional.ofNullable(emails.get(id)).orElse("account " + id))
                                    .orElse("operator"));
                }
                out.flush();
                return 0;
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revokes an enrollment token: no device can enroll with it any more; enrolled devices stay.")
    static final class Revoke implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ServerOptions server;

        @Option(names = "--organization", paramLabel = "ID",
                description = "The token's organization; may be left out on a host that serves one organization.")
        UUID organization;

        @Parameters(index = "0", paramLabel = "TOKEN-ID", description = "The token's id (see token list).")
        UUID token;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (XentrackerServer opened = server.open(server.config())) {
                Administration administration = opened.administration();
                Organization chosen = ServerOptions.organization(administration, Optional.ofNullable(organization));
                opened.services().enrollmentTokens().revoke(administration.operator(chosen.id()), token);
                out.println("Revoked the enrollment token " + token + " of '" + chosen.name()
                        + "': no device can enroll with it any more.");
                out.flush();
                return 0;
            }
        }
    }

    /** The state as {@code token list} prints it. */
    static String state(EnrollmentToken.State state) {
        return state.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static String quoted(String name) {
        return name.isEmpty() ? "no name" : "'" + name + "'";
    }
}
