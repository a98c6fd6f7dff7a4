package com.xentracker.server.cli;

import com.xentracker.server.Administration;
import com.xentracker.server.InvalidConfigurationException;
import com.xentracker.server.NoSuchOrganizationException;
import com.xentracker.server.ServerConfig;
import com.xentracker.server.XentrackerServer;
import com.xentracker.server.organization.Organization;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import picocli.CommandLine.Option;

/**
 * The options of the commands that open the server's own data directory while {@code serve} is stopped
 * ({@code organization}, {@code token}): where the data is, and which organization is meant.
 */
final class ServerOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "A properties file with configuration keys.")
    Path configFile;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Default: ~/.xentracker/server")
    String dataDirectory;

    /** The configuration as {@code serve} would use it (its port and host names go into the agent command shown). */
    ServerConfig config() {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (dataDirectory != null) {
            overrides.put(ServerConfig.DATA_DIR, dataDirectory);
        }
        return ServerConfig.load(Optional.ofNullable(configFile), System.getenv(), overrides);
    }

    /**
     * Starts the server on the data directory, on a free port: never the configured one, where {@code serve} may be
     * starting. A running {@code serve} holds the data directory, and this fails with a clear message.
     */
    XentrackerServer open(ServerConfig config) {
        return XentrackerServer.start(config.withHttpsPort(0), Clock.systemUTC());
    }

    /**
     * The organization {@code --organization} names, or the only one when it was not given and the host serves
     * exactly one.
     */
    static Organization organization(Administration administration, Optional<UUID> given) {
        if (given.isPresent()) {
            return administration.organization(given.get())
                    .orElseThrow(() -> new NoSuchOrganizationException(given.get()));
        }
        List<Organization> organizations = administration.organizations();
        if (organizations.isEmpty()) {
            throw new InvalidConfigurationException("there is no organization yet: run serve once first, or create one"
                    + " with: organization create");
        }
        if (organizations.size() > 1) {
            throw new InvalidConfigurationException("this host serves " + organizations.size()
                    + " organizations: choose one with --organization ID (see: organization list)");
        }
        return organizations.get(0);
    }

    /**
     * Where agents reach the server as {@code serve} is configured: the first public host name, else the bind
     * address (127.0.0.1 for a wildcard), with the configured port.
     */
    static String serverUrl(ServerConfig config) {
        String host = config.publicHostnames().stream().findFirst().orElse(config.bindAddress());
        if (host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        }
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "https://" + host + ":" + config.httpsPort();
    }
}
