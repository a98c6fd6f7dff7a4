package com.xentracker.server.crypto;

import com.xentracker.server.ServerStartupException;
import com.xentracker.server.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's 32-byte master key, kept in a file of its own, and AES-256-GCM under it.
 *
 * <p>Why: organization private keys decrypt every batch ever uploaded. Storing them encrypted under a key that lives
 * outside the database means a database dump or backup alone does not reveal them; the key file is created with
 * permissions 600 so that only the server's user can read it, and it can be put on another volume than the
 * database ({@code master-key-file}).
 *
 * <p>Sealed format: version byte 1, a random 12-byte nonce, then ciphertext with a 128-bit tag. The caller's context
 * (e.g. the organization id) is authenticated as associated data, so a sealed value copied to another row does not
 * decrypt.
 */
public final class MasterKey {

    private static final Logger LOG = LoggerFactory.getLogger(MasterKey.class);
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte VERSION = 1;

    private final SecretKeySpec key;
    private final SecureRandom random;

    private MasterKey(byte[] key, SecureRandom random) {
        this.key = new SecretKeySpec(key, "AES");
        this.random = random;
        Arrays.fill(key, (byte) 0);
    }

    /** Reads the key file, creating it with 32 random bytes and permissions 600 when it does not exist. */
    public static MasterKey loadOrCreate(Path file, SecureRandom random) {
        try {
            if (Files.notExists(file)) {
                create(file, random);
            }
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length != KEY_BYTES) {
                throw new ServerStartupException("the master key file " + file + " must hold exactly " + KEY_BYTES
                        + " bytes; it holds " + bytes.length, null);
            }
            warnIfOthersCanRead(file);
            return new MasterKey(bytes, random);
        } catch (IOException e) {
            throw new ServerStartupException("the master key file " + file + " cannot be read or created", e);
        }
    }

    /** Encrypts {@code plaintext}, binding it to {@code context}. */
    public byte[] seal(byte[] plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, context);
            byte[] ciphertext = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE_BYTES + ciphertext.length).put(VERSION).put(nonce).put(ciphertext)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /**
     * Decrypts a value made by {@link #seal}.
     *
     * @throws StorageException when the value was sealed under another key or context, or was altered
     */
    public byte[] open(byte[] sealed, String context) {
        if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new StorageException("a sealed value is malformed", null);
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOfRange(sealed, 1, 1 + NONCE_BYTES), context);
            return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new StorageException("a sealed value does not decrypt under this master key (wrong key file?)", e);
        }
    }

    /** A secret derived for one purpose (HMAC-SHA256 of the purpose), so that one key file serves several needs. */
    public byte[] derive(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String context) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    private static void create(Path file, SecureRandom random) throws IOException {
        byte[] bytes = new byte[KEY_BYTES];
        random.nextBytes(bytes);
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
            // created with 600 from the start: there is no moment at which another user could open it
            Files.write(Files.createFile(file, FilePermissions.ownerOnly(file)), bytes);
            LOG.info("Created a new master key in {}; back it up apart from the database", file);
        } catch (FileAlreadyExistsException raced) {
            // another process created it between our check and now: use theirs
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static void warnIfOthersCanRead(Path file) throws IOException {
        if (FilePermissions.isPosix(file)) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("The master key file {} can be read by other users; run chmod 600 on it", file);
            }
        }
    }
}
