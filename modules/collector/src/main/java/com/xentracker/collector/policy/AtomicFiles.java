package com.xentracker.collector.policy;

import com.xentracker.collector.LocalStateException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Replaces small state files so that a reader (the agent, another CLI process) sees the old or the new file, whole. */
final class AtomicFiles {

    private AtomicFiles() {}

    /**
     * Writes {@code content} to a temporary file next to {@code target}, forces it to disk, then renames it over
     * {@code target}. A crash or power cut at any moment leaves the previous file or the new one, never a torn one;
     * a concurrent reader never sees a partly written file.
     */
    static void write(Path target, byte[] content) {
        Path directory = target.toAbsolutePath().getParent();
        Path temporary = null;
        try {
            Files.createDirectories(directory);
            temporary = Files.createTempFile(directory, "." + target.getFileName() + ".", ".tmp");
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true); // the content is on disk before the rename can be
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            temporary = null;
            forceDirectory(directory);
        } catch (IOException e) {
            throw new LocalStateException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    // a stray temporary file is harmless; it is never read
                }
            }
        }
    }

    /** Makes the rename itself durable where the platform allows opening a directory (POSIX); elsewhere a no-op. */
    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open directories; NTFS journals the rename itself
        }
    }
}
