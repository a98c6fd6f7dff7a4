package com.xentracker.collector.cli;

import com.xentracker.collector.AgentVersion;
import com.xentracker.collector.ConfigLayers;
import com.xentracker.collector.ProbeUnavailableException;
import com.xentracker.transport.ServerRejectedRequestException;
import com.xentracker.transport.ServerUnreachableException;
import com.xentracker.transport.wire.ErrorCode;
import java.io.PrintWriter;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParseResult;

/**
 * The agent's command line: {@code enroll} (also {@code --replace}), {@code run}, {@code status}, {@code show},
 * {@code pause}, {@code resume}, {@code rotate-key}, {@code version}; each answers {@code --help}.
 * Exit codes: see {@link ExitCodes} and README.md.
 */
// scope INHERIT: every subcommand answers --help (and --version) too
@Command(name = "xentracker-agent", mixinStandardHelpOptions = true, versionProvider = AgentMain.Version.class,
        scope = CommandLine.ScopeType.INHERIT,
        description = "Xentracker desktop agent: records which application is in the foreground, and idle time.",
        subcommands = {EnrollCommand.class, RunCommand.class, StatusCommand.class, VersionCommand.class,
                ShowCommand.class, PauseCommand.class, ResumeCommand.class, RotateKeyCommand.class,
                HelpCommand.class})
public final class AgentMain implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(AgentMain.class);

    /** The name the installed launcher has (and the package links into the PATH). */
    static final String INSTALLED_COMMAND = "xentracker-agent";
    private static final String MAIN = "com.xentracker.collector/com.xentracker.collector.cli.AgentMain";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    private final ConfigLayers layers;
    private final String command;

    private AgentMain(ConfigLayers layers, String command) {
        this.layers = layers;
        this.command = command;
    }

    public static void main(String[] args) {
        // before anything asks the JCA for an algorithm (see SecurityProviders)
        SecurityProviders.addEllipticCurvesIfLeftOut();
        // after Ctrl-C, run returns while the shutdown hook runs; exit then simply waits for the hook to finish
        System.exit(execute(args));
    }

    /** Runs one command with this machine's configuration layers and returns its exit code, without exiting. */
    public static int execute(String... args) {
        return execute(ConfigLayers.thisMachine(), launchedAs(), new PrintWriter(System.out, true),
                new PrintWriter(System.err, true), args);
    }

    /** In-process, for tests: no configuration files, no environment; messages name the installed command. */
    static int execute(PrintWriter out, PrintWriter err, String... args) {
        return execute(ConfigLayers.none(), INSTALLED_COMMAND, out, err, args);
    }

    static int execute(ConfigLayers layers, String command, PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new AgentMain(layers, command));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler(AgentMain::failed);
        commandLine.setExitCodeExceptionMapper(ExitCodes::of);
        return commandLine.execute(args);
    }

    /** Where the settings of this command line come from. */
    ConfigLayers layers() {
        return layers;
    }

    /**
     * How a person starts the agent here, for the commands that messages suggest: {@code xentracker-agent} where the
     * installed launcher runs (or the package put it on the PATH), else the {@code java} command this process was
     * started with (a build run with {@code java -p …}, where no {@code xentracker-agent} exists).
     */
    String command() {
        return command;
    }

    private static String launchedAs() {
        if (System.getProperty("jpackage.app-path") != null) {
            return INSTALLED_COMMAND;
        }
        String modulePath = System.getProperty("jdk.module.path");
        return modulePath == null ? INSTALLED_COMMAND : "java -p " + modulePath + " -m " + MAIN;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing command: enroll, run, status, show, pause, resume, rotate-key or version (--help lists them)");
    }

    private static int failed(Exception failure, CommandLine commandLine, ParseResult parseResult) {
        // one clear line for the person at the terminal; the stack trace only in the debug log
        commandLine.getErr().println("error: " + explain(failure));
        LOG.debug("command failed", failure);
        return ExitCodes.of(failure);
    }

    private static String explain(Exception failure) {
        if (failure instanceof ProbeUnavailableException probe) {
            return "cannot observe this desktop session: " + probe.getMessage();
        }
        if (failure instanceof ServerUnreachableException) {
            return "cannot reach the server: " + failure.getMessage()
                    + " (check the URL, the network, and that --server-ca is the organization's CA)";
        }
        if (failure instanceof ServerRejectedRequestException rejected) {
            return "the server refused: " + rejected.getMessage()
                    + rejected.errorCode().flatMap(AgentMain::advice).map(advice -> " (" + advice + ")").orElse("");
        }
        return failure.getMessage() != null ? failure.getMessage() : failure.toString();
    }

    /** What the person at the terminal can do about a refusal, where there is something to say. */
    private static Optional<String> advice(ErrorCode code) {
        return switch (code) {
            case ENROLLMENT_TOKEN_UNKNOWN -> Optional.of("check that the token file holds the whole token; otherwise"
                    + " ask your administrator for a new one");
            case ENROLLMENT_TOKEN_EXPIRED, ENROLLMENT_TOKEN_REVOKED, ENROLLMENT_TOKEN_EXHAUSTED ->
                    Optional.of("this token can enroll no more devices: ask your administrator for a new one");
            case DEVICE_REVOKED, DEVICE_UNKNOWN -> Optional.of("the server no longer accepts this device: enroll it"
                    + " again as a new device with `enroll --replace` and a new token");
            case TOO_MANY_ATTEMPTS, SERVER_BUSY, STORAGE_UNAVAILABLE -> Optional.of("try again in a few minutes");
            default -> Optional.empty();
        };
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"xentracker-agent " + AgentVersion.current()};
        }
    }
}
