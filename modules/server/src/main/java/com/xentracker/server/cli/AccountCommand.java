package com.xentracker.server.cli;

import com.xentracker.server.Administration;
import com.xentracker.server.InvalidConfigurationException;
import com.xentracker.server.ServerConfig;
import com.xentracker.server.XentrackerServer;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.account.IssuedLink;
import com.xentracker.server.organization.Organization;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code account}: the organization's portal accounts from the host, as the operator (audited as the operator, with
 * the same checks as the portal's). For a first invitation before any owner has signed in, or when the owners cannot
 * sign in any more. Opens the server's own database, so it runs while {@code serve} is stopped.
 */
@Command(name = "account", mixinStandardHelpOptions = true,
        subcommands = {AccountCommand.Invite.class, AccountCommand.ListAccounts.class},
        description = "Invites and lists the organization's portal accounts. Run it while the server is stopped.")
final class AccountCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required: invite or list");
    }

    /** The options every account command takes: where the server's data is, and which organization. */
    static final class Target {

        @Option(names = "--config", paramLabel = "FILE", description = "A properties file with configuration keys.")
        Path configFile;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "Default: ~/.xentracker/server")
        String dataDirectory;

        @Option(names = "--organization", paramLabel = "ID",
                description = "The organization's id. Default: the installation's first (usually only) one.")
        UUID organization;

        /** The configuration {@code serve} runs with (its port is where links point). */
        ServerConfig configured() {
            Map<String, String> overrides = new LinkedHashMap<>();
            if (dataDirectory != null) {
                overrides.put(ServerConfig.DATA_DIR, dataDirectory);
            }
            return ServerConfig.load(Optional.ofNullable(configFile), System.getenv(), overrides);
        }

        /** Starts the server on a spare port (never the configured one: serve may be starting there). */
        static XentrackerServer start(ServerConfig configured) {
            return XentrackerServer.start(configured.withHttpsPort(0), Clock.systemUTC());
        }

        Organization organization(Administration administration) {
            if (organization != null) {
                return administration.organization(organization).orElseThrow(() ->
                        new InvalidConfigurationException("there is no organization " + organization));
            }
            return administration.firstOrganization().orElseThrow(() ->
                    new InvalidConfigurationException("there is no organization yet: run serve once first"));
        }
    }

    @Command(name = "invite", mixinStandardHelpOptions = true,
            description = "Creates an invited account and prints its one-time link (valid 7 days), with which the "
                    + "person sets a password. Hand the link over yourself: no e-mail is sent.")
    static final class Invite implements Callable<Integer> {

        @Mixin
        Target target;

        @Option(names = "--email", required = true, paramLabel = "ADDRESS", description = "The person's address.")
        String email;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "owner, admin, auditor or viewer.")
        String role;

        @Override
        public Integer call() {
            Role chosen = role(role);
            ServerConfig configured = target.configured();
            PrintStream out = System.out;
            try (XentrackerServer server = Target.start(configured)) {
                Administration administration = server.administration();
                Organization organization = target.organization(administration);
                Actor operator = administration.operator(organization.id());
                IssuedLink invitation = server.services().accounts().invite(operator, email, chosen);
                // the link as serve reaches it: this process listens on a spare port
                URI base = configured.httpsPort() == 0 ? server.baseUri()
                        : XentrackerServer.baseUri(configured, configured.httpsPort());
                out.println("Invited " + invitation.account().email() + " as "
                        + chosen.name().toLowerCase(Locale.ROOT) + " to '" + organization.name() + "' (account "
                        + invitation.account().id() + ").");
                out.println("One-time link, valid until " + invitation.link().expiresAt()
                        + " and shown only now:");
                out.println(invitation.link().at(base));
                out.println("Give it to the person; it sets their password once. A lost link is replaced by"
                        + " resetting the account's password in the portal.");
                out.flush();
                return 0;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the organization's accounts: id, e-mail address, role, status, two-factor, created.")
    static final class ListAccounts implements Callable<Integer> {

        @Mixin
        Target target;

        @Override
        public Integer call() {
            PrintStream out = System.out;
            try (XentrackerServer server = Target.start(target.configured())) {
                Administration administration = server.administration();
                Organization organization = target.organization(administration);
                List<Account> accounts = server.services().accounts().list(administration.operator(organization.id()));
                out.println("Organization '" + organization.name() + "' (" + organization.id() + "): "
                        + accounts.size() + " account(s)");
                for (Account account : accounts) {
                    out.printf(Locale.ROOT, "%s  %-40s  %-7s  %-8s  %-6s  %s%n", account.id(), account.email(),
                            account.role().name().toLowerCase(Locale.ROOT),
                            account.status().name().toLowerCase(Locale.ROOT),
                            account.twoFactor() ? "2fa" : "no 2fa", account.createdAt());
                }
                out.flush();
                return 0;
            }
        }
    }

    static Role role(String name) {
        try {
            return Role.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException("--role must be owner, admin, auditor or viewer");
        }
    }
}
