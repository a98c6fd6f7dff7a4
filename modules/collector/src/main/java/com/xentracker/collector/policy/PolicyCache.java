package com.xentracker.collector.policy;

import com.xentracker.collector.LocalStateException;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.transport.TransportException;
import com.xentracker.transport.wire.WireCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The organization's collection policy as this device last received it, cached in the data directory
 * ({@code policy.json}, in the JSON the server sends) so that it applies from the first sample after a restart, also
 * while the server is unreachable.
 *
 * <p>Starts from {@link CollectionPolicy#defaults()} (version 0) when nothing is cached. A policy from the server
 * replaces the cached one only if its version is higher, so a delayed or replayed answer can never bring back an
 * older policy. The file is replaced atomically. Thread-safe: the recorder reads {@link #current()} every poll while
 * the uploader may {@link #offer(CollectionPolicy)} a new one.
 */
public final class PolicyCache implements Supplier<CollectionPolicy> {

    static final String FILE = "policy.json";
    private static final Logger LOG = LoggerFactory.getLogger(PolicyCache.class);
    private static final WireCodec CODEC = WireCodec.create();

    private final Path file;
    private volatile CollectionPolicy current;

    private PolicyCache(Path file, CollectionPolicy current) {
        this.file = file;
        this.current = current;
    }

    /**
     * The cache in {@code dataDir}: the cached policy, or the defaults when there is none. A cache file that cannot
     * be read is moved aside ({@code policy.json.unreadable}) and the defaults apply until the server sends the
     * policy again; the agent still starts, because refusing to start would lose all activity.
     */
    public static PolicyCache open(Path dataDir) {
        Objects.requireNonNull(dataDir, "dataDir");
        Path file = dataDir.resolve(FILE);
        CollectionPolicy policy = CollectionPolicy.defaults();
        try {
            policy = CODEC.decode(Files.readAllBytes(file), CollectionPolicy.class);
        } catch (NoSuchFileException e) {
            LOG.debug("no cached collection policy in {}; the defaults apply", dataDir);
        } catch (IOException | TransportException e) {
            LOG.error("the cached collection policy {} cannot be read ({}); the defaults apply until the server sends"
                    + " the policy again", file, e.getMessage());
            moveAside(file);
        }
        return new PolicyCache(file, policy);
    }

    /** The policy that applies now. */
    public CollectionPolicy current() {
        return current;
    }

    /** Same as {@link #current()}, so the cache can be handed around as the source of the current policy. */
    @Override
    public CollectionPolicy get() {
        return current;
    }

    /**
     * Takes a policy from the server: applies and caches it if its version is higher than the current one.
     *
     * @return whether it replaced the current policy; false for the same or an older version
     * @throws LocalStateException when the new policy could not be cached; it applies in this process regardless
     */
    public synchronized boolean offer(CollectionPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        CollectionPolicy previous = current;
        if (policy.version() <= previous.version()) {
            if (policy.version() < previous.version()) {
                LOG.info("ignored collection policy version {}: version {} is newer", policy.version(),
                        previous.version());
            } else if (!Files.exists(file)) {
                // the same version, first heard from the server (version 0 at enrollment: the organization's
                // defaults): cached, so that status can tell "the server's version 0" from "nothing received yet"
                AtomicFiles.write(file, CODEC.encode(policy));
            }
            return false;
        }
        // The organization's decision takes effect at once, even if the disk is full: apply first, then persist.
        current = policy;
        LOG.info("collection policy version {} replaces version {}", policy.version(), previous.version());
        AtomicFiles.write(file, CODEC.encode(policy));
        return true;
    }

    /** Whether a policy from the server is cached: false until the enrollment's (or an upload receipt's) came. */
    public boolean received() {
        return Files.exists(file);
    }

    /** The cache file. */
    public Path file() {
        return file;
    }

    private static void moveAside(Path file) {
        try {
            Files.move(file, file.resolveSibling(file.getFileName() + ".unreadable"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("cannot move the unreadable policy cache {} aside: {}", file, e.getMessage());
        }
    }
}
