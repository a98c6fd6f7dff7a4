package com.xentracker.collector.policy;

import com.xentracker.collector.LocalStateException;
import com.xentracker.collector.PrivateTimeNotAllowedException;
import com.xentracker.core.policy.CollectionPolicy;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The employee's private time: a pause of collection they start and end themselves, where the organization's policy
 * allows it. While it lasts, the agent records only that the time was paused ({@code PAUSED}), nothing about the
 * desktop.
 *
 * <p>Kept as a small file, {@code private-time.properties}, in the data directory, so the command line ({@code
 * xentracker-agent pause}, a separate process) and the running agent share it: the agent looks at the file once per
 * poll (a {@code stat}; it re-reads the file only when it changed), so a pause takes effect within one poll interval.
 * Thread-safe.
 */
public final class PrivateTime {

    static final String FILE = "private-time.properties";
    /** Written for a pause without an end: it lasts until {@link #resume()}. */
    private static final String UNTIL_RESUMED = "until-resumed";
    private static final Logger LOG = LoggerFactory.getLogger(PrivateTime.class);

    private final Path file;
    private final Supplier<CollectionPolicy> policy;
    private final Clock clock;
    private Snapshot snapshot = Snapshot.NONE; // the file as last read, guarded by this

    /** What the file said when it had these attributes; {@code until} is empty when there was no (valid) pause. */
    private record Snapshot(Object fileKey, FileTime modified, long size, Optional<Instant> until) {
        static final Snapshot NONE = new Snapshot(null, null, -1, Optional.empty());

        boolean describes(BasicFileAttributes attributes) {
            return Objects.equals(fileKey, attributes.fileKey()) && attributes.lastModifiedTime().equals(modified)
                    && attributes.size() == size;
        }
    }

    private PrivateTime(Path file, Supplier<CollectionPolicy> policy, Clock clock) {
        this.file = file;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * The private time kept in {@code dataDir}.
     *
     * @param policy the organization's current policy (e.g. a {@link PolicyCache}); asked on every {@link #pause}
     */
    public static PrivateTime in(Path dataDir, Supplier<CollectionPolicy> policy, Clock clock) {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(clock, "clock");
        return new PrivateTime(dataDir.resolve(FILE), policy, clock);
    }

    /**
     * Starts private time now, replacing a pause in progress.
     *
     * @param length how long; empty for a pause that lasts until {@link #resume()}
     * @return when it ends; {@link Instant#MAX} for a pause until resumed
     * @throws PrivateTimeNotAllowedException when the organization's policy does not allow private time (nothing is
     *                                        written)
     * @throws IllegalArgumentException       when {@code length} is not positive
     * @throws LocalStateException            when the file cannot be written
     */
    public synchronized Instant pause(Optional<Duration> length) {
        Objects.requireNonNull(length, "length");
        length.ifPresent(duration -> {
            if (duration.isZero() || duration.isNegative()) {
                throw new IllegalArgumentException("the length of private time must be positive, got " + duration);
            }
        });
        CollectionPolicy current = policy.get();
        if (!current.privateTimeAllowed()) {
            throw new PrivateTimeNotAllowedException("your organization's collection policy"
                    + (current.version() == 0 ? " (its defaults, version 0)" : " (version " + current.version() + ")")
                    + " does not allow private time; recording continues as before");
        }
        Instant now = clock.instant();
        Instant until = length.map(now::plus).orElse(Instant.MAX);
        String text = "# Private time, started with `xentracker-agent pause`; `xentracker-agent resume` ends it.\n"
                + "paused-at=" + now + "\n"
                + "paused-until=" + (until.equals(Instant.MAX) ? UNTIL_RESUMED : until.toString()) + "\n";
        AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
        LOG.info("private time started, {}", until.equals(Instant.MAX) ? "until resumed" : "until " + until);
        return until;
    }

    /**
     * Ends private time now. Always allowed, also when the policy no longer allows private time.
     *
     * @return whether private time was on
     * @throws LocalStateException when the file cannot be removed
     */
    public synchronized boolean resume() {
        boolean wasPaused = pausedUntil().isPresent();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new LocalStateException("cannot remove " + file + ": " + e.getMessage(), e);
        }
        snapshot = Snapshot.NONE;
        if (wasPaused) {
            LOG.info("private time ended");
        }
        return wasPaused;
    }

    /**
     * When the private time in progress ends: {@link Instant#MAX} for a pause until resumed; empty when none is in
     * progress (never started, resumed, or its time is over). Whether the policy still allows private time is the
     * {@link PolicyEnforcer}'s question, not this one's.
     */
    public synchronized Optional<Instant> pausedUntil() {
        Optional<Instant> until = read();
        Instant now = clock.instant();
        return until.filter(end -> end.isAfter(now));
    }

    private Optional<Instant> read() {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            snapshot = Snapshot.NONE;
            return Optional.empty();
        } catch (IOException e) {
            LOG.warn("cannot look at {}: {}; treating it as no private time", file, e.getMessage());
            return Optional.empty();
        }
        if (snapshot.describes(attributes)) {
            return snapshot.until();
        }
        Optional<Instant> until = parse(attributes);
        snapshot = new Snapshot(attributes.fileKey(), attributes.lastModifiedTime(), attributes.size(), until);
        return until;
    }

    private Optional<Instant> parse(BasicFileAttributes attributes) {
        if (!attributes.isRegularFile()) {
            LOG.warn("{} is not a regular file; treating it as no private time", file);
            return Optional.empty();
        }
        try {
            Properties properties = new Properties();
            properties.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            String value = properties.getProperty("paused-until");
            if (value == null) {
                throw new IllegalArgumentException("paused-until is missing");
            }
            return Optional.of(value.strip().equals(UNTIL_RESUMED) ? Instant.MAX : Instant.parse(value.strip()));
        } catch (NoSuchFileException e) {
            return Optional.empty(); // resumed between the stat and the read
        } catch (IOException | IllegalArgumentException | DateTimeException e) {
            // written atomically by pause(), so this is not a half-written file but a damaged one
            LOG.warn("{} cannot be read ({}); treating it as no private time", file, e.getMessage());
            return Optional.empty();
        }
    }
}
