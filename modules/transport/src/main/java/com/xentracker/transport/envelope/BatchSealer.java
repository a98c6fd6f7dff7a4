package com.xentracker.transport.envelope;

import com.xentracker.transport.InvalidKeyMaterialException;
import com.xentracker.transport.UnableToSealBatchException;
import com.xentracker.transport.internal.Crypto;
import java.io.IOException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAttributeTableGenerator;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSCompressedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.ZlibCompressor;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Seals batches on the device: sign, then encrypt.
 *
 * <p>The result is DER: a CMS {@code AuthEnvelopedData} (RFC 5083) whose encrypted content is a CMS
 * {@code SignedData} (RFC 5652) that encapsulates a CMS {@code CompressedData} (RFC 3274, zlib) of the payload,
 * signed with the device's Ed25519 key (RFC 8419) and identified by its subject key identifier. The
 * {@link BatchBinding} (organization, device, sequence, batch id) travels as signed attributes.
 *
 * <p>Compress, sign, encrypt: compression must come before encryption (ciphertext does not compress), and JSON
 * span batches shrink several-fold. Compressing secret data next to attacker-chosen data can leak it through the
 * length (CRIME/BREACH); a batch holds only what this device recorded, nobody else injects text into it, and the
 * sealed size is visible anyway, so the length reveals no more than "how much activity". Content encryption is AES-256-GCM with a 128-bit tag;
 * the content key is wrapped with AES-256 key wrap under a key agreed by ECDH (P-256, X9.63 KDF with SHA-256)
 * between a fresh ephemeral key and the organization's certificate.
 *
 * <p>Sign-then-encrypt: the signature is hidden from anyone but the organization, and the server checks the
 * device's signature over exactly the bytes it will store. Thread-safe; every call uses fresh keys and nonces.
 */
public final class BatchSealer {

    private final PrivateKey deviceSigningKey;
    private final byte[] deviceKeyIdentifier;
    private final X509Certificate organizationCertificate;

    private BatchSealer(PrivateKey deviceSigningKey, byte[] deviceKeyIdentifier,
            X509Certificate organizationCertificate) {
        this.deviceSigningKey = deviceSigningKey;
        this.deviceKeyIdentifier = deviceKeyIdentifier;
        this.organizationCertificate = organizationCertificate;
    }

    /**
     * @param deviceSigningKey        the device's Ed25519 private key (see {@code DeviceKeys})
     * @param organizationCertificate the organization's EC P-256 key-agreement certificate, received at enrollment
     * @throws InvalidKeyMaterialException when a key has the wrong type
     */
    public static BatchSealer create(PrivateKey deviceSigningKey, X509Certificate organizationCertificate) {
        Objects.requireNonNull(deviceSigningKey, "deviceSigningKey");
        Objects.requireNonNull(organizationCertificate, "organizationCertificate");
        KeyChecks.requireOrganizationCertificate(organizationCertificate);
        return new BatchSealer(deviceSigningKey, KeyChecks.identifierOfDeviceKey(deviceSigningKey),
                organizationCertificate);
    }

    /**
     * Compresses, signs and encrypts {@code payload}, bound to {@code binding}; returns the DER encoding of the CMS
     * AuthEnvelopedData.
     */
    public byte[] seal(byte[] payload, BatchBinding binding) {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(binding, "binding");
        return encrypt(sign(compress(payload), binding, deviceSigningKey, deviceKeyIdentifier),
                organizationCertificate);
    }

    /** A sealer with the same device key for another organization certificate (after a key rotation). */
    public BatchSealer withOrganizationCertificate(X509Certificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        KeyChecks.requireOrganizationCertificate(certificate);
        return new BatchSealer(deviceSigningKey, deviceKeyIdentifier, certificate);
    }

    /** The certificate this sealer encrypts to. */
    public X509Certificate organizationCertificate() {
        return organizationCertificate;
    }

    /** A DER CompressedData (not wrapped in a ContentInfo) of {@code payload}, zlib. */
    static byte[] compress(byte[] payload) {
        try {
            return new CMSCompressedDataGenerator().generate(new CMSProcessableByteArray(payload),
                    new ZlibCompressor()).toASN1Structure().getContent().toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (CMSException | IOException e) {
            throw new UnableToSealBatchException("cannot compress the batch", e);
        }
    }

    /**
     * A DER SignedData (not wrapped in a ContentInfo) with one Ed25519 signer, the binding as signed attributes and
     * the CompressedData encapsulated.
     */
    static byte[] sign(byte[] compressedData, BatchBinding binding, PrivateKey signingKey, byte[] keyIdentifier) {
        try {
            ContentSigner signer = new JcaContentSignerBuilder("Ed25519").setProvider(Crypto.PROVIDER).build(signingKey);
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(Crypto.PROVIDER).build())
                    .setSignedAttributeGenerator(withoutSigningTime(BatchAttributes.of(binding)))
                    .build(signer, keyIdentifier));
            CMSSignedData signed = generator.generate(
                    new CMSProcessableByteArray(CMSObjectIdentifiers.compressedData, compressedData), true);
            return signed.toASN1Structure().getContent().toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (OperatorCreationException | CMSException | IOException e) {
            throw new UnableToSealBatchException("cannot sign the batch", e);
        }
    }

    /** Encrypts a DER SignedData for the organization; returns the DER AuthEnvelopedData ContentInfo. */
    static byte[] encrypt(byte[] signedData, X509Certificate organizationCertificate) {
        try {
            // A fresh ephemeral key per message (ephemeral-static ECDH), discarded right after: the key-encryption
            // key differs for every batch, and the device holds no long-term encryption secret whose theft would
            // let anyone decrypt batches captured earlier. Only the organization's private key can open them.
            KeyPair ephemeral = KeyChecks.freshP256();
            JceKeyAgreeRecipientInfoGenerator recipient = new JceKeyAgreeRecipientInfoGenerator(
                    CMSAlgorithm.ECDH_SHA256KDF, ephemeral.getPrivate(), ephemeral.getPublic(),
                    CMSAlgorithm.AES256_WRAP);
            recipient.addRecipient(organizationCertificate);
            recipient.setProvider(Crypto.PROVIDER);
            recipient.setSecureRandom(Crypto.random());

            OutputAEADEncryptor encryptor = (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(
                    CMSAlgorithm.AES256_GCM).setProvider(Crypto.PROVIDER).setSecureRandom(Crypto.random()).build();
            CMSAuthEnvelopedDataGenerator generator = new CMSAuthEnvelopedDataGenerator();
            generator.addRecipientInfoGenerator(recipient);
            // RFC 5083 §2.1: content other than id-data needs authenticated attributes with its content type. GCM
            // authenticates them, which binds the (otherwise unauthenticated) content type to the ciphertext.
            generator.setAuthenticatedAttributeGenerator(SIGNED_DATA_CONTENT_TYPE);
            // content type id-signedData: the encrypted bytes are a SignedData, as RFC 5652 §5.2 nests it
            return generator.generate(new CMSProcessableByteArray(CMSObjectIdentifiers.signedData, signedData),
                    encryptor).toASN1Structure().getEncoded(ASN1Encoding.DER);
        } catch (CertificateEncodingException | CMSException | IOException e) {
            throw new UnableToSealBatchException("cannot encrypt the batch", e);
        }
    }

    static final CMSAttributeTableGenerator SIGNED_DATA_CONTENT_TYPE = parameters -> new AttributeTable(
            new Attribute(CMSAttributes.contentType, new DERSet(CMSObjectIdentifiers.signedData)));

    /**
     * Content type, message digest and the binding. BC would add a signing time read from the system clock
     * (bypassing the injected Clock convention); the batch carries its own timestamps, so it would add nothing but
     * bytes.
     */
    static CMSAttributeTableGenerator withoutSigningTime(AttributeTable binding) {
        return parameters -> new DefaultSignedAttributeTableGenerator(binding).getAttributes(parameters)
                .remove(CMSAttributes.signingTime);
    }
}
