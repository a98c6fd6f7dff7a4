package com.xentracker.server.cli;

import com.xentracker.server.Administration;
import com.xentracker.server.ServerConfig;
import com.xentracker.server.XentrackerServer;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.organization.OrganizationServices;
import com.xentracker.server.organization.OrganizationSummary;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code organization create|list}: the host operator's organizations, for a host that serves several (an MSP, a SaaS
 * operator). Each has its own encryption keys, owner, accounts, devices and settings; the portal shows an account its
 * own organization only. Opens the server's data directory, so it runs while {@code serve} is stopped.
 */
@Command(name = "organization", mixinStandardHelpOptions = true,
        subcommands = {OrganizationCommand.Create.class, OrganizationCommand.ListAll.class},
        description = "Creates and lists the organizations this host serves. Run it while the server is stopped.")
final class OrganizationCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: create or list");
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates an organization with its own encryption keys and its first owner. The owner's "
                    + "password comes from " + OwnerPassword.VARIABLE + ", or a generated one is printed once.")
    static final class Create implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ServerOptions server;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "1 to 200 characters.")
        String name;

        @Option(names = "--time-zone", required = true, paramLabel = "ZONE",
                description = "The IANA zone in which its reports count days, e.g. Europe/Berlin.")
        String timeZone;

        @Option(names = "--owner-email", required = true, paramLabel = "EMAIL",
                description = "The first owner's e-mail address (sign-in name); unique on this host.")
        String ownerEmail;

        @Override
        public Integer call() {
            ZoneId zone = OrganizationServices.zone(timeZone); // refused before the server starts
            OwnerPassword password = OwnerPassword.fromEnvironment();
            ServerConfig config = server.config();
            PrintWriter out = spec.commandLine().getOut();
            try (XentrackerServer opened = server.open(config)) {
                Organization organization = opened.administration().createOrganization(name, zone, ownerEmail,
                        password.value());
                out.println("Created the organization '" + organization.name() + "' (" + organization.id()
                        + ", time zone " + organization.timeZone().getId() + ") with its own encryption keys"
                        + " and its owner.");
                password.tell(out, ownerEmail.strip());
                out.println("Issue enrollment tokens for its devices in the portal (Enrollment) or with: token issue"
                        + " --organization " + organization.id() + " --name NAME");
                out.flush();
                return 0;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the organizations: id, name, time zone, created, devices and accounts.")
    static final class ListAll implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ServerOptions server;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (XentrackerServer opened = server.open(server.config())) {
                Administration administration = opened.administration();
                List<OrganizationSummary> summaries = administration.organizationSummaries();
                if (summaries.isEmpty()) {
                    out.println("No organizations yet: run serve once, or create one with: organization create");
                    out.flush();
                    return 0;
                }
                String format = "%-36s  %-30s  %-20s  %-20s  %7s  %7s  %8s%n";
                out.printf(format, "ID", "NAME", "TIME ZONE", "CREATED", "DEVICES", "REVOKED", "ACCOUNTS");
                for (OrganizationSummary summary : summaries) {
                    Organization organization = summary.organization();
                    out.printf(format, organization.id(), organization.name(), organization.timeZone().getId(),
                            organization.createdAt().truncatedTo(ChronoUnit.SECONDS), summary.devices(),
                            summary.revokedDevices(), summary.accounts());
                }
                out.flush();
                return 0;
            }
        }
    }
}
