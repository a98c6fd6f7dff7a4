package com.xentracker.collector.cli;

import com.xentracker.collector.Agent;
import com.xentracker.collector.AgentConfig;
import com.xentracker.collector.DataDirectory;
import com.xentracker.collector.InvalidConfigException;
import com.xentracker.collector.Reenrollment;
import com.xentracker.collector.enrollment.EnrolledDevice;
import com.xentracker.collector.enrollment.Enrollment;
import com.xentracker.collector.enrollment.EnrollmentSettings;
import com.xentracker.transport.TransportException;
import com.xentracker.transport.pki.Pem;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "enroll", description = {"Enroll this device with the organization's server (once).",
        "With --replace: enroll it again as a new device, with a new key and a new token (after the organization"
                + " revoked or deleted it, or its enrollment is damaged). The old identity is kept aside in"
                + " device.replaced-<time>/; what was recorded and not yet acknowledged is sent under the new one."
                + " The agent must not be running."})
final class EnrollCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions options;

    @Option(names = "--server", paramLabel = "URL",
            description = "The server's base URL, https://… (with --replace: by default the current enrollment's).")
    private String server;

    @Option(names = "--server-ca", paramLabel = "PEMFILE",
            description = "The organization's CA certificate (PEM); the server's TLS certificate must chain to it"
                    + " (with --replace: by default the current enrollment's).")
    private Path serverCa;

    @Option(names = "--replace", description = "Replace this device's enrollment with a new one (see above).")
    private boolean replace;

    /** Required, except to finish an interrupted {@code --replace}, which needs no new token. */
    @ArgGroup(exclusive = true, multiplicity = "0..1")
    private TokenSource token;

    /** The token comes from a file or an environment variable, never from the command line (visible in ps). */
    static final class TokenSource {
        @Option(names = "--token-file", paramLabel = "FILE", description = "File holding the enrollment token.")
        Path file;

        @Option(names = "--token-env", paramLabel = "VAR", description = "Environment variable holding the token.")
        String variable;

        String read() {
            if (file != null) {
                try {
                    return Files.readString(file, StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    throw new InvalidConfigException("cannot read the token file " + file + ": " + e.getMessage(), e);
                }
            }
            String value = System.getenv(variable);
            if (value == null || value.isBlank()) {
                throw new InvalidConfigException("the environment variable " + variable + " is not set or empty");
            }
            return value.strip();
        }
    }

    @Override
    public Integer call() {
        AgentConfig config = options.config();
        // the options, else what the configuration names (the system file an installer wrote)
        Optional<URI> uri = Optional.ofNullable(server).map(EnrollCommand::serverUri)
                .or(() -> config.enrollment().serverUrl());
        Optional<X509Certificate> ca = Optional.ofNullable(serverCa).map(EnrollCommand::certificate)
                .or(() -> config.enrollment().serverCa().map(source -> config.enrollment().readServerCa()));
        Optional<String> configuredToken = config.enrollment().token().map(source -> "configured");
        String run = options.agentCommand() + " run"
                + options.repeatedOptions();
        PrintWriter out = spec.commandLine().getOut();
        if (replace) {
            // a replacement needs a new token: never the configured one, which enrolled this device already
            Reenrollment done = Agent.reenroll(config, uri, ca, Optional.ofNullable(token).map(TokenSource::read),
                    Clock.systemDefaultZone());
            EnrolledDevice device = done.device();
            if (done.tokenUsed()) {
                out.printf("Enrolled again as device %s of %s.%n", device.deviceId(), device.organizationName());
            } else {
                out.printf("Finished an interrupted re-enrollment: this device is now device %s of %s. The token was"
                        + " not used.%n", device.deviceId(), device.organizationName());
            }
            done.previousIdentity().ifPresent(previous -> out.printf("The previous identity and its key are kept in"
                    + " %s.%n", previous));
            out.printf("%d recorded span(s) waiting for upload will be sent under the new identity.%nStart the agent"
                    + " again to record and upload: %s%n", done.waitingSpans(), run);
            return ExitCodes.OK;
        }
        DataDirectory.requireOwnPrivate(config.dataDir());
        String oneTimeToken = token != null ? token.read() : configuredToken.map(configured ->
                config.enrollment().readToken()).orElseThrow(() -> new InvalidConfigException("an enrollment token"
                        + " is required: --token-file FILE or --token-env VAR"));
        EnrolledDevice device = Enrollment.enroll(config.dataDir(),
                uri.orElseThrow(() -> new InvalidConfigException("--server is required")),
                ca.orElseThrow(() -> new InvalidConfigException("--server-ca is required")), oneTimeToken);
        out.printf("Enrolled as device %s of %s.%nStart recording with: %s%n", device.deviceId(),
                device.organizationName(), run);
        return ExitCodes.OK;
    }

    private static URI serverUri(String server) {
        try {
            return EnrollmentSettings.serverUri(server);
        } catch (InvalidConfigException e) {
            throw new InvalidConfigException(e.getMessage().replace(EnrollmentSettings.SERVER_URL, "--server"), e);
        }
    }

    private static X509Certificate certificate(Path serverCa) {
        try {
            return Pem.certificate(Files.readString(serverCa, StandardCharsets.US_ASCII));
        } catch (IOException | TransportException e) {
            throw new InvalidConfigException("--server-ca " + serverCa + " is not a readable PEM certificate: "
                    + e.getMessage(), e);
        }
    }
}
