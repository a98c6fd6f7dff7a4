package com.xentracker.collector;

import com.xentracker.collector.browser.ActiveTabs;
import com.xentracker.collector.browser.BrowserEndpoint;
import com.xentracker.collector.browser.BrowserEndpointException;
import com.xentracker.collector.browser.WebPolicy;
import com.xentracker.collector.buffer.Backlog;
import com.xentracker.collector.buffer.Handover;
import com.xentracker.collector.buffer.SpanBuffer;
import com.xentracker.collector.enrollment.EnrolledDevice;
import com.xentracker.collector.enrollment.Enrollment;
import com.xentracker.collector.enrollment.Replacement;
import com.xentracker.collector.policy.PolicyCache;
import com.xentracker.collector.policy.PolicyEnforcer;
import com.xentracker.collector.policy.PrivateTime;
import com.xentracker.collector.probe.CaptureAvailability;
import com.xentracker.collector.probe.ForegroundProbe;
import com.xentracker.collector.probe.ForegroundProbes;
import com.xentracker.collector.recording.Recorder;
import com.xentracker.collector.upload.DrainResult;
import com.xentracker.collector.upload.Uploader;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.transport.TransportException;
import com.xentracker.transport.client.ServerClient;
import com.xentracker.transport.envelope.BatchSealer;
import com.xentracker.transport.wire.AgentState;
import com.xentracker.transport.wire.CaptureState;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent: the composition root. Records on one thread (every poll interval) and uploads on another
 * (every upload interval, backing off while the server is away); {@link #close()} stops both, closes the open span
 * and makes one last upload attempt.
 *
 * <p>A session the agent cannot observe (Wayland, no display yet, a missing library) does not stop it: it keeps
 * running without recording, reports why with every upload (so the administrator sees the device and the reason),
 * still receives the organization's policy, and tries to observe again every minute (an X server that comes up
 * after the agent, a library installed meanwhile).
 */
public final class Agent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    /** Per HTTPS request; also bounds how long the final upload can delay shutdown. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration CAPTURE_CHECK_INTERVAL = Duration.ofMinutes(1);
    /** How often an agent without a usable probe tries again; the check is cheap (environment, a library load). */
    private static final Duration PROBE_RETRY_INTERVAL = Duration.ofMinutes(1);
    static final String OUTSIDE_WORKING_HOURS_DETAIL = "outside the organization's working hours: nothing is recorded";
    /** The extension's last report is noted for {@code status} at most this often (not on every request). */
    private static final Duration BROWSER_REPORT_NOTE_INTERVAL = Duration.ofSeconds(10);

    private final AgentConfig config;
    private final Deque<AutoCloseable> resources; // closed in reverse order of opening
    private final SpanBuffer buffer;
    private final PolicyCache policy;
    private final PolicyEnforcer enforcer;
    private final Supplier<ForegroundProbe> probes;
    private final Function<EnrolledDevice, Uploader> uploaders;
    // Replaced by the upload thread when it finishes an interrupted key rotation; read by close() after that thread.
    private volatile EnrolledDevice device;
    private volatile Uploader uploader;
    private volatile boolean keyRotationPending;
    private final ScheduledThreadPoolExecutor recordingThread = thread("xt-recorder");
    private final ScheduledThreadPoolExecutor uploadThread = thread("xt-uploader");
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Clock clock;
    /** What the uploader reports with each batch; the recording thread updates the capture part. */
    private final AtomicReference<AgentState> reported;
    /** The browser extension's latest reports (the endpoint writes, the recording thread reads). */
    private final ActiveTabs tabs;
    // The fields below are touched by the recording thread only (and by close() once that thread has stopped).
    /** Present once the session can be observed: the probe (also in {@code resources}) and its recorder. */
    private Optional<ForegroundProbe> probe;
    private Optional<Recorder> recorder = Optional.empty();
    private Instant nextProbeAttempt = Instant.MIN;
    private CaptureAvailability availability;
    private Instant notedBrowserReport;
    private boolean samplingFails;
    private boolean captureNoted;
    private Instant nextCaptureCheck = Instant.MIN;

    private Agent(AgentConfig config, EnrolledDevice device, Deque<AutoCloseable> resources, SpanBuffer buffer,
            PolicyCache policy, PolicyEnforcer enforcer, Supplier<ForegroundProbe> probes,
            Function<EnrolledDevice, Uploader> uploaders,
            Clock clock, Optional<ForegroundProbe> probe, CaptureAvailability availability,
            AtomicReference<AgentState> reported, ActiveTabs tabs) {
        this.config = config;
        this.device = device;
        this.resources = resources;
        this.buffer = buffer;
        this.policy = policy;
        this.enforcer = enforcer;
        this.probes = probes;
        this.uploaders = uploaders;
        this.uploader = uploaders.apply(device);
        this.clock = clock;
        this.probe = probe;
        this.availability = availability;
        this.reported = reported;
        this.tabs = tabs;
    }

    /**
     * Starts the agent with the foreground probe for this process's desktop session. The clock's zone is the
     * device's time zone: spans are split at its midnights ({@code Clock.systemDefaultZone()} in production).
     *
     * When this session offers no way to observe the foreground (no display, Wayland, unsupported OS) the agent
     * runs all the same: it records nothing, reports why, and tries again every minute.
     *
     * @throws NotEnrolledException          when the data directory holds no enrollment
     * @throws AgentAlreadyRunningException  when another agent uses the data directory
     * @throws SpanBufferException           when the buffer cannot be opened
     */
    public static Agent start(AgentConfig config, Clock clock) {
        return start(config, clock, ForegroundProbes::forCurrentSession);
    }

    /**
     * Starts the agent with the given probe (e.g. {@link ForegroundProbes#x11(String)} on a test display). The agent
     * takes ownership of the probe and closes it, also when starting fails.
     */
    public static Agent start(AgentConfig config, Clock clock, ForegroundProbe probe) {
        Objects.requireNonNull(probe, "probe");
        try {
            return start(config, clock, () -> probe);
        } catch (RuntimeException | Error e) {
            probe.close();
            throw e;
        }
    }

    /** Starts the agent asking {@code probes} for a probe at start and, while it has none, every minute. */
    static Agent start(AgentConfig config, Clock clock, Supplier<ForegroundProbe> probes) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        if (!EnrolledDevice.replacementUnfinished(config.dataDir())) {
            // checked before anything is created in the data directory
            EnrolledDevice.load(config.dataDir()).orElseThrow(() -> notEnrolled(config.dataDir()));
        }
        Deque<AutoCloseable> resources = new ArrayDeque<>();
        try {
            resources.push(DataDirLock.acquire(config.dataDir()));
            // An interrupted re-enrollment is finished before anything is sealed: its new identity is stored
            // complete, the server knows it, and the old identity is likely revoked.
            EnrolledDevice.finishReplacement(config.dataDir(), clock.instant()).ifPresent(replacement -> LOG.warn(
                    "finished an interrupted re-enrollment: now device {}", replacement.device().deviceId()));
            EnrolledDevice enrolled = EnrolledDevice.load(config.dataDir())
                    .orElseThrow(() -> notEnrolled(config.dataDir()));
            // the buffer before the probe, so that a session that cannot be observed is noted for `status`
            SpanBuffer buffer = SpanBuffer.open(config.bufferFile(), config.buffer(), clock);
            resources.push(buffer);
            // Sequence numbers belong to one device: after a re-enrollment (also one interrupted before it got
            // here) the buffer hands what the old identity had not delivered to the new one, before the uploader
            // seals anything.
            buffer.bindTo(enrolled.deviceId());
            EnrolledDevice device = enrolled;
            boolean keyRotationPending = false;
            if (EnrolledDevice.keyRotationUnfinished(config.dataDir())) {
                try {
                    device = finishKeyRotation(enrolled, config, buffer);
                } catch (TransportException e) {
                    // offline (or the server refused for now): record all the same; uploads wait for the rotation,
                    // which the upload thread retries, since the server may accept only the new key already
                    keyRotationPending = true;
                    LOG.warn("an interrupted device key rotation could not be finished ({}); recording goes on,"
                            + " uploads wait until it is", e.getMessage());
                }
            }
            buffer.noteAgentStarted(ProcessHandle.current().pid(), clock.instant());
            Optional<ForegroundProbe> probe;
            CaptureAvailability availability;
            try {
                probe = Optional.of(probes.get());
                resources.push(probe.get());
                availability = probe.get().availability();
            } catch (ProbeUnavailableException e) {
                // keep running: the server must learn that this device cannot record, and why
                probe = Optional.empty();
                availability = e.availability();
                LOG.warn("foreground tracking is unavailable in this session: {}. The agent keeps running without"
                        + " recording, reports this to the server, and checks again every {} min",
                        e.availability().explanation(), PROBE_RETRY_INTERVAL.toMinutes());
            }
            buffer.noteCapture(captureState(availability), detail(availability), clock.instant());
            // the organization's policy as last received, and the employee's private time, both in the data dir
            PolicyCache policy = PolicyCache.open(config.dataDir());
            LOG.info("Xentracker agent {} starting; {}", AgentVersion.current(),
                    startupLine(policy.current(), config));
            PrivateTime privateTime = PrivateTime.in(config.dataDir(), policy, clock);
            // the browser extension's reports, correlated with the foreground application on every poll
            ActiveTabs tabs = ActiveTabs.create(ActiveTabs.DEFAULT_HEARTBEAT_INTERVAL, clock);
            PolicyEnforcer enforcer = PolicyEnforcer.create(policy, privateTime::pausedUntil,
                    config.recorder().localLimits(), tabs);
            // what the probe can observe, as last checked by the recording thread
            AtomicReference<AgentState> reported = new AtomicReference<>(agentState(availability, 0));
            // each batch reports the capture state (private time wins) and the policy version in force
            Supplier<AgentState> state = () -> {
                AgentState captured = reported.get();
                long version = policy.current().version();
                return privateTime.pausedUntil().isPresent()
                        ? AgentState.of(captured.agentVersion(), CaptureState.PAUSED, "private time", version)
                        : AgentState.of(captured.agentVersion(), captured.capture(), captured.captureDetail(), version);
            };
            Function<EnrolledDevice, Uploader> uploaders = enrollment -> Uploader.create(config.uploader(), buffer,
                    enrollment.organizationId(), enrollment.deviceId(),
                    BatchSealer.create(enrollment.deviceKey(), enrollment.organizationCertificate()),
                    ServerClient.create(enrollment.serverUri(), enrollment.serverCa(), REQUEST_TIMEOUT,
                            config.trustSystemStore()), clock, state,
                    policy::offer,
                    // a rotated organization key: keep the new certificate with the enrollment for the next start
                    certificate -> enrollment.withOrganizationCertificate(config.dataDir(), certificate),
                    RandomGenerator.getDefault()::nextDouble);
            Agent agent = new Agent(config, device, resources, buffer, policy, enforcer, probes, uploaders, clock,
                    probe, availability, reported, tabs);
            agent.keyRotationPending = keyRotationPending;
            probe.ifPresent(agent::startRecording);
            agent.captureNoted = true;
            agent.nextProbeAttempt = clock.instant().plus(PROBE_RETRY_INTERVAL);
            startBrowserEndpoint(config, policy, tabs, buffer, clock, resources);
            agent.run();
            LOG.info("recording as device {} of {}; uploading to {}", device.deviceId(), device.organizationName(),
                    device.serverUri());
            return agent;
        } catch (RuntimeException | Error e) {
            closeAll(resources);
            throw e;
        }
    }

    /**
     * What the start-up log line says after the version: the policy in force (what is collected) first, then the
     * local configuration, whose {@code collect-window-titles} reads as the ceiling it is, never as what is collected.
     */
    static String startupLine(CollectionPolicy policy, AgentConfig config) {
        return titles(policy, config) + "; local configuration: " + describe(config);
    }

    /**
     * The window titles in force: the organization's policy decides, this device's {@code collect-window-titles} can
     * only refuse them. Said in one place so that the start-up line never reads as if the device collected titles.
     */
    private static String titles(CollectionPolicy policy, AgentConfig config) {
        String version = "organization policy version " + policy.version();
        if (!policy.collectWindowTitles()) {
            return version + ": window titles off";
        }
        return version + (config.collectWindowTitles() ? ": window titles on" : ": window titles on, but refused"
                + " by this device (collect-window-titles=false)");
    }

    /** The configuration as logged: {@code collect-window-titles} reads as the ceiling it is. */
    private static String describe(AgentConfig config) {
        StringBuilder text = new StringBuilder();
        config.describe().forEach((key, value) -> text.append(text.length() == 0 ? "" : ", ").append(key).append('=')
                .append(value).append(key.equals(AgentConfig.COLLECT_WINDOW_TITLES)
                        ? (config.collectWindowTitles() ? " (ceiling: where the policy collects them)" : " (ceiling)")
                        : ""));
        return text.toString();
    }

    /**
     * Starts the loopback endpoint for the browser extension, unless it is turned off. A port that cannot be bound
     * (another program, or another user's agent on a shared machine, holds it) does not stop the agent: applications
     * are still recorded, the log says why web pages are not, and {@code status} shows it.
     */
    private static void startBrowserEndpoint(AgentConfig config, PolicyCache policy, ActiveTabs tabs,
            SpanBuffer buffer, Clock clock, Deque<AutoCloseable> resources) {
        if (!config.browserEndpointEnabled()) {
            LOG.info("browser endpoint turned off ({}=false): web pages are not recorded",
                    AgentConfig.BROWSER_ENDPOINT_ENABLED);
            buffer.noteBrowserEndpoint(false, "turned off on this device (" + AgentConfig.BROWSER_ENDPOINT_ENABLED
                    + "=false)", clock.instant());
            return;
        }
        try {
            // the organization's current policy on every request: a newer policy applies to the next event
            BrowserEndpoint endpoint = BrowserEndpoint.start(config.browserEndpoint(),
                    () -> WebPolicy.from(policy.current()), tabs, clock);
            resources.push(endpoint); // released with the buffer and probe when the agent stops
            buffer.noteBrowserEndpoint(true, "listening on 127.0.0.1:" + endpoint.port(), clock.instant());
        } catch (BrowserEndpointException e) {
            LOG.error("the browser endpoint did not start, so web pages are not recorded (applications still are): {}",
                    e.getMessage());
            buffer.noteBrowserEndpoint(false, "not listening: " + e.getMessage(), clock.instant());
        }
    }

    /**
     * Replaces this device's signing key (see {@link EnrolledDevice#rotateKey}) while no agent runs on the data
     * directory: the pending batch is sealed again with the new key on the next upload.
     *
     * @return the enrollment with the new key
     * @throws AgentAlreadyRunningException when an agent runs with this data directory (its sealer holds the old key)
     * @throws NotEnrolledException         when the device is not enrolled
     * @throws com.xentracker.transport.TransportException when the server cannot be reached or refuses; a later call
     *                                      finishes the rotation with the same new key
     */
    public static EnrolledDevice rotateDeviceKey(AgentConfig config, Clock clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        if (EnrolledDevice.replacementUnfinished(config.dataDir())) {
            throw new EnrollmentException("a re-enrollment was interrupted; `run` or `enroll --replace` finishes it"
                    + " first (the new identity has a new key already)");
        }
        EnrolledDevice device = EnrolledDevice.load(config.dataDir()).orElseThrow(() -> notEnrolled(config.dataDir()));
        try (DataDirLock lock = DataDirLock.acquire(config.dataDir());
                SpanBuffer buffer = SpanBuffer.open(config.bufferFile(), config.buffer(), clock)) {
            buffer.forgetSealedBytes(); // first: nothing signed with the old key is left to send, whatever happens
            EnrolledDevice rotated = device.rotateKey(config.dataDir(),
                    ServerClient.create(device.serverUri(), device.serverCa(), REQUEST_TIMEOUT,
                        config.trustSystemStore()));
            LOG.info("device {} now signs with a new key", device.deviceId());
            return rotated;
        }
    }

    /**
     * Enrolls this device again as a new device, with a new key and a fresh token, while no agent runs on the data
     * directory ({@code enroll --replace}): for a device the organization revoked or deleted, or whose enrollment is
     * damaged. The old identity is kept aside ({@code device.replaced-<UTC time>/}), and everything recorded that the
     * server has not acknowledged is handed to the new identity ({@link SpanBuffer#bindTo}): batches the old one had
     * cut are withdrawn (they are signed for the old device and its sequence numbers) and their spans go out again,
     * in order, in the new device's batches from sequence 1.
     *
     * <p>Order, so that a crash anywhere leaves a state this method or {@link #start} completes: the buffer is bound
     * to the identity in place; whatever an interrupted replacement left is finished (then the token is not used);
     * the server enrolls the new key (nothing on disk has changed if it refuses); the new identity is stored complete
     * in {@code device.next/}; the old one is moved aside; the new one is renamed into place; the buffer is handed
     * over.
     *
     * @param serverUri the server to enroll at; by default the one of the enrollment being replaced
     * @param serverCa  the CA its TLS certificate must chain to; by default the one of the enrollment being replaced
     * @param token     a new one-time enrollment token; not needed (and not used) to finish an interrupted one
     * @throws AgentAlreadyRunningException when an agent runs with the data directory (stop it first)
     * @throws InvalidConfigException       when the token is missing, or the server or its CA is not given and
     *                                      cannot be read from the enrollment being replaced
     * @throws EnrollmentException          when the new enrollment cannot be stored
     * @throws com.xentracker.transport.TransportException when the server cannot be reached or refuses the token;
     *                                      nothing changed
     */
    public static Reenrollment reenroll(AgentConfig config, Optional<URI> serverUri,
            Optional<X509Certificate> serverCa, Optional<String> token, Clock clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(serverUri, "serverUri");
        Objects.requireNonNull(serverCa, "serverCa");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(clock, "clock");
        Path dataDir = config.dataDir();
        if (!Files.isDirectory(dataDir)) { // a reinstalled device: nothing to replace, a plain enrollment
            EnrolledDevice device = Enrollment.enroll(dataDir, serverUri.orElseThrow(Agent::serverNeeded),
                    serverCa.orElseThrow(Agent::serverNeeded), token.orElseThrow(Agent::tokenNeeded));
            return new Reenrollment(device, Optional.empty(), true, Optional.empty(), 0);
        }
        DataDirLock lock;
        try {
            lock = DataDirLock.acquire(dataDir);
        } catch (AgentAlreadyRunningException e) {
            throw new AgentAlreadyRunningException(e.getMessage() + ": stop it before enrolling again (what it"
                    + " records meanwhile is kept and handed to the new identity)");
        }
        try (lock; SpanBuffer buffer = SpanBuffer.open(config.bufferFile(), config.buffer(), clock)) {
            // A buffer of an earlier version is not bound yet: its batches belong to the identity in place now.
            // One bound to another identity is the trace of a replacement interrupted after its rename.
            Optional<Handover> interrupted = EnrolledDevice.storedDeviceId(dataDir).flatMap(buffer::bindTo);
            Optional<Replacement> staged = EnrolledDevice.finishReplacement(dataDir, clock.instant());
            if (interrupted.isPresent() || staged.isPresent()) {
                // the token stays unused: the identity the interrupted run enrolled is in place now
                EnrolledDevice device = EnrolledDevice.load(dataDir).orElseThrow(() -> notEnrolled(dataDir));
                Optional<Handover> handover = buffer.bindTo(device.deviceId()).or(() -> interrupted);
                LOG.warn("finished an interrupted re-enrollment (device {}); the token was not used",
                        device.deviceId());
                return new Reenrollment(device, staged.flatMap(Replacement::previous), false, handover,
                        buffer.backlog().unsentSpans());
            }
            Optional<EnrolledDevice> old = readableEnrollment(dataDir);
            URI uri = serverUri.or(() -> old.map(EnrolledDevice::serverUri)).orElseThrow(Agent::serverNeeded);
            X509Certificate ca = serverCa.or(() -> old.map(EnrolledDevice::serverCa)).orElseThrow(Agent::serverNeeded);
            Replacement replacement = Enrollment.replace(dataDir, uri, ca, token.orElseThrow(Agent::tokenNeeded),
                    clock.instant());
            Optional<Handover> handover = buffer.bindTo(replacement.device().deviceId());
            return new Reenrollment(replacement.device(), replacement.previous(), true, handover,
                    buffer.backlog().unsentSpans());
        }
    }

    /** The enrollment in place; empty when there is none, or it is damaged (replaced all the same). */
    private static Optional<EnrolledDevice> readableEnrollment(Path dataDir) {
        try {
            return EnrolledDevice.load(dataDir);
        } catch (EnrollmentException e) {
            return Optional.empty();
        }
    }

    private static NotEnrolledException notEnrolled(Path dataDir) {
        return new NotEnrolledException("this device is not enrolled (no enrollment in " + dataDir + "): run"
                + " `enroll` first");
    }

    private static InvalidConfigException tokenNeeded() {
        return new InvalidConfigException("a new enrollment token is needed (--token-file or --token-env)");
    }

    private static InvalidConfigException serverNeeded() {
        return new InvalidConfigException("the server and its CA certificate (--server, --server-ca) are needed:"
                + " there is no readable enrollment to take them from");
    }

    /**
     * A device key rotation that was interrupted (the new key waits beside the old one) is finished before anything
     * is sealed or sent: the server may already accept only the new key. Batches sealed with the old key are sealed
     * again. If the server cannot be reached, the caller records all the same and tries again before each upload.
     */
    private static EnrolledDevice finishKeyRotation(EnrolledDevice device, AgentConfig config, SpanBuffer buffer) {
        if (!EnrolledDevice.keyRotationUnfinished(config.dataDir())) {
            return device;
        }
        LOG.warn("an interrupted device key rotation is finished first");
        // first: whatever happens next, nothing signed with the old key is left to send
        buffer.forgetSealedBytes();
        return device.rotateKey(config.dataDir(),
                ServerClient.create(device.serverUri(), device.serverCa(), REQUEST_TIMEOUT,
                        config.trustSystemStore()));
    }

    /** The configuration it runs with. */
    public AgentConfig config() {
        return config;
    }

    /** The enrollment it runs as. */
    public EnrolledDevice device() {
        return device;
    }

    /**
     * The organization's collection policy as this agent applies it; {@link PolicyCache#offer} a newer one from the
     * server and it applies from the next sample.
     */
    public PolicyCache policy() {
        return policy;
    }

    /** What is waiting for the server right now. */
    public Backlog backlog() {
        return buffer.backlog();
    }

    /**
     * Stops recording and uploading, waits for a sample or upload in progress, closes the open span, tries one
     * last upload (what fails stays in the buffer for the next start) and releases the probe, buffer and lock.
     * Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("agent stopping");
        stop(recordingThread, config.pollInterval().plusSeconds(10));
        stop(uploadThread, REQUEST_TIMEOUT.plusSeconds(10));
        try {
            recorder.ifPresent(Recorder::close);
        } catch (RuntimeException e) {
            LOG.error("could not close the open span: {}", e.getMessage(), e);
        }
        try {
            if (keyRotationPending) {
                throw new IllegalStateException("the device key rotation is not finished; uploads wait for it");
            }
            DrainResult last = uploader.drainOnce();
            LOG.info("final upload: {} ({} spans acknowledged)", last.outcome(), last.acknowledgedSpans());
        } catch (RuntimeException e) {
            LOG.error("final upload failed; the spans stay in the buffer: {}", e.getMessage(), e);
        }
        try {
            buffer.noteAgentStopped(clock.instant());
        } catch (RuntimeException e) {
            LOG.warn("could not note the stop in the buffer: {}", e.getMessage());
        }
        closeAll(resources);
        LOG.info("agent stopped");
    }

    private void run() {
        recordingThread.scheduleAtFixedRate(this::sample, 0, config.pollInterval().toNanos(), TimeUnit.NANOSECONDS);
        // soon, so the backlog of an earlier run goes out first, but after a random part of the upload interval, so
        // that a fleet starting together does not reach the server in the same second
        uploadThread.schedule(this::upload, uploader.initialDelay().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The session can be observed (now): record from the next poll on. Recording thread (or start) only. */
    private void startRecording(ForegroundProbe observed) {
        // closes a span left open by an earlier run before the first sample
        recorder = Optional.of(Recorder.create(config.recorder(), observed, buffer, enforcer, clock,
                System::nanoTime));
        probe = Optional.of(observed);
        nextCaptureCheck = Instant.MIN;
    }

    /** Tries the session again; true when it can be observed now. */
    private boolean attachProbe(Instant now) {
        nextProbeAttempt = now.plus(PROBE_RETRY_INTERVAL);
        ForegroundProbe observed;
        try {
            observed = probes.get();
        } catch (ProbeUnavailableException e) {
            availability = e.availability();
            noteIfChanged(agentState(availability, reported.get().policyVersion()), now);
            return false;
        }
        resources.push(observed);
        try {
            startRecording(observed);
        } catch (RuntimeException e) {
            resources.remove(observed);
            observed.close();
            throw e;
        }
        LOG.info("foreground tracking is available now: recording");
        return true;
    }

    private void sample() {
        // Never let an exception escape: a periodic task that throws is silently never run again.
        try {
            Instant now = clock.instant();
            if (recorder.isEmpty() && (now.isBefore(nextProbeAttempt) || !attachProbe(now))) {
                return; // nothing can be observed; the uploader keeps reporting why
            }
            boolean recorded = recorder.get().sampleOnce().isPresent();
            noteBrowserReport();
            if (samplingFails) {
                samplingFails = false;
                LOG.info("sampling works again");
            }
            // asked once a minute (a macOS permission may be granted meanwhile)
            if (!captureNoted || now.isAfter(nextCaptureCheck)) {
                availability = probe.orElseThrow().availability();
                captureNoted = true;
                nextCaptureCheck = now.plus(CAPTURE_CHECK_INTERVAL);
            }
            AgentState state = recorded ? agentState(availability, reported.get().policyVersion())
                    : AgentState.of(AgentVersion.current(), CaptureState.OUTSIDE_WORKING_HOURS,
                            OUTSIDE_WORKING_HOURS_DETAIL, reported.get().policyVersion());
            noteIfChanged(state, now);
        } catch (RuntimeException e) {
            if (!samplingFails) { // once per streak, not once per second
                samplingFails = true;
                captureNoted = false;
                LOG.error("sampling failed; retrying every {}: {}", config.pollInterval(), e.getMessage(), e);
                String detail = "the agent cannot observe the desktop at the moment: " + e.getMessage();
                reported.set(AgentState.of(AgentVersion.current(), CaptureState.UNKNOWN, detail,
                        reported.get().policyVersion()));
                try {
                    buffer.noteCapture(CaptureState.UNKNOWN, detail, clock.instant());
                } catch (RuntimeException noted) {
                    LOG.debug("could not note the failure in the buffer", noted);
                }
            }
        }
    }

    /** Written to the buffer (for {@code status}) only when it changed, not once per poll. */
    private void noteIfChanged(AgentState state, Instant now) {
        AgentState before = reported.get();
        if (!state.capture().equals(before.capture()) || !state.captureDetail().equals(before.captureDetail())) {
            buffer.noteCapture(state.capture(), state.captureDetail(), now);
            reported.set(state);
        }
    }

    private void noteBrowserReport() {
        Optional<Instant> last = tabs.lastReport();
        if (last.isPresent() && (notedBrowserReport == null
                || last.get().isAfter(notedBrowserReport.plus(BROWSER_REPORT_NOTE_INTERVAL)))) {
            buffer.noteBrowserReport(last.get());
            notedBrowserReport = last.get();
        }
    }

    private static AgentState agentState(CaptureAvailability availability, long policyVersion) {
        return AgentState.of(AgentVersion.current(), captureState(availability), detail(availability), policyVersion);
    }

    /** The state the server and {@code status} show for what the probe can observe. */
    static CaptureState captureState(CaptureAvailability availability) {
        if (availability.state() == CaptureAvailability.State.AVAILABLE) {
            return CaptureState.RECORDING;
        }
        return switch (availability.reason().orElseThrow()) {
            case NO_DISPLAY, DISPLAY_UNREACHABLE -> CaptureState.NO_DISPLAY;
            case WAYLAND_SESSION -> CaptureState.WAYLAND_UNSUPPORTED;
            case UNSUPPORTED_OPERATING_SYSTEM -> CaptureState.UNSUPPORTED_OS;
            // applications are still recorded (LIMITED); the detail says titles are not
            case WINDOW_TITLE_PERMISSION_MISSING -> CaptureState.PERMISSION_MISSING;
            case MISSING_LIBRARY_OR_EXTENSION -> CaptureState.UNKNOWN;
        };
    }

    /** Nothing to add when everything is observed; otherwise the probe's plain explanation. */
    private static String detail(CaptureAvailability availability) {
        return availability.state() == CaptureAvailability.State.AVAILABLE ? "" : availability.explanation();
    }

    private void upload() {
        Duration next = config.uploadInterval();
        try {
            if (keyRotationPending) {
                device = finishKeyRotation(device, config, buffer);
                uploader = uploaders.apply(device);
                keyRotationPending = false;
                LOG.info("the device key rotation is finished; uploading");
            }
            next = uploader.drainOnce().nextAttemptIn();
        } catch (TransportException e) {
            LOG.warn("the device key rotation is still not finished: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("upload failed: {}", e.getMessage(), e);
        }
        try {
            uploadThread.schedule(this::upload, next.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    private static ScheduledThreadPoolExecutor thread(String name) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true); // close() or the shutdown hook stops the work; the JVM need not wait for it
            return thread;
        });
        // on shutdown, let a running task finish but drop the scheduled ones
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        return executor;
    }

    private static void stop(ScheduledThreadPoolExecutor executor, Duration patience) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("a task did not finish within {}; interrupting it", patience);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static void closeAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", resource, e.getMessage());
            }
        }
    }
}
