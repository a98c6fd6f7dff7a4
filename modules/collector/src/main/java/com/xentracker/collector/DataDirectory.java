package com.xentracker.collector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;

/**
 * Checks that a data directory is this user's own before the device key and the recordings go into it.
 *
 * <p>Why: an installation may put every user's data directory into one shared parent ({@code data-dir =
 * /var/lib/xentracker-agent/%u}, a sticky directory anyone may create entries in). Another user could create the
 * directory first, writable for them, and then read or swap what the agent writes there. A directory that another
 * user owns, or that others may write to, is refused: the agent says why and does not start.
 */
public final class DataDirectory {

    private DataDirectory() {}

    /**
     * Passes when {@code dataDir} does not exist yet (it is created owner-only), or is owned by this process's user
     * and writable by no one else; also where the file system has no POSIX owners (nothing to check).
     *
     * @throws LocalStateException otherwise, naming the owner and what to do
     */
    public static void requireOwnPrivate(Path dataDir) {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(dataDir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        } catch (UnsupportedOperationException e) {
            return; // Windows: the profile's ACLs protect %LOCALAPPDATA%
        } catch (IOException e) {
            throw new LocalStateException("cannot check the data directory " + dataDir + ": " + e, e);
        }
        String user = System.getProperty("user.name");
        if (attributes.isSymbolicLink() || !attributes.isDirectory()) {
            throw new LocalStateException("the data directory " + dataDir + " is not a directory (a link or a file):"
                    + " refusing to keep this device's key and recordings there");
        }
        if (!attributes.owner().getName().equals(user)) {
            throw new LocalStateException("the data directory " + dataDir + " belongs to " + attributes.owner()
                    .getName() + ", not to " + user + ": refusing to keep this device's key and recordings there"
                    + " (remove it, or choose another data-dir)");
        }
        // group-writable is fine for a user-private group (the group of one user, named after them: umask 002)
        boolean othersWrite = attributes.permissions().contains(PosixFilePermission.OTHERS_WRITE)
                || attributes.permissions().contains(PosixFilePermission.GROUP_WRITE)
                && !attributes.group().getName().equals(user);
        if (othersWrite) {
            throw new LocalStateException("the data directory " + dataDir + " is writable by other users: refusing"
                    + " to keep this device's key and recordings there (chmod 700 it)");
        }
    }
}
