package com.xentracker.server.cli;

import com.xentracker.server.XentrackerServerException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The server's command line.
 *
 * <pre>
 * java -p &lt;module path&gt; -m com.xentracker.server/com.xentracker.server.cli.ServerMain serve [options]
 * </pre>
 */
@Command(name = "xentracker-server", mixinStandardHelpOptions = true, subcommands = {ServeCommand.class,
        PolicyCommand.class, AuditCommand.class, OrganizationCommand.class, TokenCommand.class, AccountCommand.class},
        description = "The Xentracker server: agent API, portal and database.")
public final class ServerMain implements Runnable {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line as {@link #main} runs it: expected failures print a message and exit with 1. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new ServerMain());
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof XentrackerServerException) {
                // expected failures (bad configuration, port taken, ...) get a message, not a stack trace
                cmd.getErr().println("error: " + e.getMessage()
                        + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
                return 1;
            }
            throw e;
        });
        return commandLine;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required, e.g. serve");
    }
}
