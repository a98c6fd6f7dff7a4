package com.xentracker.server.cli;

import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.server.InvalidConfigurationException;
import com.xentracker.server.ServerConfig;
import com.xentracker.server.XentrackerServer;
import com.xentracker.server.Administration;
import com.xentracker.server.access.Actor;
import com.xentracker.server.organization.Organizations;
import com.xentracker.server.organization.Organization;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code policy}: shows or changes the collection policy of the installation's organization, until the portal has a
 * page for it. It opens the server's own database, so it runs while {@code serve} is stopped; agents learn a changed
 * policy with their next upload receipt (or at enrollment). Every change is audited like any other
 * change through the portal (as the operator).
 */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Shows or changes the organization's collection policy. Run it while the server is stopped.")
final class PolicyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "A properties file with configuration keys.")
    Path configFile;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Default: ~/.xentracker/server")
    String dataDirectory;

    @Option(names = "--collect-full-urls", paramLabel = "true|false", arity = "1",
            description = "Browser extension: full URLs (without query or fragment) instead of domains only.")
    Boolean collectFullUrls;

    @Option(names = "--collect-window-titles", paramLabel = "true|false", arity = "1",
            description = "Window titles (after the redaction rules).")
    Boolean collectWindowTitles;

    @Option(names = "--audible-keeps-active", paramLabel = "true|false", arity = "1",
            description = "A browser tab playing sound keeps the person active instead of idle.")
    Boolean audibleKeepsActive;

    @Option(names = "--private-time-allowed", paramLabel = "true|false", arity = "1",
            description = "Whether employees may pause collection.")
    Boolean privateTimeAllowed;

    @Option(names = "--idle-threshold", paramLabel = "DURATION", description = "ISO-8601, e.g. PT5M (30 s to 1 h).")
    String idleThreshold;

    @Option(names = "--excluded-applications", paramLabel = "NAMES", split = ",",
            description = "Comma-separated application names recorded only as excluded time; \"\" clears the list.")
    List<String> excludedApplications;

    @Option(names = "--excluded-domains", paramLabel = "DOMAINS", split = ",",
            description = "Comma-separated web sites (with their subdomains) recorded only as excluded time, e.g."
                    + " bank.example; \"\" clears the list.")
    List<String> excludedDomains;

    @Override
    public Integer call() {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (dataDirectory != null) {
            overrides.put(ServerConfig.DATA_DIR, dataDirectory);
        }
        ServerConfig config = ServerConfig.load(Optional.ofNullable(configFile), System.getenv(), overrides);
        PrintWriter out = spec.commandLine().getOut();
        // the database and the use cases only: showing the policy must not start HTTPS, TLS keys or jobs
        try (XentrackerServer.Offline server = XentrackerServer.offline(config, Clock.systemUTC())) {
            Administration administration = server.administration();
            Organization organization = administration.firstOrganization().orElseThrow(() ->
                    new InvalidConfigurationException("there is no organization yet: run serve once first"));
            Organizations organizations = server.services().organizations();
            Actor operator = administration.operator(organization.id());
            CollectionPolicy current = organizations.policy(operator);
            if (collectFullUrls == null && collectWindowTitles == null && audibleKeepsActive == null
                    && privateTimeAllowed == null && idleThreshold == null && excludedApplications == null
                    && excludedDomains == null) {
                print(out, organization, current);
                return 0;
            }
            CollectionPolicy changed = organizations.updatePolicy(operator, changed(current));
            print(out, organization, changed);
            return 0;
        }
    }

    private CollectionPolicy changed(CollectionPolicy current) {
        try {
            return new CollectionPolicy(
                    current.version(), or(collectWindowTitles, current.collectWindowTitles()),
                    current.titleRedactions(), list(excludedApplications, current.excludedApplications()),
                    current.workingHours(),
                    or(privateTimeAllowed, current.privateTimeAllowed()),
                    idleThreshold == null ? current.idleThreshold() : duration(idleThreshold),
                    or(audibleKeepsActive, current.audibleKeepsActive()), or(collectFullUrls, current.collectFullUrls()),
                    list(excludedDomains, current.excludedDomains()));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException("the policy cannot be changed so: " + e.getMessage());
        }
    }

    private static void print(PrintWriter out, Organization organization, CollectionPolicy policy) {
        out.println("Organization '" + organization.name() + "': collection policy version " + policy.version());
        out.println("  collect-window-titles: " + policy.collectWindowTitles() + " (" + policy.titleRedactions().size()
                + " redaction rule(s))");
        out.println("  collect-full-urls:     " + policy.collectFullUrls());
        out.println("  audible-keeps-active:  " + policy.audibleKeepsActive());
        out.println("  private-time-allowed:  " + policy.privateTimeAllowed());
        out.println("  idle-threshold:        " + policy.idleThreshold());
        out.println("  excluded-applications: " + String.join(",", new TreeSet<>(policy.excludedApplications())));
        out.println("  excluded-domains:      " + String.join(",", new TreeSet<>(policy.excludedDomains())));
        out.println("  working hours:         " + (policy.workingHours().isPresent() ? "set" : "none"));
        out.flush();
    }

    /** The option's list without blanks (so that "" clears it), or the current one when the option is absent. */
    private static Set<String> list(List<String> option, Set<String> current) {
        if (option == null) {
            return current;
        }
        Set<String> values = new TreeSet<>();
        option.stream().map(String::strip).filter(value -> !value.isEmpty()).forEach(values::add);
        return values;
    }

    private static boolean or(Boolean option, boolean current) {
        return option == null ? current : option;
    }

    private static Duration duration(String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeException e) {
            throw new InvalidConfigurationException("--idle-threshold must be an ISO-8601 duration such as PT5M", e);
        }
    }
}
