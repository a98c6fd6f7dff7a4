package com.xentracker.server;

import com.xentracker.server.access.Actor;
import com.xentracker.server.apitoken.ApiTokenServices;
import com.xentracker.server.apitoken.ApiTokens;
import com.xentracker.server.export.ExportServices;
import com.xentracker.server.export.Exports;
import com.xentracker.server.access.Role;
import com.xentracker.server.access.Guard;
import com.xentracker.server.account.Account;
import com.xentracker.server.account.AccountLinks;
import com.xentracker.server.account.AccountServices;
import com.xentracker.server.account.OwnAccount;
import com.xentracker.server.account.Accounts;
import com.xentracker.server.account.Sessions;
import com.xentracker.server.account.SignIn;
import com.xentracker.server.audit.AuditChain;
import com.xentracker.server.audit.AuditServices;
import com.xentracker.server.audit.AuditTrail;
import com.xentracker.server.crypto.MasterKey;
import com.xentracker.server.crypto.PasswordHasher;
import com.xentracker.server.crypto.SecretTokens;
import com.xentracker.server.database.Database;
import com.xentracker.server.device.DeviceServices;
import com.xentracker.server.device.Devices;
import com.xentracker.server.device.EnrollmentTokens;
import com.xentracker.server.http.HttpApi;
import com.xentracker.server.ingest.BatchIngest;
import com.xentracker.server.maintenance.DashboardSummaries;
import com.xentracker.server.maintenance.Partitions;
import com.xentracker.server.maintenance.Retention;
import com.xentracker.server.maintenance.RollupRecompute;
import com.xentracker.server.maintenance.ScheduledJobs;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.organization.OrganizationKeys;
import com.xentracker.server.organization.OrganizationServices;
import com.xentracker.server.organization.OrganizationSummary;
import com.xentracker.server.organization.Organizations;
import com.xentracker.server.organization.Policies;
import com.xentracker.server.people.Groups;
import com.xentracker.server.people.People;
import com.xentracker.server.people.PeopleServices;
import com.xentracker.server.spi.ServerServices;
import com.xentracker.server.spi.WebModule;
import com.xentracker.server.tls.TlsMaterial;
import com.xentracker.server.usage.UsageQueries;
import com.xentracker.server.usage.UsageServices;
import com.xentracker.transport.wire.WireCodec;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.time.ZoneId;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Xentracker server: PostgreSQL (embedded or external) with its schema migrated, the agent API and the web
 * modules found on the module path, all over HTTPS with a private CA kept in {@code data-dir/tls}.
 *
 * <pre>{@code
 * try (XentrackerServer server = XentrackerServer.start(ServerConfig.forDataDirectory(dir), Clock.systemUTC())) {
 *     Organization org = server.administration().createOrganization("Acme", ZoneId.of("Europe/Berlin"));
 *     ...
 * }
 * }</pre>
 */
public final class XentrackerServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(XentrackerServer.class);

    private final ServerConfig config;
    private final TlsMaterial tls;
    private final Database database;
    private final Administration administration;
    private final ServerServices services;
    private final HttpApi http;
    /** What to close, last opened first. */
    private final Deque<AutoCloseable> resources;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ScheduledJobs jobs;
    /** How often each node looks for due jobs; each job's own period is longer. */
    private static final Duration JOB_TICK = Duration.ofSeconds(15);

    private XentrackerServer(ServerConfig config, TlsMaterial tls, Database database, Administration administration,
            ServerServices services, HttpApi http, Deque<AutoCloseable> resources, ScheduledJobs jobs) {
        this.jobs = jobs;
        this.config = config;
        this.tls = tls;
        this.database = database;
        this.administration = administration;
        this.services = services;
        this.http = http;
        this.resources = resources;
    }

    /**
     * Starts the server: master key, database and migrations, TLS material, then HTTPS with the web modules found by
     * {@link ServiceLoader}. Creates whatever is missing in the data directory.
     *
     * @throws ServerStartupException when any part cannot start; whatever did start is stopped again
     */
    public static XentrackerServer start(ServerConfig config, Clock clock) {
        List<WebModule> modules = ServiceLoader.load(WebModule.class).stream().map(ServiceLoader.Provider::get)
                .toList();
        return start(config, clock, modules);
    }

    /** Starts with the given web modules instead of those on the module path (tests). */
    static XentrackerServer start(ServerConfig config, Clock clock, List<WebModule> modules) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        long started = System.nanoTime();
        LOG.info("Starting the Xentracker server with {}", config.describe());
        Deque<AutoCloseable> resources = new ArrayDeque<>();
        try {
            Core core = Core.open(config, clock, resources);
            Database database = core.database();
            AuditChain audit = core.audit();
            // Partitions, retention and rollup re-categorisation, once across nodes (advisory locks); the first
            // round runs before HTTPS opens, so this month's partition exists before the first upload.
            ScheduledJobs jobs = ScheduledJobs.create(database.jdbi(), clock, List.of(
                    new ScheduledJobs.Job("partitions", Duration.ofHours(1), Partitions::ensure),
                    new ScheduledJobs.Job("retention", Duration.ofHours(1),
                            (handle, now) -> Retention.enforce(handle, now, audit)),
                    // audit entries a node of an older version wrote during a rolling upgrade get their place
                    new ScheduledJobs.Job("audit-link", Duration.ofMinutes(5),
                            (handle, now) -> audit.linkUnchained(handle)),
                    // a rewrite of the audit chain is then found within the hour it happened in
                    new ScheduledJobs.Job("audit-checkpoints", Duration.ofHours(1), audit::checkpointHeads),
                    // device by device, at most RollupRecompute.BUDGET a run, with progress for the portal
                    new ScheduledJobs.Job("rollup-recompute", Duration.ofSeconds(10),
                            (handle, now) -> RollupRecompute.run(handle, clock)),
                    // the dashboard's per-day summaries; days changed since are read from rollups meanwhile
                    new ScheduledJobs.Job("dashboard-summaries", Duration.ofSeconds(30), DashboardSummaries::run),
                    // expired sign-in challenges and forgiven sign-in throttle rows
                    new ScheduledJobs.Job("sign-in-sweep", Duration.ofHours(1), AccountServices::sweep)));
            jobs.runDue();
            jobs.start(JOB_TICK);
            resources.push(jobs);
            // TLS certificates are checked by browsers and agents against their real clocks, so they are issued
            // and renewed by the real one, never by the injected clock (tests start theirs at chosen instants,
            // past or future, which would make a certificate not yet or no longer valid).
            TlsMaterial tls = TlsMaterial.loadOrCreate(config.dataDirectory().resolve("tls"),
                    config.publicHostnames(), config.bindAddress(), Clock.systemUTC());

            LOG.info("Web modules: {}", modules.isEmpty() ? "none found"
                    : modules.stream().map(WebModule::name).toList());
            HttpApi http = HttpApi.start(config, tls.identity(), database, core.devices().enrollment(),
                    BatchIngest.create(database.jdbi(), core.keys(), core.codec(), core.policies(), clock, audit),
                    core.services(), modules, core.random());
            resources.push(http);
            XentrackerServer server = new XentrackerServer(config, tls, database, core.administration(),
                    core.services(), http, resources, jobs);
            core.linkBase().set(server.baseUri());
            LOG.info("Xentracker server listening on {} (started in {} ms); agents pin {}", server.baseUri(),
                    (System.nanoTime() - started) / 1_000_000, tls.certificateAuthorityFile());
            server.metricsUri().ifPresent(uri -> LOG.info("Prometheus metrics on {}", uri));
            return server;
        } catch (RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    /**
     * The server's use cases on its database, without serving: no HTTPS listener, no TLS material, no scheduled
     * jobs. For the host's command-line tools that read or change something (e.g. {@code policy}, {@code audit
     * verify}): they run in seconds and cannot collide with a {@code serve} starting on the configured port, and a
     * look at the policy neither creates TLS keys nor runs retention. The database is opened (and migrated) as
     * {@code serve} opens it; with the embedded PostgreSQL a running {@code serve} holds it, and this fails.
     *
     * @throws ServerStartupException when the data directory or the database cannot be opened
     */
    public static Offline offline(ServerConfig config, Clock clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        Deque<AutoCloseable> resources = new ArrayDeque<>();
        try {
            Core core = Core.open(config, clock, resources);
            return new Offline(core.administration(), core.services(), () -> closeAll(resources));
        } catch (RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    /** The use cases of a server that does not serve (see {@link #offline}); closing stops its database. */
    public static final class Offline implements AutoCloseable {

        private final Administration administration;
        private final ServerServices services;
        private final Runnable closer;

        private Offline(Administration administration, ServerServices services, Runnable closer) {
            this.administration = administration;
            this.services = services;
            this.closer = closer;
        }

        public Administration administration() {
            return administration;
        }

        public ServerServices services() {
            return services;
        }

        @Override
        public void close() {
            closer.run();
        }
    }

    /**
     * What serving and the command-line tools share: the master key, the database (migrated), the audit chain and
     * the use cases wired on them. {@code linkBase} is where one-time account links point, known once HTTPS listens.
     */
    private record Core(Database database, AuditChain audit, SecureRandom random, OrganizationKeys keys,
            WireCodec codec, Policies policies, DeviceServices devices, ServerServices services,
            Administration administration, AtomicReference<URI> linkBase) {

        static Core open(ServerConfig config, Clock clock, Deque<AutoCloseable> resources) {
            try {
                Files.createDirectories(config.dataDirectory());
            } catch (IOException e) {
                throw new ServerStartupException("the data directory " + config.dataDirectory()
                        + " cannot be created", e);
            }
            SecureRandom random = new SecureRandom();
            MasterKey masterKey = MasterKey.loadOrCreate(config.masterKeyFile(), random);
            Database database = Database.start(config, masterKey.derive("xentracker embedded postgres superuser"));
            resources.push(database);
            AuditChain audit = AuditChain.create(masterKey, clock);
            // entries written before the chain existed (or by an older node) get their place in it before serving
            audit.linkUnchained(database.jdbi());
            SecretTokens tokens = SecretTokens.create(random);
            // pure reads (reports, person pages, exports) may go to the read replica; everything else to the primary
            Guard guard = Guard.create(database.jdbi(), audit, clock, database.reads());
            OrganizationKeys keys = OrganizationKeys.create(database.jdbi(), masterKey, clock);
            WireCodec codec = WireCodec.create();
            Policies policies = Policies.create(codec);
            // One-time account links point at the server's own configured address, known once HTTPS listens (the
            // port may be chosen then), never at a request's Host header, which a client chooses.
            AtomicReference<URI> linkBase = new AtomicReference<>();
            AccountServices accounts = AccountServices.create(database.jdbi(), guard, PasswordHasher.create(random),
                    tokens, masterKey, random, linkBase::get, clock);
            OrganizationServices organizations = OrganizationServices.create(database.jdbi(), guard, keys, policies,
                    clock);
            DeviceServices devices = DeviceServices.create(database.jdbi(), guard, tokens, policies, clock);
            PeopleServices people = PeopleServices.create(guard, clock);
            ServerServices services = new Services(accounts.signIn(), accounts.sessions(), accounts.accounts(),
                    organizations.organizations(), people.people(), people.groups(), devices.devices(),
                    devices.enrollmentTokens(), UsageServices.create(guard, clock).queries(),
                    AuditServices.create(guard, audit).trail(), clock, accounts.ownAccount(),
                    accounts.accountLinks(), ExportServices.create(guard, policies, clock).exports(),
                    ApiTokenServices.create(database.jdbi(), guard, tokens, clock).tokens());
            Administration administration = new OperatorAdministration(database.jdbi(), organizations, accounts,
                    guard);
            return new Core(database, audit, random, keys, codec, policies, devices, services, administration,
                    linkBase);
        }
    }

    /**
     * Where agents and browsers reach this server: {@code https://<address>:<port>/}. For a wildcard bind address
     * this is the first public host name, or 127.0.0.1 when there is none.
     */
    public URI baseUri() {
        return baseUri(config, port());
    }

    /**
     * Where a server with {@code config} listening on {@code port} is reached (see {@link #baseUri()}): for a command
     * that runs the server on a spare port but prints links for the configured one.
     */
    public static URI baseUri(ServerConfig config, int port) {
        String host = config.bindAddress();
        if (host.equals("0.0.0.0") || host.equals("::")) {
            host = config.publicHostnames().stream().findFirst().orElse("127.0.0.1");
        }
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("https://" + host + ":" + port + "/");
    }

    /** Where Prometheus scrapes this node ({@code http://127.0.0.1:<metrics-port>/metrics}), if configured. */
    public Optional<URI> metricsUri() {
        return http.metricsUri();
    }

    /** The port listened on; differs from the configuration when that said 0. */
    public int port() {
        return http.port();
    }

    /** The PEM file of the CA that issued the server's certificate; agents pin it. Readable by every user. */
    public Path certificateAuthorityFile() {
        return tls.certificateAuthorityFile();
    }

    public X509Certificate certificateAuthority() {
        return tls.certificateAuthority();
    }

    public Administration administration() {
        return administration;
    }

    /** The use cases web modules get (each takes the acting account); the operator calls them too. */
    public ServerServices services() {
        return services;
    }

    public ServerConfig config() {
        return config;
    }

    /** The database, for tests in this module. */
    Database database() {
        return database;
    }

    /** The scheduled jobs, for tests in this module (run them now, with the test's clock). */
    ScheduledJobs jobs() {
        return jobs;
    }

    /**
     * Runs the scheduled jobs that are due by the server's clock now, on this node, instead of at the next tick:
     * for tests of front ends, which move the clock and want to see a job's effect (a re-categorisation, a
     * retention run) without waiting.
     *
     * @return the names of the jobs that ran
     */
    public List<String> runDueJobs() {
        return jobs.runDue();
    }

    /** Stops HTTPS (finishing requests in flight), then the pool, then the embedded PostgreSQL. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            LOG.info("Stopping the Xentracker server");
            closeAll(resources);
            LOG.info("Xentracker server stopped");
        }
    }

    private static void closeAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Could not close {} cleanly", resource.getClass().getSimpleName(), e);
            }
        }
    }

    private record Services(SignIn signIn, Sessions sessions, Accounts accounts, Organizations organizations,
            People people, Groups groups, Devices devices, EnrollmentTokens enrollmentTokens, UsageQueries usage,
            AuditTrail audit, Clock clock, OwnAccount ownAccount, AccountLinks accountLinks, Exports exports,
            ApiTokens apiTokens)
            implements ServerServices {
    }

    /** The operator's side: organizations and first owners directly, everything else as the operator actor. */
    private record OperatorAdministration(Jdbi jdbi, OrganizationServices organizationServices,
            AccountServices accounts, Guard guard)
            implements Administration {

        @Override
        public Organization createOrganization(String name, ZoneId timeZone) {
            return organizationServices.create(name, timeZone);
        }

        @Override
        public Organization createOrganization(String name, ZoneId timeZone, String ownerEmail,
                char[] ownerPassword) {
            Organization organization = jdbi.inTransaction(handle -> {
                Organization created = organizationServices.create(handle, name, timeZone);
                accounts.createAccount(handle, created.id(), ownerEmail, ownerPassword, Role.OWNER);
                return created;
            });
            LOG.info("Created organization {} with its owner", organization.id());
            return organization;
        }

        @Override
        public List<Organization> organizations() {
            return organizationServices.list();
        }

        @Override
        public List<OrganizationSummary> organizationSummaries() {
            return organizationServices.summaries();
        }

        @Override
        public Optional<Organization> firstOrganization() {
            return organizationServices.first();
        }

        @Override
        public Optional<Organization> organization(UUID organizationId) {
            return organizationServices.find(organizationId);
        }

        @Override
        public Account createOwner(UUID organizationId, String email, char[] password) {
            return accounts.createOwner(organizationId, email, password);
        }

        @Override
        public Account createAccount(UUID organizationId, String email, char[] password, Role role) {
            return accounts.createAccount(organizationId, email, password, role);
        }

        @Override
        public Account createSelfAccount(UUID organizationId, UUID personId, String email, char[] password) {
            return accounts.createSelfAccount(organizationId, personId, email, password);
        }

        @Override
        public Actor operator(UUID organizationId) {
            return guard.operator(organizationId);
        }
    }
}
