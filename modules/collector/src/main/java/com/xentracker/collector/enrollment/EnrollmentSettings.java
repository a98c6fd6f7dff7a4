package com.xentracker.collector.enrollment;

import com.xentracker.collector.InvalidConfigException;
import com.xentracker.transport.TransportException;
import com.xentracker.transport.pki.Pem;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a device that is not enrolled yet enrolls without asking anyone: the server, its pinned CA and the one-time
 * token, as an installer or MDM writes them into the system configuration ({@code /etc/xentracker/agent.conf}).
 *
 * <p>Keys: {@code server-url} ({@code https://…}), the CA as {@code server-ca-file} (a PEM file) or {@code server-ca}
 * (the PEM text, or its base64 body on one line, for an MSI property), and the token as {@code enrollment-token-file}
 * or {@code enrollment-token}. A value wins over the file of the same thing only where both come from the same
 * place; the configuration layers decide which place wins.
 *
 * <p>The token is a secret: {@link #describe()} masks it, and no message repeats it.
 *
 * @param serverUrl  the server's base URL
 * @param serverCa   the CA, as a file or as text
 * @param token      the token, as a file or as text
 */
public record EnrollmentSettings(Optional<URI> serverUrl, Optional<Source> serverCa, Optional<Source> token) {

    public static final String SERVER_URL = "server-url";
    public static final String SERVER_CA_FILE = "server-ca-file";
    public static final String SERVER_CA = "server-ca";
    public static final String TOKEN_FILE = "enrollment-token-file";
    public static final String TOKEN = "enrollment-token";
    /** Every key, in the order {@link #describe()} lists them. */
    public static final List<String> KEYS = List.of(SERVER_URL, SERVER_CA_FILE, SERVER_CA, TOKEN_FILE, TOKEN);

    private static final Pattern BASE64_LINE = Pattern.compile("[A-Za-z0-9+/=]+");

    /** A file to read, or the value itself. */
    public sealed interface Source permits FromFile, Inline {
    }

    /** Read from this file each time it is needed (an administrator may replace it meanwhile). */
    public record FromFile(Path file) implements Source {
        public FromFile {
            Objects.requireNonNull(file, "file");
        }
    }

    /** The value as written in the configuration. */
    public record Inline(String text) implements Source {
        public Inline {
            Objects.requireNonNull(text, "text");
        }

        /** Never the text: the inline token is a secret. */
        @Override
        public String toString() {
            return "Inline[****]";
        }
    }

    public EnrollmentSettings {
        Objects.requireNonNull(serverUrl, SERVER_URL);
        Objects.requireNonNull(serverCa, SERVER_CA);
        Objects.requireNonNull(token, TOKEN);
    }

    /** Nothing configured: the device is enrolled by hand with {@code enroll}. */
    public static EnrollmentSettings none() {
        return new EnrollmentSettings(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * These settings with one key replaced; an empty value removes the setting.
     *
     * @throws InvalidConfigException for a server URL that is not {@code https://host…}, or an unknown key
     */
    public EnrollmentSettings with(String key, String value) {
        Objects.requireNonNull(value, "value");
        String v = value.strip();
        return switch (key) {
            case SERVER_URL -> new EnrollmentSettings(v.isEmpty() ? Optional.empty() : Optional.of(serverUri(v)),
                    serverCa, token);
            case SERVER_CA_FILE -> new EnrollmentSettings(serverUrl, source(v, true), token);
            case SERVER_CA -> new EnrollmentSettings(serverUrl, source(v, false), token);
            case TOKEN_FILE -> new EnrollmentSettings(serverUrl, serverCa, source(v, true));
            case TOKEN -> new EnrollmentSettings(serverUrl, serverCa, source(v, false));
            default -> throw new InvalidConfigException("unknown enrollment key '" + key + "'");
        };
    }

    /** Whether the server, its CA and a token are all configured: a device can enroll without asking. */
    public boolean complete() {
        return missing().isEmpty();
    }

    /** The settings a silent enrollment still lacks, by key. */
    public List<String> missing() {
        List<String> missing = new ArrayList<>();
        if (serverUrl.isEmpty()) {
            missing.add(SERVER_URL);
        }
        if (serverCa.isEmpty()) {
            missing.add(SERVER_CA_FILE + " or " + SERVER_CA);
        }
        if (token.isEmpty()) {
            missing.add(TOKEN_FILE + " or " + TOKEN);
        }
        return missing;
    }

    /**
     * The CA certificate, read now.
     *
     * @throws InvalidConfigException when it is not configured, cannot be read or is not a certificate
     */
    public X509Certificate readServerCa() {
        Source source = serverCa.orElseThrow(() -> new InvalidConfigException(SERVER_CA_FILE + " is not configured"));
        String text = read(source, SERVER_CA_FILE).strip();
        if (!text.startsWith("-----BEGIN") && BASE64_LINE.matcher(text).matches()) {
            // the base64 body on one line, as an MSI property or a one-line configuration value carries it
            text = "-----BEGIN CERTIFICATE-----\n" + text + "\n-----END CERTIFICATE-----\n";
        }
        try {
            return Pem.certificate(text);
        } catch (TransportException e) {
            throw new InvalidConfigException(describe(source, SERVER_CA_FILE, SERVER_CA)
                    + " is not a PEM certificate: " + e.getMessage(), e);
        }
    }

    /**
     * The token, read now (an administrator may have replaced the file since the last attempt).
     *
     * @throws InvalidConfigException when it is not configured, cannot be read or is empty
     */
    public String readToken() {
        Source source = token.orElseThrow(() -> new InvalidConfigException(TOKEN_FILE + " is not configured"));
        String text = read(source, TOKEN_FILE).strip();
        if (text.isEmpty()) {
            throw new InvalidConfigException(describe(source, TOKEN_FILE, TOKEN) + " is empty");
        }
        return text;
    }

    /** Key to value for the effective configuration; an inline token shows as {@code ****}, an inline CA briefly. */
    public Map<String, String> describe() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(SERVER_URL, serverUrl.map(URI::toString).orElse("(none)"));
        map.put(SERVER_CA_FILE, serverCa.filter(FromFile.class::isInstance).map(s -> ((FromFile) s).file().toString())
                .orElse("(none)"));
        map.put(SERVER_CA, serverCa.filter(Inline.class::isInstance).map(s -> "(a certificate)").orElse("(none)"));
        map.put(TOKEN_FILE, token.filter(FromFile.class::isInstance).map(s -> ((FromFile) s).file().toString())
                .orElse("(none)"));
        map.put(TOKEN, token.filter(Inline.class::isInstance).map(s -> "****").orElse("(none)"));
        return map;
    }

    private static String describe(Source source, String fileKey, String valueKey) {
        return source instanceof FromFile file ? fileKey + " " + file.file() : valueKey;
    }

    private static Optional<Source> source(String value, boolean file) {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(file ? new FromFile(Path.of(value)) : new Inline(value));
    }

    private static String read(Source source, String key) {
        if (source instanceof Inline inline) {
            return inline.text();
        }
        Path file = ((FromFile) source).file();
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // the exception's text names the file and the reason, never its content
            throw new InvalidConfigException("cannot read " + key + " " + file + ": " + e, e);
        }
    }

    /** An {@code https://host[:port]} URL. */
    public static URI serverUri(String value) {
        try {
            URI uri = new URI(value.strip());
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                throw new InvalidConfigException(SERVER_URL + " must be an https:// URL, got " + value);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new InvalidConfigException(SERVER_URL + " is not a valid URL: " + value, e);
        }
    }
}
