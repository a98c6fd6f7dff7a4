package com.xentracker.collector.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.collector.Agent;
import com.xentracker.collector.AgentAlreadyRunningException;
import com.xentracker.collector.AgentConfig;
import com.xentracker.collector.Reenrollment;
import com.xentracker.collector.buffer.Handover;
import com.xentracker.collector.buffer.SpanBuffer;
import com.xentracker.collector.enrollment.EnrollingServerExtension.Stored;
import com.xentracker.collector.probe.ForegroundProbe;
import com.xentracker.collector.probe.ForegroundWindow;
import com.xentracker.collector.probe.Observation;
import com.xentracker.collector.upload.DrainResult.Outcome;
import com.xentracker.collector.upload.Uploader;
import com.xentracker.collector.upload.UploaderConfig;
import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.transport.ServerRejectedRequestException;
import com.xentracker.transport.client.ServerClient;
import com.xentracker.transport.envelope.BatchSealer;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Re-enrolling a revoked device ({@code Agent.reenroll}, i.e. {@code enroll --replace}) with real files, a real
 * SQLite buffer, the real uploader and agent, against a real HTTPS server that enrolls devices, revokes them and opens
 * their batches ({@link EnrollingServerExtension}).
 *
 * <p>The device in every test: enrolled, two batches (spans 0–5) acknowledged, then revoked while batch 3 (spans
 * 6–8) was cut and sealed, and spans 9–11 not yet cut.
 */
class ReenrollmentTest {

    /** Recent, so that the buffer's age bound never drops them while the agent records around them. */
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));

    @RegisterExtension
    final EnrollingServerExtension server = new EnrollingServerExtension();

    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private AgentConfig config;
    private Path dataDir;
    private EnrolledDevice old;

    @BeforeEach
    void aRevokedDeviceWithUnacknowledgedSpans() {
        dataDir = dir.resolve("agent");
        config = AgentConfig.defaults()
                .with(AgentConfig.DATA_DIR, dataDir.toString())
                .with(AgentConfig.POLL_INTERVAL, "200ms")
                .with(AgentConfig.UPLOAD_INTERVAL, "1s")
                .with(AgentConfig.BROWSER_ENDPOINT_ENABLED, "false");
        old = Enrollment.enroll(dataDir, server.baseUri(), server.ca().certificate(), server.issueToken());
        try (SpanBuffer buffer = buffer()) {
            buffer.bindTo(old.deviceId()); // as the agent does at every start
            buffer.append(spans(0, 6));
            assertThat(uploader(old, buffer).drainOnce().outcome()).isEqualTo(Outcome.DRAINED);
            buffer.append(spans(6, 12));
            server.revoke(old.deviceId());
            assertThat(uploader(old, buffer).drainOnce().outcome()).isEqualTo(Outcome.STOPPED);
            assertThat(buffer.backlog().pendingBatches()).as("batch 3, sealed for the old device").isEqualTo(1);
        }
        assertThat(sentBy(old.deviceId())).isEqualTo(spans(0, 6));
    }

    @Test
    void replacingARevokedDeviceSendsEveryUnacknowledgedSpanUnderTheNewIdentityInOrder() throws IOException {
        Reenrollment done = Agent.reenroll(config, Optional.empty(), Optional.empty(),
                Optional.of(server.issueToken()), clock);

        UUID renewed = done.device().deviceId();
        assertThat(done.tokenUsed()).isTrue();
        assertThat(renewed).isNotEqualTo(old.deviceId());
        assertThat(server.devices()).containsExactlyInAnyOrder(old.deviceId(), renewed);
        assertThat(Pem.encodePrivateKey(done.device().deviceKey())).isNotEqualTo(Pem.encodePrivateKey(old.deviceKey()));
        assertThat(done.handover()).contains(new Handover(old.deviceId(), renewed, 1, 3, 0));
        assertThat(done.waitingSpans()).isEqualTo(6);
        assertOldIdentityKeptAside(done.previousIdentity().orElseThrow());
        assertThat(EnrolledDevice.load(dataDir).orElseThrow().deviceId()).isEqualTo(renewed);

        runAgentOnce();

        assertEverySpanDeliveredOnceInOrder(renewed);
    }

    @ParameterizedTest
    @EnumSource(ReplacementStep.class)
    void aReplacementInterruptedAfterAnyStepIsFinishedByRun(ReplacementStep crashAfter) throws IOException {
        UUID interrupted = crashAfter(crashAfter);

        runAgentOnce();

        assertThat(EnrolledDevice.load(dataDir).orElseThrow().deviceId()).isEqualTo(interrupted);
        assertThat(dataDir.resolve(EnrolledDevice.NEXT_DIRECTORY)).doesNotExist();
        assertOldIdentityKeptAside(onlyReplacedDirectory());
        assertEverySpanDeliveredOnceInOrder(interrupted);
    }

    @ParameterizedTest
    @EnumSource(ReplacementStep.class)
    void aReplacementInterruptedAfterAnyStepIsFinishedByEnrollReplaceWithoutUsingTheToken(ReplacementStep crashAfter)
            throws IOException {
        UUID interrupted = crashAfter(crashAfter);

        Reenrollment done = Agent.reenroll(config, Optional.empty(), Optional.empty(),
                Optional.of(server.issueToken()), clock);

        assertThat(done.tokenUsed()).isFalse();
        assertThat(done.device().deviceId()).isEqualTo(interrupted);
        assertThat(server.devices()).as("no third device").hasSize(2);
        assertThat(done.handover()).hasValueSatisfying(handover -> {
            assertThat(handover.from()).isEqualTo(old.deviceId());
            assertThat(handover.to()).isEqualTo(interrupted);
        });
        assertThat(dataDir.resolve(EnrolledDevice.NEXT_DIRECTORY)).doesNotExist();
        assertOldIdentityKeptAside(onlyReplacedDirectory());

        runAgentOnce();

        assertEverySpanDeliveredOnceInOrder(interrupted);
    }

    @Test
    void aRefusedTokenChangesNothingOnDisk() throws IOException {
        assertThatThrownBy(() -> Agent.reenroll(config, Optional.empty(), Optional.empty(), Optional.of("not-a-token"),
                clock))
                .isInstanceOfSatisfying(ServerRejectedRequestException.class, refused ->
                        assertThat(refused.errorCode()).contains(ErrorCode.ENROLLMENT_TOKEN_UNKNOWN));

        assertThat(EnrolledDevice.load(dataDir).orElseThrow().deviceId()).isEqualTo(old.deviceId());
        assertThat(replacedDirectories()).isEmpty();
        assertThat(dataDir.resolve(EnrolledDevice.NEXT_DIRECTORY)).doesNotExist();
        try (SpanBuffer buffer = buffer()) {
            assertThat(buffer.boundDevice()).contains(old.deviceId());
            assertThat(buffer.backlog().pendingBatches()).isEqualTo(1);
        }
    }

    @Test
    void aRunningAgentMustBeStoppedBeforeTheTokenIsUsed() {
        try (Agent running = Agent.start(config, clock, new FixedProbe())) {
            assertThatThrownBy(() -> Agent.reenroll(config, Optional.empty(), Optional.empty(),
                    Optional.of(server.issueToken()), clock))
                    .isInstanceOf(AgentAlreadyRunningException.class).hasMessageContaining("stop it");
        }

        assertThat(server.devices()).containsExactly(old.deviceId());
    }

    @Test
    void aDamagedEnrollmentIsReplacedGivenTheServerAndItsCaAndKeptAside() throws IOException {
        Files.writeString(dataDir.resolve("device/device-key.pem"), "damaged");

        Reenrollment done = Agent.reenroll(config, Optional.of(server.baseUri()),
                Optional.of(server.ca().certificate()), Optional.of(server.issueToken()), clock);

        assertThat(Files.readString(done.previousIdentity().orElseThrow().resolve("device-key.pem")))
                .isEqualTo("damaged");
        assertThat(done.handover()).as("the buffer knew the old device's id").isPresent();
        runAgentOnce();
        assertEverySpanDeliveredOnceInOrder(done.device().deviceId());
    }

    @Test
    void aReinstalledDeviceWhoseDataDirectoryIsLostSimplyEnrollsAgain() throws IOException {
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(path -> path.toFile().delete());
        }

        EnrolledDevice again = Enrollment.enroll(dataDir, server.baseUri(), server.ca().certificate(),
                server.issueToken());

        assertThat(again.deviceId()).isNotEqualTo(old.deviceId());
        assertThat(server.devices()).hasSize(2);
    }

    /** Runs the replacement with a crash after {@code step}; returns the device the server enrolled for it. */
    private UUID crashAfter(ReplacementStep step) {
        assertThatThrownBy(() -> Enrollment.replace(dataDir, server.baseUri(), server.ca().certificate(),
                server.issueToken(), clock.instant(), reached -> {
                    if (reached == step) {
                        throw new SimulatedCrash(reached);
                    }
                })).isInstanceOf(SimulatedCrash.class);
        return server.devices().stream().filter(id -> !id.equals(old.deviceId())).findFirst().orElseThrow();
    }

    /** Starts the real agent (which finishes whatever is unfinished) and stops it: its last upload drains. */
    private void runAgentOnce() {
        Agent.start(config, clock, new FixedProbe()).close();
    }

    private void assertEverySpanDeliveredOnceInOrder(UUID renewed) {
        assertThat(server.stored()).filteredOn(stored -> stored.deviceId().equals(renewed))
                .extracting(stored -> stored.batch().sequence()).as("a new device's sequence starts at 1")
                .startsWith(1L);
        assertThat(sentBy(renewed)).as("the old device's unacknowledged spans, in order, under the new identity")
                .isEqualTo(spans(6, 12));
        assertThat(sentBy(old.deviceId())).as("nothing more from the old device").isEqualTo(spans(0, 6));
        assertThat(server.refusals()).as("the old sealed batch was never sent again (it would be refused)")
                .containsExactly(ErrorCode.DEVICE_REVOKED.code());
    }

    private void assertOldIdentityKeptAside(Path previous) throws IOException {
        assertThat(previous.getParent()).isEqualTo(dataDir);
        assertThat(previous.getFileName().toString()).startsWith("device.replaced-");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(previous))).isEqualTo("rwx------");
        assertThat(Pem.encodePrivateKey(Pem.privateKey(Files.readString(previous.resolve("device-key.pem")))))
                .isEqualTo(Pem.encodePrivateKey(old.deviceKey()));
        assertThat(Files.readString(previous.resolve("device.properties"))).contains(old.deviceId().toString());
    }

    private Path onlyReplacedDirectory() throws IOException {
        List<Path> replaced = replacedDirectories();
        assertThat(replaced).hasSize(1);
        return replaced.get(0);
    }

    private List<Path> replacedDirectories() throws IOException {
        try (Stream<Path> entries = Files.list(dataDir)) {
            return entries.filter(path -> path.getFileName().toString().startsWith(EnrolledDevice.REPLACED_PREFIX))
                    .toList();
        }
    }

    /** The test's spans (xterm) the server stored for {@code device}, in the order it stored them. */
    private List<Span> sentBy(UUID device) {
        return server.stored().stream().filter(stored -> stored.deviceId().equals(device))
                .map(Stored::batch).flatMap(batch -> batch.spans().stream())
                .filter(span -> span.activity().application().equals("xterm")).toList();
    }

    private SpanBuffer buffer() {
        return SpanBuffer.open(config.bufferFile(), config.buffer(), clock);
    }

    private Uploader uploader(EnrolledDevice device, SpanBuffer buffer) {
        return Uploader.create(new UploaderConfig(Duration.ofSeconds(1), 3, 100, Duration.ofMinutes(5)), buffer,
                device.organizationId(), device.deviceId(),
                BatchSealer.create(device.deviceKey(), device.organizationCertificate()),
                ServerClient.create(server.baseUri(), server.ca().certificate(), Duration.ofSeconds(10)), clock);
    }

    private static List<Span> spans(int from, int to) {
        List<Span> spans = new ArrayList<>();
        for (int i = from; i < to; i++) {
            spans.add(Span.of(T0.plusSeconds(3L * i), T0.plusSeconds(3L * i + 3),
                    Activity.active("xterm", "/usr/bin/xterm", Optional.empty())));
        }
        return spans;
    }

    private static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(ReplacementStep step) {
            super("simulated crash after " + step);
        }
    }

    /** A desktop where one other application is always in front (the agent's own spans are not the test's). */
    private static final class FixedProbe implements ForegroundProbe {
        @Override
        public Observation observe() {
            return Observation.of(Optional.of(new ForegroundWindow("fakeapp", Optional.empty(), OptionalLong.empty(),
                    Optional.empty())), Duration.ZERO);
        }

        @Override
        public void close() {
        }
    }
}
