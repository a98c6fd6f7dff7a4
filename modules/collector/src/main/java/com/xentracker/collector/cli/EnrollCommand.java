package com.xentracker.collector.cli;

import com.xentracker.collector.AgentConfig;
import com.xentracker.collector.InvalidConfigException;
import com.xentracker.collector.enrollment.EnrolledDevice;
import com.xentracker.collector.enrollment.Enrollment;
import com.xentracker.transport.TransportException;
import com.xentracker.transport.pki.Pem;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "enroll", description = "Enroll this device with the organization's server (once).")
final class EnrollCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions options;

    @Option(names = "--server", required = true, paramLabel = "URL", description = "The server's base URL, https://…")
    private String server;

    @Option(names = "--server-ca", required = true, paramLabel = "PEMFILE",
            description = "The organization's CA certificate (PEM); the server's TLS certificate must chain to it.")
    private Path serverCa;

    @ArgGroup(exclusive = true, multiplicity = "1")
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
        URI uri = serverUri();
        X509Certificate ca = certificate();
        EnrolledDevice device = Enrollment.enroll(config.dataDir(), uri, ca, token.read());
        spec.commandLine().getOut().printf("Enrolled as device %s of %s.%nStart recording with: xentracker-agent run%s%n",
                device.deviceId(), device.organizationName(),
                config.dataDir().equals(AgentConfig.defaults().dataDir()) ? "" : " --data-dir " + config.dataDir());
        return ExitCodes.OK;
    }

    private URI serverUri() {
        try {
            URI uri = new URI(server.strip());
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                throw new InvalidConfigException("--server must be an https:// URL, got " + server);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new InvalidConfigException("--server is not a valid URL: " + server, e);
        }
    }

    private X509Certificate certificate() {
        try {
            return Pem.certificate(Files.readString(serverCa, StandardCharsets.US_ASCII));
        } catch (IOException | TransportException e) {
            throw new InvalidConfigException("--server-ca " + serverCa + " is not a readable PEM certificate: "
                    + e.getMessage(), e);
        }
    }
}
