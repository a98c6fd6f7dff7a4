package com.xentracker.transport.envelope;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.transport.InvalidKeyMaterialException;
import com.xentracker.transport.UnableToOpenBatchException;
import com.xentracker.transport.UnableToOpenBatchException.Reason;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.OrganizationKey;
import com.xentracker.transport.pki.Pem;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.UUID;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;

/**
 * Seal and open with real keys. The malicious envelopes are built by hand here, with Bouncy Castle directly, so
 * they do not depend on the sealer behaving.
 */
class BatchEnvelopeTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T09:00:00Z"), ZoneOffset.UTC);
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final OrganizationKey ORGANIZATION = OrganizationKey.generate("Acme", CLOCK);
    private static final byte[] PAYLOAD = "{\"spans\":[\"a batch\"]}".getBytes(UTF_8);

    private static final UUID ORGANIZATION_ID = UUID.randomUUID();
    private static final UUID DEVICE_ID = UUID.randomUUID();
    private static final long SEQUENCE = 7;
    private static final BatchBinding BINDING = new BatchBinding(ORGANIZATION_ID, DEVICE_ID, SEQUENCE,
            UUID.randomUUID());

    private final KeyPair device = DeviceKeys.generate();
    private final BatchSealer sealer = BatchSealer.create(device.getPrivate(), ORGANIZATION.certificate());
    private final BatchOpener opener = BatchOpener.create(ORGANIZATION.privateKey(), ORGANIZATION.certificate());

    @Test
    void aSealedBatchOpensToItsPayload() {
        byte[] sealed = sealer.seal(PAYLOAD, BINDING);

        assertThat(open(opener, sealed, device.getPublic())).isEqualTo(PAYLOAD);
    }

    @Test
    void theSealedFormIsAuthEnvelopedAes256GcmAroundSignedData() throws Exception {
        ContentInfo info = ContentInfo.getInstance(ASN1Primitive.fromByteArray(sealer.seal(PAYLOAD, BINDING)));
        AuthEnvelopedData envelope = AuthEnvelopedData.getInstance(info.getContent());

        assertThat(info.getContentType()).isEqualTo(CMSObjectIdentifiers.authEnvelopedData);
        assertThat(envelope.getAuthEncryptedContentInfo().getContentEncryptionAlgorithm().getAlgorithm())
                .isEqualTo(CMSAlgorithm.AES256_GCM);
        assertThat(envelope.getAuthEncryptedContentInfo().getContentType()).isEqualTo(CMSObjectIdentifiers.signedData);
        assertThat(new String(sealer.seal(PAYLOAD, BINDING), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("a batch");
    }

    @Test
    void everySealUsesAFreshEphemeralKey() throws Exception {
        byte[] first = sealer.seal(PAYLOAD, BINDING);
        byte[] second = sealer.seal(PAYLOAD, BINDING);

        assertThat(originatorKey(first)).isNotEqualTo(originatorKey(second));
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void keysStoredAsPemOpenAndVerify() {
        // the server keeps its organization key and each device's public key as PEM
        BatchOpener fromPem = BatchOpener.create(Pem.privateKey(Pem.encodePrivateKey(ORGANIZATION.privateKey())));
        PublicKey deviceFromPem = Pem.publicKey(Pem.encodePublicKey(device.getPublic()));

        assertThat(open(fromPem, sealer.seal(PAYLOAD, BINDING), deviceFromPem)).isEqualTo(PAYLOAD);
    }

    @Test
    void anEmptyPayloadRoundTrips() {
        assertThat(open(opener, sealer.seal(new byte[0], BINDING), device.getPublic())).isEmpty();
    }

    @Test
    void aFlippedCiphertextByteIsRefused() throws Exception {
        byte[] sealed = sealer.seal(PAYLOAD, BINDING);
        byte[] ciphertext = AuthEnvelopedData.getInstance(ContentInfo.getInstance(
                ASN1Primitive.fromByteArray(sealed)).getContent()).getAuthEncryptedContentInfo().getEncryptedContent()
                .getOctets();
        int at = indexOf(sealed, ciphertext) + ciphertext.length / 2;

        sealed[at] ^= 0x01;

        assertThatThrownBy(() -> open(opener, sealed, device.getPublic()))
                .isInstanceOf(UnableToOpenBatchException.class);
    }

    @Test
    void aFlippedTagByteIsRefused() {
        byte[] sealed = sealer.seal(PAYLOAD, BINDING);

        sealed[sealed.length - 1] ^= 0x01; // the MAC is the last field

        assertThatThrownBy(() -> open(opener, sealed, device.getPublic()))
                .isInstanceOf(UnableToOpenBatchException.class);
    }

    @Test
    void aTruncatedBatchIsRefused() {
        byte[] sealed = sealer.seal(PAYLOAD, BINDING);

        assertThatThrownBy(() -> open(opener, Arrays.copyOf(sealed, sealed.length - 10), device.getPublic()))
                .isInstanceOf(UnableToOpenBatchException.class);
    }

    @Test
    void garbageIsRefused() {
        assertThatThrownBy(() -> open(opener, PAYLOAD, device.getPublic()))
                .isInstanceOf(UnableToOpenBatchException.class);
        assertThatThrownBy(() -> open(opener, new byte[0], device.getPublic()))
                .isInstanceOf(UnableToOpenBatchException.class);
    }

    @Test
    void anotherOrganizationsKeyCannotOpenTheBatch() {
        OrganizationKey other = OrganizationKey.generate("Other", CLOCK);

        byte[] sealed = sealer.seal(PAYLOAD, BINDING);

        assertThatThrownBy(() -> open(BatchOpener.create(other.privateKey()), sealed, device.getPublic()))
                .isInstanceOf(UnableToOpenBatchException.class);
    }

    @Test
    void aBatchSignedByAnotherDeviceIsRefused() {
        KeyPair otherDevice = DeviceKeys.generate();

        byte[] sealed = BatchSealer.create(otherDevice.getPrivate(), ORGANIZATION.certificate()).seal(PAYLOAD, BINDING);

        assertThat(open(opener, sealed, otherDevice.getPublic())).isEqualTo(PAYLOAD);
        assertThatThrownBy(() -> open(opener, sealed, device.getPublic()))
                .isInstanceOf(UnableToOpenBatchException.class).hasMessageContaining("another key");
    }

    @Test
    void aSignerThatClaimsTheDevicesKeyIdentifierButSignsWithAnotherKeyIsRefused() throws Exception {
        KeyPair forger = DeviceKeys.generate();
        byte[] signedData = signedData(PAYLOAD, true, new Signer(forger.getPrivate(), device.getPublic()));

        byte[] sealed = seal(signedData, CMSAlgorithm.AES256_GCM);

        assertThatThrownBy(() -> open(opener, sealed, device.getPublic()))
                .isInstanceOf(UnableToOpenBatchException.class).hasMessageContaining("does not verify");
    }

    @Test
    void aHandBuiltEnvelopeWithOneCorrectSignerOpens() throws Exception {
        // the positive control for the hand-built cases below
        byte[] signedData = signedData(PAYLOAD, true, new Signer(device.getPrivate(), device.getPublic()));

        assertThat(open(opener, seal(signedData, CMSAlgorithm.AES256_GCM), device.getPublic())).isEqualTo(PAYLOAD);
    }

    @Test
    void aSignedDataWithoutSignersIsRefused() throws Exception {
        byte[] sealed = seal(signedData(PAYLOAD, true), CMSAlgorithm.AES256_GCM);

        assertThatThrownBy(() -> open(opener, sealed, device.getPublic()))
                .isInstanceOf(UnableToOpenBatchException.class).hasMessageContaining("exactly one signer, found 0");
    }

    @Test
    void aSignedDataWithTwoSignersIsRefusedEvenIfOneIsTheDevice() throws Exception {
        KeyPair other = DeviceKeys.generate();
        byte[] signedData = signedData(PAYLOAD, true, new Signer(device.getPrivate(), device.getPublic()),
                new Signer(other.getPrivate(), other.getPublic()));

        byte[] sealed = seal(signedData, CMSAlgorithm.AES256_GCM);

        assertThatThrownBy(() -> open(opener, sealed, device.getPublic()))
                .isInstanceOf(UnableToOpenBatchException.class).hasMessageContaining("exactly one signer, found 2");
    }

    @Test
    void aDetachedSignatureIsRefused() throws Exception {
        byte[] signedData = signedData(PAYLOAD, false, new Signer(device.getPrivate(), device.getPublic()));

        byte[] sealed = seal(signedData, CMSAlgorithm.AES256_GCM);

        assertThatThrownBy(() -> open(opener, sealed, device.getPublic()))
                .isInstanceOf(UnableToOpenBatchException.class).hasMessageContaining("encapsulate");
    }

    @Test
    void aWeakerContentCipherIsRefused() throws Exception {
        byte[] signedData = signedData(PAYLOAD, true, new Signer(device.getPrivate(), device.getPublic()));

        byte[] sealed = seal(signedData, CMSAlgorithm.AES128_GCM);

        assertThatThrownBy(() -> open(opener, sealed, device.getPublic()))
                .isInstanceOf(UnableToOpenBatchException.class).hasMessageContaining("only AES-256-GCM");
    }

    @Test
    void keysOfTheWrongKindAreRefusedUpFront() {
        assertThatThrownBy(() -> BatchSealer.create(ORGANIZATION.privateKey(), ORGANIZATION.certificate()))
                .isInstanceOf(InvalidKeyMaterialException.class).hasMessageContaining("Ed25519");
        assertThatThrownBy(() -> BatchOpener.create(device.getPrivate()))
                .isInstanceOf(InvalidKeyMaterialException.class).hasMessageContaining("P-256");
        assertThatThrownBy(() -> open(opener, sealer.seal(PAYLOAD, BINDING), ORGANIZATION.certificate().getPublicKey()))
                .isInstanceOf(InvalidKeyMaterialException.class);
    }

    @Test
    void aCertificateNotMeantForKeyAgreementIsRefused() {
        X509Certificate tlsCa = com.xentracker.transport.pki.CertificateAuthority.generate("CA", CLOCK).certificate();

        assertThatThrownBy(() -> BatchSealer.create(device.getPrivate(), tlsCa))
                .isInstanceOf(InvalidKeyMaterialException.class).hasMessageContaining("key agreement");
    }

    @Test
    void theOpenedBatchCarriesTheSignedBinding() {
        OpenedBatch opened = opener.open(sealer.seal(PAYLOAD, BINDING), device.getPublic(), ORGANIZATION_ID,
                DEVICE_ID, SEQUENCE);

        assertThat(opened.binding()).isEqualTo(BINDING);
        assertThat(opened.payload()).isEqualTo(PAYLOAD);
    }

    @Test
    void aBatchReplayedUnderAnotherSequenceDeviceOrOrganizationIsRefused() {
        byte[] sealed = sealer.seal(PAYLOAD, BINDING);

        assertThatThrownBy(() -> opener.open(sealed, device.getPublic(), ORGANIZATION_ID, DEVICE_ID, SEQUENCE + 1))
                .isInstanceOf(UnableToOpenBatchException.class).extracting(e -> reason(e))
                .isEqualTo(Reason.BINDING_MISMATCH);
        assertThatThrownBy(() -> opener.open(sealed, device.getPublic(), ORGANIZATION_ID, UUID.randomUUID(),
                SEQUENCE)).extracting(e -> reason(e)).isEqualTo(Reason.BINDING_MISMATCH);
        assertThatThrownBy(() -> opener.open(sealed, device.getPublic(), UUID.randomUUID(), DEVICE_ID, SEQUENCE))
                .extracting(e -> reason(e)).isEqualTo(Reason.BINDING_MISMATCH);
    }

    @Test
    void eachTamperingIsRefusedWithItsReason() throws Exception {
        byte[] sealed = sealer.seal(PAYLOAD, BINDING);
        byte[] flipped = sealed.clone();
        flipped[flipped.length - 1] ^= 0x01;
        KeyPair other = DeviceKeys.generate();

        assertThat(reasonOfOpening(flipped)).isEqualTo(Reason.DECRYPTION_FAILED);
        assertThat(reasonOfOpening(Arrays.copyOf(sealed, sealed.length / 2))).isEqualTo(Reason.MALFORMED);
        assertThat(reasonOfOpening(BatchSealer.create(other.getPrivate(), ORGANIZATION.certificate())
                .seal(PAYLOAD, BINDING))).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(reasonOfOpening(seal(signedData(PAYLOAD, true), CMSAlgorithm.AES256_GCM)))
                .isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(reasonOfOpening(seal(signedData(PAYLOAD, true, new Signer(device.getPrivate(), device.getPublic()),
                new Signer(other.getPrivate(), other.getPublic())), CMSAlgorithm.AES256_GCM)))
                .isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(reasonOfOpening(seal(signedData(PAYLOAD, true, new Signer(device.getPrivate(),
                device.getPublic())), CMSAlgorithm.AES128_GCM))).isEqualTo(Reason.ALGORITHM_NOT_ALLOWED);
    }

    @Test
    void aBatchSealedToAnotherOrganizationIsAnUnknownKeyForAnOpenerThatKnowsItsCertificate() {
        OrganizationKey other = OrganizationKey.generate("Other", CLOCK);
        byte[] sealed = BatchSealer.create(device.getPrivate(), other.certificate()).seal(PAYLOAD, BINDING);

        assertThat(reasonOfOpening(sealed)).isEqualTo(Reason.UNKNOWN_KEY_ID);
        assertThat(open(BatchOpener.create(other.privateKey(), other.certificate()), sealed, device.getPublic()))
                .isEqualTo(PAYLOAD);
    }

    @Test
    void theSignedPayloadIsCompressed() {
        byte[] json = "{\"start\":\"2026-11-29T09:00:00Z\",\"application\":\"xterm\"},".repeat(500)
                .getBytes(UTF_8);

        byte[] sealed = sealer.seal(json, BINDING);

        assertThat(sealed.length).isLessThan(json.length / 5);
        assertThat(open(opener, sealed, device.getPublic())).isEqualTo(json);
    }

    @Test
    void aZipBombIsStoppedAtThePayloadLimit() {
        byte[] zeros = new byte[2 * 1024 * 1024]; // deflates to about 2 KiB
        byte[] sealed = sealer.seal(zeros, BINDING);

        BatchOpener limited = BatchOpener.create(ORGANIZATION.privateKey(), ORGANIZATION.certificate())
                .withLimits(1024 * 1024, 1024 * 1024);

        assertThat(sealed.length).isLessThan(64 * 1024);
        assertThatThrownBy(() -> open(limited, sealed, device.getPublic()))
                .isInstanceOf(UnableToOpenBatchException.class).extracting(e -> reason(e))
                .isEqualTo(Reason.TOO_LARGE);
    }

    @Test
    void anOversizedSealedBatchIsRefusedBeforeParsing() {
        BatchOpener limited = opener.withLimits(100, 1024);

        // garbage of the right size would be MALFORMED; over the limit, it is refused for its size alone
        assertThatThrownBy(() -> open(limited, new byte[101], device.getPublic()))
                .extracting(e -> reason(e)).isEqualTo(Reason.TOO_LARGE);
    }

    private Reason reasonOfOpening(byte[] sealed) {
        try {
            open(opener, sealed, device.getPublic());
        } catch (UnableToOpenBatchException e) {
            return e.reason();
        }
        throw new AssertionError("the batch opened");
    }

    private static Reason reason(Throwable e) {
        return ((UnableToOpenBatchException) e).reason();
    }

    /** Opens for the test's organization, device and sequence; returns the payload. */
    private static byte[] open(BatchOpener opener, byte[] sealed, PublicKey signer) {
        return opener.open(sealed, signer, ORGANIZATION_ID, DEVICE_ID, SEQUENCE).payload();
    }

    private record Signer(PrivateKey key, PublicKey claimedKey) {}

    /** A DER SignedData (no ContentInfo) with the given signers, each named by its claimed key's identifier. */
    private static byte[] signedData(byte[] payload, boolean encapsulate, Signer... signers) throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        for (Signer signer : signers) {
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(BC).build())
                    .setSignedAttributeGenerator(BatchSealer.withoutSigningTime(BatchAttributes.of(BINDING)))
                    .build(new JcaContentSignerBuilder("Ed25519").setProvider(BC).build(signer.key()),
                            utils.createSubjectKeyIdentifier(signer.claimedKey()).getKeyIdentifier()));
        }
        return generator.generate(new CMSProcessableByteArray(CMSObjectIdentifiers.compressedData,
                        BatchSealer.compress(payload)), encapsulate).toASN1Structure().getContent()
                .toASN1Primitive().getEncoded(ASN1Encoding.DER);
    }

    /** AuthEnvelopedData for the organization, as a sealer would build it but with a chosen content cipher. */
    private static byte[] seal(byte[] signedData, org.bouncycastle.asn1.ASN1ObjectIdentifier cipher)
            throws Exception {
        KeyPair ephemeral = KeyChecks.freshP256();
        JceKeyAgreeRecipientInfoGenerator recipient = new JceKeyAgreeRecipientInfoGenerator(
                CMSAlgorithm.ECDH_SHA256KDF, ephemeral.getPrivate(), ephemeral.getPublic(), CMSAlgorithm.AES256_WRAP);
        recipient.addRecipient(ORGANIZATION.certificate()).setProvider(BC);
        CMSAuthEnvelopedDataGenerator generator = new CMSAuthEnvelopedDataGenerator();
        generator.addRecipientInfoGenerator(recipient);
        generator.setAuthenticatedAttributeGenerator(BatchSealer.SIGNED_DATA_CONTENT_TYPE);
        OutputAEADEncryptor encryptor = (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(cipher)
                .setProvider(BC).build();
        // in DER, as a sealer writes it: the opener refuses any other encoding before looking further
        return generator.generate(new CMSProcessableByteArray(CMSObjectIdentifiers.signedData, signedData), encryptor)
                .toASN1Structure().getEncoded(ASN1Encoding.DER);
    }

    private static byte[] originatorKey(byte[] sealed) throws Exception {
        var envelope = new org.bouncycastle.cms.CMSAuthEnvelopedData(sealed);
        var recipient = (org.bouncycastle.cms.KeyAgreeRecipientInformation) envelope.getRecipientInfos()
                .getRecipients().iterator().next();
        return recipient.getOriginator().getOriginatorKey().getPublicKeyData().getBytes();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
