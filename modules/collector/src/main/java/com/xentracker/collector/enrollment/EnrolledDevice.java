package com.xentracker.collector.enrollment;

import com.xentracker.collector.EnrollmentException;
import com.xentracker.transport.TransportException;
import com.xentracker.transport.client.ServerClient;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.KeyRotationProof;
import com.xentracker.transport.pki.Pem;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * This device's enrollment: who it is to the server, which server (pinned by its CA), the organization it encrypts
 * for, and its own signing key. Stored under {@code <data-dir>/device/}:
 * {@code device.properties}, {@code server-ca.pem}, {@code organization.pem} and {@code device-key.pem}; the key
 * file is created readable and writable by its owner only (0600), the directory 0700.
 *
 * <p>Re-enrollment ({@link #stageReplacement}, {@link #finishReplacement}) writes the new identity completely into
 * {@code device.next/}, then moves {@code device/} aside to {@code device.replaced-<UTC time>/} (kept, with its key,
 * for forensics; never deleted by the agent) and renames {@code device.next/} to {@code device/}. Interrupted
 * anywhere, the next {@link #finishReplacement} completes it: {@code device.next/} exists only complete.
 *
 * @param deviceId                this device's id at the server
 * @param organizationId          the organization's id
 * @param organizationName        its display name
 * @param serverUri               the server's base URI
 * @param serverCa                the CA certificate the server's TLS certificate must chain to (pinned)
 * @param organizationCertificate the organization's key-agreement certificate; batches are encrypted to it
 * @param deviceKey               this device's Ed25519 signing key; it never leaves the device
 */
public record EnrolledDevice(UUID deviceId, UUID organizationId, String organizationName, URI serverUri,
        X509Certificate serverCa, X509Certificate organizationCertificate, PrivateKey deviceKey) {

    static final String DIRECTORY = "device";
    private static final String PROPERTIES = "device.properties";
    private static final String SERVER_CA = "server-ca.pem";
    private static final String ORGANIZATION = "organization.pem";
    private static final String DEVICE_KEY = "device-key.pem";
    /** A rotation in progress: the new key, until the server has switched to it. */
    private static final String NEXT_DEVICE_KEY = "device-key.next.pem";
    /** A replacement identity, complete, waiting to be put in place of {@link #DIRECTORY}. */
    static final String NEXT_DIRECTORY = "device.next";
    /** Prefix of a replaced identity's directory; the UTC time of the replacement follows. */
    static final String REPLACED_PREFIX = "device.replaced-";
    private static final DateTimeFormatter REPLACED_AT = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    public EnrolledDevice {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(organizationName, "organizationName");
        Objects.requireNonNull(serverUri, "serverUri");
        Objects.requireNonNull(serverCa, "serverCa");
        Objects.requireNonNull(organizationCertificate, "organizationCertificate");
        Objects.requireNonNull(deviceKey, "deviceKey");
    }

    /**
     * The enrollment stored in {@code dataDir}; empty when the device has not been enrolled there.
     *
     * @throws EnrollmentException when an enrollment is there but cannot be read
     */
    public static Optional<EnrolledDevice> load(Path dataDir) {
        Path directory = directory(dataDir);
        if (!Files.isRegularFile(directory.resolve(PROPERTIES))) {
            return Optional.empty();
        }
        try {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(directory.resolve(PROPERTIES), StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
            return Optional.of(new EnrolledDevice(
                    UUID.fromString(required(properties, "device-id")),
                    UUID.fromString(required(properties, "organization-id")),
                    required(properties, "organization-name"),
                    URI.create(required(properties, "server-uri")),
                    Pem.certificate(Files.readString(directory.resolve(SERVER_CA), StandardCharsets.US_ASCII)),
                    Pem.certificate(Files.readString(directory.resolve(ORGANIZATION), StandardCharsets.US_ASCII)),
                    Pem.privateKey(Files.readString(directory.resolve(DEVICE_KEY), StandardCharsets.US_ASCII))));
        } catch (IOException | IllegalArgumentException | TransportException e) {
            // no file content in the message: the key file is among them
            throw new EnrollmentException("the enrollment in " + directory + " cannot be read ("
                    + e.getClass().getSimpleName() + "); enroll again as a new device with `enroll --replace` and a"
                    + " new token (the damaged enrollment is kept aside)", e);
        }
    }

    /**
     * The device id stored in {@code dataDir}, read on its own: it is there even when the rest of an enrollment
     * cannot be read (a damaged key, which is a reason to re-enroll). Empty when there is none or it is unreadable.
     */
    public static Optional<UUID> storedDeviceId(Path dataDir) {
        Path file = directory(dataDir).resolve(PROPERTIES);
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Properties properties = new Properties();
            properties.load(reader);
            return Optional.of(UUID.fromString(required(properties, "device-id")));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether a key rotation was started and not finished (the new key is stored beside the old one): the server may
     * already expect the new key. {@link #rotateKey} with the same data directory finishes it.
     */
    public static boolean keyRotationUnfinished(Path dataDir) {
        return Files.exists(directory(dataDir).resolve(NEXT_DEVICE_KEY));
    }

    /**
     * Replaces the device's signing key: a new Ed25519 key is generated on the device and stored beside the old one
     * (0600), the server is asked to switch, proven with both keys; only when it agreed does the new key replace the
     * old file (renamed over it). Interrupted anywhere, calling it again finishes it with the same new key (the
     * server answers a repeated rotation like the first).
     *
     * <p>The caller must make sure no batch sealed with the old key is sent afterwards: call
     * {@code SpanBuffer.forgetSealedBytes()} <em>before</em> (the agent does so for an interrupted rotation), since the
     * server refuses such a batch as {@code bad-signature}.
     *
     * @return the enrollment with the new key
     * @throws com.xentracker.transport.TransportException when the server cannot be reached or refuses; the new key
     *                                                     stays beside the old one for the next attempt
     */
    public EnrolledDevice rotateKey(Path dataDir, ServerClient client) {
        Objects.requireNonNull(client, "client");
        Path next = directory(dataDir).resolve(NEXT_DEVICE_KEY);
        try {
            PrivateKey newKey;
            if (Files.exists(next)) {
                newKey = Pem.privateKey(Files.readString(next, StandardCharsets.US_ASCII));
            } else {
                newKey = DeviceKeys.generate().getPrivate();
                writeOwnerOnly(next, Pem.encodePrivateKey(newKey));
            }
            KeyPair newPair = new KeyPair(DeviceKeys.publicKeyOf(newKey), newKey);
            client.rotateDeviceKey(KeyRotationProof.create(deviceId, deviceKey, newPair));
            // the server uses the new key from now on: make it ours (one rename; a crash before it repeats the call)
            Files.move(next, directory(dataDir).resolve(DEVICE_KEY), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            return new EnrolledDevice(deviceId, organizationId, organizationName, serverUri, serverCa,
                    organizationCertificate, newKey);
        } catch (IOException e) {
            throw new EnrollmentException("cannot store the new device key in " + directory(dataDir) + ": "
                    + e.getMessage(), e);
        }
    }

    /** Whether {@code dataDir} holds an enrollment (or something in its place). */
    static boolean existsIn(Path dataDir) {
        return Files.exists(directory(dataDir));
    }

    /**
     * Whether a re-enrollment was interrupted after its new identity was stored: {@link #finishReplacement} puts it
     * in place (the agent's {@code run} and {@code enroll --replace} do so first).
     */
    public static boolean replacementUnfinished(Path dataDir) {
        return Files.exists(Objects.requireNonNull(dataDir, "dataDir").resolve(NEXT_DIRECTORY));
    }

    /**
     * Stores this enrollment in {@code dataDir}: written completely into a temporary directory, then renamed into
     * place, so an interrupted enrollment never leaves a half-written one.
     *
     * @throws EnrollmentException when {@code dataDir} already holds an enrollment or cannot be written
     */
    void save(Path dataDir) {
        Path target = directory(dataDir);
        if (Files.exists(target)) {
            throw new EnrollmentException("this device is already enrolled (" + target + ")");
        }
        writeInto(dataDir, target);
    }

    /**
     * Stores this enrollment as the replacement of the one in {@code dataDir}, in {@code device.next/}, complete
     * (written into a temporary directory and renamed); {@link #finishReplacement} then puts it in place.
     *
     * @throws EnrollmentException when a replacement waits there already or it cannot be written
     */
    void stageReplacement(Path dataDir) {
        Path target = Objects.requireNonNull(dataDir, "dataDir").resolve(NEXT_DIRECTORY);
        if (Files.exists(target)) {
            throw new EnrollmentException("a re-enrollment waits in " + target + " already; finish it first");
        }
        writeInto(dataDir, target);
    }

    /**
     * Puts a staged replacement in place, if there is one: moves {@code device/} aside to
     * {@code device.replaced-<UTC time>/} (owner only), then renames {@code device.next/} to {@code device/}. Each
     * step is one rename, so a crash between them leaves a state this method finishes when called again. The caller
     * must keep agents off the data directory meanwhile.
     *
     * @param at the time that names the replaced identity's directory
     * @return the identity now in place and where the replaced one was kept; empty when nothing waited
     * @throws EnrollmentException when the directories cannot be renamed
     */
    public static Optional<Replacement> finishReplacement(Path dataDir, Instant at) {
        return finishReplacement(dataDir, at, step -> { });
    }

    /** {@link #finishReplacement(Path, Instant)}, telling {@code afterStep} each durable step (tests crash there). */
    static Optional<Replacement> finishReplacement(Path dataDir, Instant at, Consumer<ReplacementStep> afterStep) {
        Objects.requireNonNull(at, "at");
        Path next = Objects.requireNonNull(dataDir, "dataDir").resolve(NEXT_DIRECTORY);
        if (!Files.isDirectory(next)) {
            return Optional.empty();
        }
        Path current = directory(dataDir);
        Optional<Path> previous = Optional.empty();
        try {
            if (Files.exists(current)) {
                Path aside = unusedAside(dataDir, at);
                // never deleted: the old key and identity stay for forensics (which device signed what, and when)
                Files.move(current, aside, StandardCopyOption.ATOMIC_MOVE);
                ownerOnly(aside);
                forceDirectory(dataDir);
                previous = Optional.of(aside);
                afterStep.accept(ReplacementStep.OLD_IDENTITY_MOVED_ASIDE);
            }
            Files.move(next, current, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory(dataDir);
            afterStep.accept(ReplacementStep.NEW_IDENTITY_IN_PLACE);
        } catch (IOException e) {
            throw new EnrollmentException("cannot put the new enrollment " + next + " in place of " + current + ": "
                    + e.getMessage(), e);
        }
        EnrolledDevice device = load(dataDir).orElseThrow(() -> new EnrollmentException("the new enrollment in "
                + current + " is incomplete"));
        return Optional.of(new Replacement(device, previous));
    }

    /** {@code device.replaced-<UTC time>}, with a counter when two replacements fall in one second. */
    private static Path unusedAside(Path dataDir, Instant at) {
        String name = REPLACED_PREFIX + REPLACED_AT.format(at);
        Path aside = dataDir.resolve(name);
        for (int i = 2; Files.exists(aside); i++) {
            aside = dataDir.resolve(name + "-" + i);
        }
        return aside;
    }

    private static void ownerOnly(Path directory) throws IOException {
        if (Files.getFileStore(directory).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(directory, OWNER_ONLY_DIRECTORY);
        }
    }

    /** Writes the enrollment into a temporary directory in {@code dataDir}, then renames it to {@code target}. */
    private void writeInto(Path dataDir, Path target) {
        Path staging = null;
        try {
            createPrivateDirectories(dataDir);
            staging = Files.createTempDirectory(dataDir, ".enrolling-",
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
            Properties properties = new Properties();
            properties.setProperty("device-id", deviceId.toString());
            properties.setProperty("organization-id", organizationId.toString());
            properties.setProperty("organization-name", organizationName);
            properties.setProperty("server-uri", serverUri.toString());
            StringWriter text = new StringWriter();
            properties.store(text, "Xentracker agent enrollment");
            writeDurably(staging.resolve(PROPERTIES), text.toString(), StandardCharsets.UTF_8, false);
            writeDurably(staging.resolve(SERVER_CA), Pem.encode(serverCa), StandardCharsets.US_ASCII, false);
            writeDurably(staging.resolve(ORGANIZATION), Pem.encode(organizationCertificate),
                    StandardCharsets.US_ASCII, false);
            writeDurably(staging.resolve(DEVICE_KEY), Pem.encodePrivateKey(deviceKey), StandardCharsets.US_ASCII,
                    true);
            // The server has enrolled this key and the token is spent: the files must be on disk before the rename
            // makes them the enrollment, or a power cut could leave an enrollment with an empty key file.
            forceDirectory(staging);
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                throw new EnrollmentException("cannot move the enrollment into " + target + ": " + e.getMessage(), e);
            }
            staging = null;
            forceDirectory(dataDir);
        } catch (IOException e) {
            throw new EnrollmentException("cannot store the enrollment in " + dataDir + ": " + e.getMessage(), e);
        } finally {
            if (staging != null) {
                deleteRecursively(staging);
            }
        }
    }

    /**
     * The organization rotated its encryption key: stores the new certificate (written beside the old one, then
     * renamed over it, so a crash leaves one or the other) and returns the enrollment with it.
     */
    public EnrolledDevice withOrganizationCertificate(Path dataDir, X509Certificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        Path target = directory(dataDir).resolve(ORGANIZATION);
        try {
            Path staging = Files.createTempFile(directory(dataDir), ".organization-", ".pem");
            Files.writeString(staging, Pem.encode(certificate), StandardCharsets.US_ASCII);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new EnrollmentException("cannot store the organization's new certificate in " + target + ": "
                    + e.getMessage(), e);
        }
        return new EnrolledDevice(deviceId, organizationId, organizationName, serverUri, serverCa, certificate,
                deviceKey);
    }

    /** Creates {@code directory} and missing parents, new ones accessible by the owner only. */
    private static void createPrivateDirectories(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
        }
    }

    @Override
    public String toString() {
        return "EnrolledDevice[deviceId=" + deviceId + ", organizationId=" + organizationId + ", organizationName="
                + organizationName + ", serverUri=" + serverUri + ", serverCa="
                + serverCa.getSubjectX500Principal() + ", deviceKey=***]";
    }

    private static Path directory(Path dataDir) {
        return Objects.requireNonNull(dataDir, "dataDir").resolve(DIRECTORY);
    }

    /**
     * The permission is part of the file's creation (open with CREATE_NEW and a 0600 attribute): there is no moment
     * at which the key is on disk and readable by others, as there would be with write-then-chmod.
     */
    private static void writeOwnerOnly(Path file, String content) throws IOException {
        writeDurably(file, content, StandardCharsets.US_ASCII, true);
    }

    /** Creates {@code file} (owner only when asked, from its creation on) and forces its content to the disk. */
    private static void writeDurably(Path file, String content, Charset charset, boolean ownerOnly)
            throws IOException {
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try (FileChannel channel = ownerOnly
                ? FileChannel.open(file, options, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE))
                : FileChannel.open(file, options)) {
            ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(charset));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
    }

    /**
     * Makes the renames in {@code directory} durable (fsync of the directory). Best effort: where a directory cannot
     * be opened (Windows), the file system orders the renames itself.
     */
    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // not supported here; nothing more can be done
        }
    }

    private static String required(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing " + key);
        }
        return value.strip();
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // best effort: a stale staging directory is ignored by load()
        }
    }
}
