package com.xentracker.server.cli;

import com.xentracker.server.InvalidConfigurationException;
import com.xentracker.server.account.AccountServices;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The password of an owner the operator creates ({@code serve}'s first run, {@code organization create}): from the
 * {@value #VARIABLE} environment variable, or generated and printed once.
 */
final class OwnerPassword {

    static final String VARIABLE = "XT_OWNER_PASSWORD";

    private final char[] password;
    private final boolean generated;

    private OwnerPassword(char[] password, boolean generated) {
        this.password = password;
        this.generated = generated;
    }

    /**
     * The variable's password, checked before anything is created; or a generated one.
     *
     * @throws InvalidConfigurationException when the variable holds a password that is too short
     */
    static OwnerPassword fromEnvironment() {
        Optional<char[]> given = Optional.ofNullable(System.getenv(VARIABLE)).filter(p -> !p.isEmpty())
                .map(String::toCharArray);
        if (given.isPresent() && given.get().length < AccountServices.MIN_PASSWORD_LENGTH) {
            throw new InvalidConfigurationException(VARIABLE + " must have at least "
                    + AccountServices.MIN_PASSWORD_LENGTH + " characters");
        }
        return given.map(p -> new OwnerPassword(p, false)).orElseGet(() -> new OwnerPassword(generate(), true));
    }

    /** A copy for the server, which does not keep the array. */
    char[] value() {
        return password.clone();
    }

    /** Tells the operator how the owner signs in; a generated password is printed here, once. */
    void tell(PrintWriter out, String email) {
        if (generated) {
            // printed once, to the terminal only (never to the log); the server keeps only its Argon2id hash
            out.println("Sign in as " + email + " with this password, shown only now: " + new String(password));
        } else {
            out.println("Sign in as " + email + " with the password from " + VARIABLE + ".");
        }
    }

    /** {@link #tell(PrintWriter, String)} on a stream. */
    void tell(PrintStream out, String email) {
        PrintWriter writer = new PrintWriter(out, true);
        tell(writer, email);
        writer.flush();
    }

    /** 144 random bits, base64url: 24 characters. */
    private static char[] generate() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
    }
}
