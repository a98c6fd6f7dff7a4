package com.xentracker.collector.enrollment;

import com.xentracker.collector.LocalStateException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * The silent enrollment's failed attempts so far, kept in the data directory ({@value #FILE}) for {@code status}
 * until an attempt succeeds.
 *
 * @param attempts     how many attempts failed
 * @param firstAttempt when the first one was made
 * @param lastAttempt  when the last one was made
 * @param server       the server it tried (empty when none was configured)
 * @param errorCode    the server's error code, when it refused
 * @param reason       why it failed, in plain words (never a token)
 * @param nextAttempt  when the running agent tries again
 */
public record EnrollmentAttempts(int attempts, Instant firstAttempt, Instant lastAttempt, String server,
        Optional<String> errorCode, String reason, Instant nextAttempt) {

    static final String FILE = "enrollment-attempts.properties";

    public EnrollmentAttempts {
        Objects.requireNonNull(firstAttempt, "firstAttempt");
        Objects.requireNonNull(lastAttempt, "lastAttempt");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(errorCode, "errorCode");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(nextAttempt, "nextAttempt");
    }

    /** The attempts noted in {@code dataDir}; empty when none failed (or the last one succeeded). */
    public static Optional<EnrollmentAttempts> read(Path dataDir) {
        Properties properties = new Properties();
        try (Reader reader = new StringReader(Files.readString(dataDir.resolve(FILE), StandardCharsets.UTF_8))) {
            properties.load(reader);
            return Optional.of(new EnrollmentAttempts(Integer.parseInt(properties.getProperty("attempts")),
                    Instant.parse(properties.getProperty("first-attempt")),
                    Instant.parse(properties.getProperty("last-attempt")), properties.getProperty("server", ""),
                    Optional.ofNullable(properties.getProperty("error-code")),
                    properties.getProperty("reason", ""), Instant.parse(properties.getProperty("next-attempt"))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            // a damaged note only loses the count: the next attempt writes a new one
            return Optional.empty();
        }
    }

    void write(Path dataDir) {
        Properties properties = new Properties();
        properties.setProperty("attempts", Integer.toString(attempts));
        properties.setProperty("first-attempt", firstAttempt.toString());
        properties.setProperty("last-attempt", lastAttempt.toString());
        properties.setProperty("server", server);
        errorCode.ifPresent(code -> properties.setProperty("error-code", code));
        properties.setProperty("reason", reason);
        properties.setProperty("next-attempt", nextAttempt.toString());
        try {
            // the data directory is the user's own (0700): the device key goes there once enrolled
            Files.createDirectories(dataDir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            java.io.StringWriter text = new java.io.StringWriter();
            properties.store(text, "Silent enrollment: failed attempts (status shows them); removed once enrolled");
            // a note for status, not state the agent depends on: a plain replace is enough (a torn note reads as none)
            Path temporary = Files.createTempFile(dataDir, "." + FILE + ".", ".tmp");
            Files.writeString(temporary, text.toString(), StandardCharsets.UTF_8);
            Files.move(temporary, dataDir.resolve(FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UnsupportedOperationException e) {
            throw new LocalStateException("cannot note the enrollment attempt in " + dataDir + ": " + e, e);
        }
    }

    static void clear(Path dataDir) {
        try {
            Files.deleteIfExists(dataDir.resolve(FILE));
        } catch (IOException e) {
            // harmless: status prefers the enrollment, once there is one
        }
    }

    /** Whether the next attempt is due at {@code now}. */
    public boolean due(Instant now) {
        return !now.isBefore(nextAttempt);
    }
}
