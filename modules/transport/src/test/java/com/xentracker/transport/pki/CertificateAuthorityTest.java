package com.xentracker.transport.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.transport.InvalidKeyMaterialException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {

    private static final Instant NOW = Instant.parse("2026-11-29T09:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final int KEY_AGREEMENT = 4;
    private static final int KEY_CERT_SIGN = 5;

    @Test
    void organizationKeyIsASelfSignedP256KeyAgreementCertificateForTenYears() throws Exception {
        OrganizationKey organization = OrganizationKey.generate("Acme Corp", CLOCK);
        X509Certificate certificate = organization.certificate();

        assertThat(certificate.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(certificate.getSubjectX500Principal().getName()).contains("CN=Acme Corp");
        assertThat(certificate.getKeyUsage()).containsExactly(false, false, false, false, true, false, false, false,
                false);
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(certificate.getNotBefore().toInstant()).isEqualTo(NOW.minusSeconds(3600));
        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(Instant.parse("2036-11-29T09:00:00Z"));
        certificate.verify(certificate.getPublicKey());
        assertThat(organization.toString()).doesNotContain(organization.privateKey().toString());
    }

    @Test
    void caMayIssueServerCertificatesButNoIntermediates() throws Exception {
        CertificateAuthority ca = CertificateAuthority.generate("Acme TLS CA", CLOCK);
        X509Certificate certificate = ca.certificate();

        assertThat(certificate.getBasicConstraints()).isZero();
        assertThat(certificate.getKeyUsage()[KEY_CERT_SIGN]).isTrue();
        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(Instant.parse("2036-11-29T09:00:00Z"));
        certificate.verify(certificate.getPublicKey());
    }

    @Test
    void serverCertificateNamesItsHostsAndIsOnlyForTlsServers() throws Exception {
        CertificateAuthority ca = CertificateAuthority.generate("Acme TLS CA", CLOCK);

        ServerIdentity server = ca.issueServerCertificate(List.of("xentracker.acme.example", "localhost"),
                List.of("127.0.0.1", "::1"), CLOCK);
        X509Certificate certificate = server.certificate();

        assertThat(certificate.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "xentracker.acme.example"), List.of(2, "localhost"), List.of(7, "127.0.0.1"),
                List.of(7, "0:0:0:0:0:0:0:1"));
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(certificate.getKeyUsage()[KEY_AGREEMENT]).isFalse();
        assertThat(certificate.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(Instant.parse("2028-11-29T09:00:00Z"));
        assertThat(server.issuer()).isEqualTo(ca.certificate());
        certificate.verify(ca.certificate().getPublicKey());
    }

    @Test
    void theJdkValidatesTheServerChainAgainstTheCa() throws Exception {
        CertificateAuthority ca = CertificateAuthority.generate("Acme TLS CA", CLOCK);
        ServerIdentity server = ca.issueServerCertificate(List.of("localhost"), List.of(), CLOCK);
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca.certificate(), null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(NOW));

        assertThatCode(() -> CertPathValidator.getInstance("PKIX")
                .validate(factory.generateCertPath(List.of(server.certificate())), parameters))
                .doesNotThrowAnyException();
    }

    @Test
    void serverCertificateNeverOutlivesItsCa() {
        CertificateAuthority ca = CertificateAuthority.generate("Old CA", CLOCK);
        Clock nineAndAHalfYearsLater = Clock.fixed(Instant.parse("2036-05-29T09:00:00Z"), ZoneOffset.UTC);

        ServerIdentity server = ca.issueServerCertificate(List.of("localhost"), List.of(), nineAndAHalfYearsLater);

        assertThat(server.certificate().getNotAfter()).isEqualTo(ca.certificate().getNotAfter());
    }

    @Test
    void aServerCertificateNeedsAName() {
        CertificateAuthority ca = CertificateAuthority.generate("Acme TLS CA", CLOCK);

        assertThatThrownBy(() -> ca.issueServerCertificate(List.of(), List.of(), CLOCK))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ca.issueServerCertificate(List.of(), List.of("localhost"), CLOCK))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IP address");
        assertThatThrownBy(() -> ca.issueServerCertificate(List.of("bad name!"), List.of(), CLOCK))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DNS name");
    }

    @Test
    void keyStoreHoldsTheKeyWithTheChain() throws Exception {
        CertificateAuthority ca = CertificateAuthority.generate("Acme TLS CA", CLOCK);
        ServerIdentity server = ca.issueServerCertificate(List.of("localhost"), List.of(), CLOCK);
        char[] password = "changeit".toCharArray();

        KeyStore store = server.toKeyStore("server", password);

        assertThat(store.getType()).isEqualToIgnoringCase("PKCS12");
        assertThat(store.getCertificateChain("server")).containsExactly(server.certificate(), ca.certificate());
        assertThat(((PrivateKey) store.getKey("server", password)).getEncoded())
                .isEqualTo(server.privateKey().getEncoded());
    }

    @Test
    void pinnedContextOffersOnlyTls13And12AndChecksHostNames() {
        CertificateAuthority ca = CertificateAuthority.generate("Acme TLS CA", CLOCK);

        SSLContext context = PinnedTrust.trusting(ca.certificate());
        SSLEngine engine = context.createSSLEngine("localhost", 443);

        assertThat(context.getDefaultSSLParameters().getProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        assertThat(engine.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        assertThat(engine.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
    }

    @Test
    void onlyACaCertificateCanBePinned() {
        CertificateAuthority ca = CertificateAuthority.generate("Acme TLS CA", CLOCK);
        ServerIdentity server = ca.issueServerCertificate(List.of("localhost"), List.of(), CLOCK);

        assertThatThrownBy(() -> PinnedTrust.trusting(server.certificate()))
                .isInstanceOf(InvalidKeyMaterialException.class);
    }
}
