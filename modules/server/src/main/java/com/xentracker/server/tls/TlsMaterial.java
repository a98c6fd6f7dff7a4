package com.xentracker.server.tls;

import com.xentracker.server.ServerStartupException;
import com.xentracker.server.crypto.FilePermissions;
import com.xentracker.transport.pki.CertificateAuthority;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.pki.ServerIdentity;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS material in {@code data-dir/tls}, made on first start and kept:
 * {@code ca.pem} (readable by everyone: agents pin it), {@code ca-key.pem}, {@code server.pem} and
 * {@code server-key.pem} (keys 600). The CA stays for the life of the installation, since every agent pins it; the
 * server certificate is re-issued from it when the host names change or it nears its end.
 */
public final class TlsMaterial {

    private static final Logger LOG = LoggerFactory.getLogger(TlsMaterial.class);
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private final ServerIdentity identity;
    private final Path certificateAuthorityFile;

    private TlsMaterial(ServerIdentity identity, Path certificateAuthorityFile) {
        this.identity = identity;
        this.certificateAuthorityFile = certificateAuthorityFile;
    }

    /**
     * Loads the material from {@code directory}, creating what is missing. The server certificate names
     * {@code localhost}, 127.0.0.1, ::1, the public host names and the bind address when it is a specific address.
     */
    public static TlsMaterial loadOrCreate(Path directory, List<String> publicHostnames, String bindAddress,
            Clock clock) {
        Set<String> dns = new LinkedHashSet<>(List.of("localhost"));
        Set<String> ips = new LinkedHashSet<>(List.of("127.0.0.1", "::1"));
        for (String name : publicHostnames) {
            (isAddress(name) ? ips : dns).add(name);
        }
        if (isAddress(bindAddress) && !isWildcard(bindAddress)) {
            ips.add(bindAddress);
        }
        try {
            Files.createDirectories(directory);
            CertificateAuthority authority = loadOrCreateAuthority(directory, clock);
            ServerIdentity identity = loadOrIssueServer(directory, authority, List.copyOf(dns), List.copyOf(ips),
                    clock);
            return new TlsMaterial(identity, directory.resolve("ca.pem"));
        } catch (IOException e) {
            throw new ServerStartupException("the TLS material in " + directory + " cannot be read or written", e);
        }
    }

    public ServerIdentity identity() {
        return identity;
    }

    public X509Certificate certificateAuthority() {
        return identity.issuer();
    }

    public Path certificateAuthorityFile() {
        return certificateAuthorityFile;
    }

    private static CertificateAuthority loadOrCreateAuthority(Path directory, Clock clock) throws IOException {
        Path certificateFile = directory.resolve("ca.pem");
        Path keyFile = directory.resolve("ca-key.pem");
        if (Files.exists(certificateFile) && Files.exists(keyFile)) {
            CertificateAuthority authority = new CertificateAuthority(privateKey(keyFile), certificate(certificateFile));
            if (authority.certificate().getNotAfter().toInstant().isBefore(clock.instant().plus(RENEW_BEFORE))) {
                LOG.warn("The TLS certificate authority in {} expires on {}; agents pinning it will need a new one",
                        certificateFile, authority.certificate().getNotAfter().toInstant());
            }
            return authority;
        }
        if (Files.exists(certificateFile) || Files.exists(keyFile)) {
            // a new CA would silently break every agent that pinned the old one: better not to start
            throw new ServerStartupException("only one of " + certificateFile + " and " + keyFile + " exists; restore "
                    + "the other from a backup, or delete both to create a new CA (agents must then pin it again)", null);
        }
        CertificateAuthority authority = CertificateAuthority.generate("Xentracker server CA", clock);
        FilePermissions.writeOwnerOnly(keyFile, Pem.encodePrivateKey(authority.privateKey()));
        writePublic(certificateFile, Pem.encode(authority.certificate()));
        LOG.info("Created a TLS certificate authority; agents pin {}", certificateFile);
        return authority;
    }

    private static ServerIdentity loadOrIssueServer(Path directory, CertificateAuthority authority, List<String> dns,
            List<String> ips, Clock clock) throws IOException {
        Path certificateFile = directory.resolve("server.pem");
        Path keyFile = directory.resolve("server-key.pem");
        if (Files.exists(certificateFile) && Files.exists(keyFile)) {
            X509Certificate certificate = certificate(certificateFile);
            if (stillFits(certificate, authority, dns, ips, clock.instant())) {
                return new ServerIdentity(privateKey(keyFile), certificate, authority.certificate());
            }
            LOG.info("Re-issuing the server's TLS certificate (names changed, or it nears its end)");
        }
        ServerIdentity identity = authority.issueServerCertificate(dns, ips, clock);
        FilePermissions.writeOwnerOnly(keyFile, Pem.encodePrivateKey(identity.privateKey()));
        writePublic(certificateFile, Pem.encode(identity.certificate()));
        LOG.info("Issued the server's TLS certificate for {} and {}", dns, ips);
        return identity;
    }

    private static boolean stillFits(X509Certificate certificate, CertificateAuthority authority, List<String> dns,
            List<String> ips, Instant now) {
        if (!certificate.getIssuerX500Principal().equals(authority.certificate().getSubjectX500Principal())
                || certificate.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) {
            return false;
        }
        try {
            certificate.verify(authority.certificate().getPublicKey());
            Collection<List<?>> names = Objects.requireNonNullElse(certificate.getSubjectAlternativeNames(),
                    List.of());
            Set<String> haveDns = new HashSet<>();
            Set<InetAddress> haveIps = new HashSet<>();
            for (List<?> name : names) {
                int type = (Integer) name.get(0);
                if (type == SAN_DNS) {
                    haveDns.add(((String) name.get(1)).toLowerCase(Locale.ROOT));
                } else if (type == SAN_IP) {
                    haveIps.add(InetAddress.getByName((String) name.get(1)));
                }
            }
            Set<String> wantDns = new HashSet<>();
            dns.forEach(name -> wantDns.add(name.toLowerCase(Locale.ROOT)));
            Set<InetAddress> wantIps = new HashSet<>();
            for (String ip : ips) {
                wantIps.add(InetAddress.getByName(ip));
            }
            return haveDns.equals(wantDns) && haveIps.equals(wantIps);
        } catch (UnknownHostException | GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean isAddress(String name) {
        return IPV4.matcher(name).matches() || name.contains(":");
    }

    private static boolean isWildcard(String address) {
        return address.equals("0.0.0.0") || address.equals("::") || address.equals("0:0:0:0:0:0:0:0");
    }

    private static void writePublic(Path file, String pem) throws IOException {
        Files.writeString(file, pem, StandardCharsets.UTF_8);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // certificates are public: the local agent, running as another user, reads ca.pem to pin it
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private static X509Certificate certificate(Path file) throws IOException {
        return Pem.certificate(Files.readString(file, StandardCharsets.UTF_8));
    }

    private static PrivateKey privateKey(Path file) throws IOException {
        return Pem.privateKey(Files.readString(file, StandardCharsets.UTF_8));
    }
}
