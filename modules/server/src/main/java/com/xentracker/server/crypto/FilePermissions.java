package com.xentracker.server.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/** Files only their owner may read: keys, tokens. On file systems without POSIX permissions, plain files. */
public final class FilePermissions {

    private FilePermissions() {
    }

    /** Attributes for {@link Files#createFile} that make a file readable and writable by its owner only (600). */
    public static FileAttribute<?>[] ownerOnly(Path file) {
        return isPosix(file) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))} : new FileAttribute<?>[0];
    }

    /** Attributes for {@link Files#createDirectories} that make a directory the owner's only (700). */
    public static FileAttribute<?>[] ownerOnlyDirectory(Path directory) {
        return isPosix(directory) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------"))} : new FileAttribute<?>[0];
    }

    /**
     * Replaces {@code file} with {@code content}, mode 600. Written to a temporary file created 600 in the same
     * directory and moved into place, so the secret is never readable by others, not even for a moment, and a reader
     * never sees half a file.
     */
    public static void writeOwnerOnly(Path file, String content) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, ".xt-", ".tmp", ownerOnly(directory));
        try {
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    static boolean isPosix(Path file) {
        Path existing = file.toAbsolutePath();
        while (existing != null && Files.notExists(existing)) {
            existing = existing.getParent();
        }
        return existing != null && existing.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
