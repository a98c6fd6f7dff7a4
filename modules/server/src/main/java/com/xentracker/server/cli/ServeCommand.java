package com.xentracker.server.cli;

import com.xentracker.server.ServerConfig;
import com.xentracker.server.XentrackerServer;
import com.xentracker.server.Administration;
import com.xentracker.server.device.IssuedEnrollmentToken;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.crypto.FilePermissions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve}: runs the server until Ctrl-C or SIGTERM; sets up a local organization on first run. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Starts the server. On first run creates the organization 'Local organization' and its owner "
                + "owner@localhost.")
final class ServeCommand implements Callable<Integer> {

    static final String OWNER_EMAIL = "owner@localhost";

    @Option(names = "--config", paramLabel = "FILE", description = "A properties file with configuration keys.")
    Path configFile;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Default: ~/.xentracker/server")
    String dataDirectory;

    @Option(names = "--https-port", paramLabel = "PORT", description = "Default: 8443; 0 picks a free port.")
    String httpsPort;

    @Option(names = "--bind-address", paramLabel = "ADDRESS", description = "Default: 127.0.0.1")
    String bindAddress;

    @Option(names = "--public-hostnames", paramLabel = "NAMES", description = "Comma-separated; put in the TLS "
            + "certificate.")
    String publicHostnames;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any configuration key, e.g. --set pool-size=20")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--enrollment-token-file", paramLabel = "FILE",
            description = "Writes a fresh single-use enrollment token, valid for one hour, to FILE (mode 600) for "
                    + "the local agent (in the organization created first).")
    Path enrollmentTokenFile;

    @Override
    public Integer call() throws IOException, InterruptedException {
        ServerConfig config = ServerConfig.load(Optional.ofNullable(configFile), System.getenv(), overrides());
        LogLines.use(config.observability().logFormat());
        // checked before anything starts; used (and a generated one printed) on first run only
        OwnerPassword ownerPassword = OwnerPassword.fromEnvironment();
        XentrackerServer server = XentrackerServer.start(config, Clock.systemUTC());
        // Ctrl-C and SIGTERM: stop HTTPS, the pool and PostgreSQL in order before the JVM exits
        PrintStream out = System.out;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            out.println("Xentracker server stopped.");
            out.flush();
        }, "xentracker-shutdown"));

        Administration administration = server.administration();
        Optional<Organization> existing = administration.firstOrganization();
        Organization organization = existing.orElseGet(() -> setUp(administration, ownerPassword, out));
        if (enrollmentTokenFile != null) {
            IssuedEnrollmentToken token = server.services().enrollmentTokens().issue(
                    administration.operator(organization.id()), "local agent", Duration.ofHours(1), 1);
            FilePermissions.writeOwnerOnly(enrollmentTokenFile, token.token() + "\n");
            out.println("Wrote a single-use enrollment token, valid until " + token.expiresAt() + ", to "
                    + enrollmentTokenFile.toAbsolutePath());
        }
        out.println("Xentracker server is running at " + server.baseUri() + " (the portal is served there when its module is on the module path).");
        out.println("Agents pin the certificate authority in " + server.certificateAuthorityFile());
        if (existing.isPresent()) {
            out.println("Sign in with your account (the owner created on first run is " + OWNER_EMAIL + ").");
        }
        out.println("Press Ctrl-C to stop.");
        out.flush();
        new CountDownLatch(1).await();
        return 0;
    }

    private static Organization setUp(Administration administration, OwnerPassword ownerPassword,
            PrintStream out) {
        Organization organization = administration.createOrganization("Local organization", ZoneId.systemDefault(),
                OWNER_EMAIL, ownerPassword.value());
        out.println("First run: created the organization '" + organization.name() + "' and its owner.");
        ownerPassword.tell(out, OWNER_EMAIL);
        return organization;
    }

    private Map<String, String> overrides() {
        Map<String, String> overrides = new LinkedHashMap<>(settings);
        put(overrides, ServerConfig.DATA_DIR, dataDirectory);
        put(overrides, ServerConfig.HTTPS_PORT, httpsPort);
        put(overrides, ServerConfig.BIND_ADDRESS, bindAddress);
        put(overrides, ServerConfig.PUBLIC_HOSTNAMES, publicHostnames);
        return overrides;
    }

    private static void put(Map<String, String> overrides, String key, String value) {
        if (value != null) {
            overrides.put(key, value);
        }
    }
}
