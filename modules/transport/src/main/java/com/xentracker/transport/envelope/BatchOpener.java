package com.xentracker.transport.envelope;

import com.xentracker.transport.InvalidKeyMaterialException;
import com.xentracker.transport.UnableToOpenBatchException;
import com.xentracker.transport.UnableToOpenBatchException.Reason;
import com.xentracker.transport.internal.Crypto;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.UUID;
import java.util.zip.InflaterInputStream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.cms.CompressedData;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSCompressedDataGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSTypedData;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.SignerId;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeAuthEnvelopedRecipient;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.util.Arrays;

/**
 * Opens batches on the server: decrypt with the organization's key, then verify the device's signature. Every
 * failure — malformed DER, another algorithm, tampering, another recipient, another signer — is an
 * {@link UnableToOpenBatchException}; its message says which check failed but never contains payload bytes.
 * Thread-safe.
 */
public final class BatchOpener {

    /**
     * 128 bits: GCM tags may legally be as short as 32 bits, and an attacker may forge a short-tag message with
     * about 2^tagbits tries; we always send full tags, so a shorter tag is a downgrade and is refused.
     */
    static final int MINIMUM_TAG_BITS = 128;

    /** Default limit of a sealed batch: what the server's HTTP layer accepts. */
    public static final int DEFAULT_MAX_SEALED_BYTES = 8 * 1024 * 1024;
    /**
     * Default limit of the decompressed payload: a zlib stream expands up to about 1000:1, so an 8 MiB "batch" could
     * otherwise inflate to gigabytes (a zip bomb). 64 MiB is far above any real batch (500 spans ≈ 150 KB of JSON).
     */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;
    /** RFC 3274 id-alg-zlibCompress, the only compression accepted. */
    private static final ASN1ObjectIdentifier ZLIB = new ASN1ObjectIdentifier(CMSCompressedDataGenerator.ZLIB);

    private final PrivateKey organizationPrivateKey;
    private final X509CertificateHolder organizationCertificate; // null: any recipient id is tried with the key
    private final int maxSealedBytes;
    private final int maxPayloadBytes;

    private BatchOpener(PrivateKey organizationPrivateKey, X509CertificateHolder organizationCertificate,
            int maxSealedBytes, int maxPayloadBytes) {
        this.organizationPrivateKey = organizationPrivateKey;
        this.organizationCertificate = organizationCertificate;
        this.maxSealedBytes = maxSealedBytes;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /**
     * An opener that cannot tell "sealed to another key" from tampering; prefer
     * {@link #create(PrivateKey, X509Certificate)}.
     *
     * @param organizationPrivateKey the organization's EC P-256 private key
     */
    public static BatchOpener create(PrivateKey organizationPrivateKey) {
        Objects.requireNonNull(organizationPrivateKey, "organizationPrivateKey");
        KeyChecks.requireOrganizationPrivateKey(organizationPrivateKey);
        return new BatchOpener(organizationPrivateKey, null, DEFAULT_MAX_SEALED_BYTES, DEFAULT_MAX_PAYLOAD_BYTES);
    }

    /**
     * An opener that first checks that the batch names {@code organizationCertificate} as its recipient, so that a
     * batch sealed to another (for example a rotated) key is refused as {@code UNKNOWN_KEY_ID}, not as tampered.
     */
    public static BatchOpener create(PrivateKey organizationPrivateKey, X509Certificate organizationCertificate) {
        Objects.requireNonNull(organizationPrivateKey, "organizationPrivateKey");
        Objects.requireNonNull(organizationCertificate, "organizationCertificate");
        KeyChecks.requireOrganizationPrivateKey(organizationPrivateKey);
        KeyChecks.requireOrganizationCertificate(organizationCertificate);
        try {
            return new BatchOpener(organizationPrivateKey, new JcaX509CertificateHolder(organizationCertificate),
                    DEFAULT_MAX_SEALED_BYTES, DEFAULT_MAX_PAYLOAD_BYTES);
        } catch (CertificateEncodingException e) {
            throw new InvalidKeyMaterialException("the organization certificate cannot be encoded", e);
        }
    }

    /** The same opener with other size limits (sealed bytes checked before parsing; payload while inflating). */
    public BatchOpener withLimits(int maxSealedBytes, int maxPayloadBytes) {
        if (maxSealedBytes <= 0 || maxPayloadBytes <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        return new BatchOpener(organizationPrivateKey, organizationCertificate, maxSealedBytes, maxPayloadBytes);
    }

    /**
     * Decrypts {@code sealed} and returns the payload if and only if it was signed by {@code expectedSigner} and
     * bound to this organization, device and sequence.
     *
     * @param expectedSigner the Ed25519 public key the device registered at enrollment
     * @throws UnableToOpenBatchException with the {@link Reason} of the first check that failed
     */
    public OpenedBatch open(byte[] sealed, PublicKey expectedSigner, UUID organizationId, UUID deviceId,
            long sequence) {
        Objects.requireNonNull(sealed, "sealed");
        Objects.requireNonNull(expectedSigner, "expectedSigner");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(deviceId, "deviceId");
        // size first: nothing is parsed, decrypted or verified for an oversized body
        if (sealed.length > maxSealedBytes) {
            throw new UnableToOpenBatchException(Reason.TOO_LARGE, "the sealed batch has " + sealed.length
                    + " bytes, more than the limit of " + maxSealedBytes);
        }
        byte[] expectedIdentifier = KeyChecks.identifierOf(expectedSigner);
        Signed signed = verify(decrypt(sealed), expectedSigner, expectedIdentifier);
        BatchBinding binding = signed.binding();
        if (!binding.organizationId().equals(organizationId) || !binding.deviceId().equals(deviceId)
                || binding.sequence() != sequence) {
            throw new UnableToOpenBatchException(Reason.BINDING_MISMATCH, "the batch is signed for organization "
                    + binding.organizationId() + ", device " + binding.deviceId() + ", sequence "
                    + binding.sequence() + ", but arrived for organization " + organizationId + ", device "
                    + deviceId + ", sequence " + sequence);
        }
        // decompressed only now: the inflater never sees bytes that the device did not sign
        return new OpenedBatch(inflate(signed.compressedData()), binding, signed.signedDigest());
    }

    private byte[] decrypt(byte[] sealed) {
        RecipientInformation recipient;
        try {
            recipient = checkedRecipient(sealed);
        } catch (RuntimeException e) {
            // Bouncy Castle's parsers throw IllegalArgumentException, ClassCastException and others for structures
            // of the wrong shape ("unknown object in getInstance"): all of them mean a malformed batch, never a bug
            // of ours, so they are refused as such (a 400), not left to become a 500.
            throw rethrow("not a well-formed CMS AuthEnvelopedData", e);
        }
        try {
            // the GCM tag is checked while decrypting: tampering anywhere in the ciphertext, the tag or the
            // authenticated attributes, or a wrong key, ends here
            return recipient.getContent(new JceKeyAgreeAuthEnvelopedRecipient(organizationPrivateKey)
                    .setAllowedContentAlgorithms(Set.of(CMSAlgorithm.AES256_GCM))
                    .setMinimumTagSize(MINIMUM_TAG_BITS)
                    .setProvider(Crypto.PROVIDER));
        } catch (CMSException | RuntimeException e) {
            throw rethrow(Reason.DECRYPTION_FAILED, "cannot decrypt: tampered, or sealed for another organization key",
                    e);
        }
    }

    /** Every check of the envelope before decryption, in the documented order; the recipient to decrypt with. */
    private RecipientInformation checkedRecipient(byte[] sealed) {
        ContentInfo info = ContentInfo.getInstance(SealedForm.der(sealed, "sealed batch"));
        if (info == null || !CMSObjectIdentifiers.authEnvelopedData.equals(info.getContentType())) {
            throw new UnableToOpenBatchException("not a CMS AuthEnvelopedData");
        }
        CMSAuthEnvelopedData envelope;
        try {
            envelope = new CMSAuthEnvelopedData(info);
        } catch (CMSException e) {
            throw rethrow("not a well-formed CMS AuthEnvelopedData", e);
        }
        AuthEnvelopedData structure = AuthEnvelopedData.getInstance(info.getContent());

        // Only AES-256-GCM, checked here and again by the recipient: the algorithm is chosen by the sender, and
        // an attacker must not be able to pick a weaker one.
        AlgorithmIdentifier algorithm = structure.getAuthEncryptedContentInfo().getContentEncryptionAlgorithm();
        if (!CMSAlgorithm.AES256_GCM.equals(algorithm.getAlgorithm())) {
            throw new UnableToOpenBatchException(Reason.ALGORITHM_NOT_ALLOWED, "content encryption "
                    + algorithm.getAlgorithm()
                    + " is not accepted, only AES-256-GCM");
        }
        if (GCMParameters.getInstance(algorithm.getParameters()).getIcvLen() * 8 < MINIMUM_TAG_BITS) {
            throw new UnableToOpenBatchException(Reason.ALGORITHM_NOT_ALLOWED,
                    "GCM tag shorter than " + MINIMUM_TAG_BITS + " bits");
        }
        if (!CMSObjectIdentifiers.signedData.equals(structure.getAuthEncryptedContentInfo().getContentType())
                || !authenticatedContentTypeIsSignedData(envelope)) {
            throw new UnableToOpenBatchException("the encrypted content is not a SignedData");
        }

        // Exactly one recipient, by key agreement: that is all a sealer ever writes.
        Collection<RecipientInformation> recipients = envelope.getRecipientInfos().getRecipients();
        if (recipients.size() != 1 || !(recipients.iterator().next() instanceof KeyAgreeRecipientInformation)) {
            throw new UnableToOpenBatchException("expected exactly one key-agreement recipient, found "
                    + recipients.size() + " recipient(s)");
        }
        RecipientInformation recipient = recipients.iterator().next();
        if (!CMSAlgorithm.ECDH_SHA256KDF.getId().equals(recipient.getKeyEncryptionAlgOID())) {
            throw new UnableToOpenBatchException(Reason.ALGORITHM_NOT_ALLOWED, "key agreement "
                    + recipient.getKeyEncryptionAlgOID()
                    + " is not accepted, only ECDH with the SHA-256 KDF");
        }
        if (organizationCertificate != null && !recipient.getRID().match(organizationCertificate)) {
            // sealed to a certificate we do not hold: another organization's, or one rotated away and forgotten
            throw new UnableToOpenBatchException(Reason.UNKNOWN_KEY_ID,
                    "the batch is encrypted to another organization certificate than this one");
        }
        // last before decrypting: every other byte of the envelope is exactly what a sealer writes
        SealedForm.requireEnvelope(info, sealed);
        return recipient;
    }

    /** The content type as covered by the GCM tag (RFC 5083 §2.1), checked for real once decryption succeeds. */
    private static boolean authenticatedContentTypeIsSignedData(CMSAuthEnvelopedData envelope) {
        AttributeTable attributes = envelope.getAuthAttrs();
        Attribute contentType = attributes == null ? null : attributes.get(CMSAttributes.contentType);
        return contentType != null && contentType.getAttrValues().size() == 1
                && CMSObjectIdentifiers.signedData.equals(contentType.getAttrValues().getObjectAt(0));
    }

    /**
     * What the device signed: the binding, the (still compressed) CompressedData, and the SHA-256 of the signed
     * attributes (which hold the content's digest and the binding): the identity of the signed content.
     */
    private record Signed(BatchBinding binding, byte[] compressedData, byte[] signedDigest) {
    }

    private static Signed verify(byte[] signedDataDer, PublicKey expectedSigner, byte[] expectedIdentifier) {
        try {
            return verifyChecked(signedDataDer, expectedSigner, expectedIdentifier);
        } catch (RuntimeException e) {
            // a parser's exception on a structure of the wrong shape: malformed, not a bug of ours
            throw rethrow("the decrypted content is not a well-formed SignedData", e);
        }
    }

    private static Signed verifyChecked(byte[] signedDataDer, PublicKey expectedSigner, byte[] expectedIdentifier) {
        CMSSignedData signed;
        SignedData structure;
        try {
            structure = SignedData.getInstance(SealedForm.der(signedDataDer, "decrypted content"));
            signed = new CMSSignedData(new ContentInfo(CMSObjectIdentifiers.signedData, structure));
        } catch (CMSException | RuntimeException e) {
            throw rethrow("the decrypted content is not a well-formed SignedData", e);
        }

        // Exactly one signer. CMS allows any number of signers, and "some signer verifies" checks would accept a
        // batch that also carries an attacker's signer info (or, with zero signers, nothing at all: BC's
        // verifySignatures once returned true for an empty signer set). One signer, ours, or nothing.
        Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
        if (signers.size() != 1) {
            throw new UnableToOpenBatchException(Reason.BAD_SIGNATURE,
                    "expected exactly one signer, found " + signers.size());
        }
        SignerInformation signer = signers.iterator().next();
        SignerId id = signer.getSID();
        if (id.getSubjectKeyIdentifier() == null
                || !Arrays.constantTimeAreEqual(id.getSubjectKeyIdentifier(), expectedIdentifier)) {
            throw new UnableToOpenBatchException(Reason.BAD_SIGNATURE,
                    "the batch is signed by another key than the device's");
        }
        if (!EdECObjectIdentifiers.id_Ed25519.getId().equals(signer.getEncryptionAlgOID())) {
            throw new UnableToOpenBatchException(Reason.ALGORITHM_NOT_ALLOWED, "signature algorithm "
                    + signer.getEncryptionAlgOID() + " is not accepted, only Ed25519");
        }
        CMSTypedData content = signed.getSignedContent();
        if (content == null) {
            throw new UnableToOpenBatchException("the SignedData does not encapsulate the payload");
        }
        if (!CMSObjectIdentifiers.compressedData.equals(signed.getSignedContentType())) {
            throw new UnableToOpenBatchException("the SignedData does not encapsulate a CompressedData");
        }
        try {
            // with signed attributes present, BC also checks that their content type equals the eContentType and
            // that their message digest matches the content, so the signature covers content and binding alike
            boolean valid = signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(Crypto.PROVIDER)
                    .build(expectedSigner));
            if (!valid) {
                throw new UnableToOpenBatchException(Reason.BAD_SIGNATURE, "the device signature does not verify");
            }
        } catch (CMSException | OperatorCreationException | RuntimeException e) {
            throw rethrow(Reason.BAD_SIGNATURE, "the device signature does not verify", e);
        }
        // everything outside the signed attributes and the signature is the sealer's constant form: no unsigned
        // attributes, certificates or other fields that would let one signed batch travel in several encodings
        SealedForm.requireSignedData(structure, signedDataDer);
        BatchBinding binding = BatchAttributes.read(signer.getSignedAttributes());
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        byte[] signedAttributes;
        try {
            content.write(payload);
            signedAttributes = signer.getEncodedSignedAttributes();
        } catch (IOException | CMSException e) {
            throw rethrow("cannot read the signed payload", e);
        }
        return new Signed(binding, payload.toByteArray(), sha256(signedAttributes));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Inflates a DER CompressedData, refusing anything but zlib and anything beyond {@link #maxPayloadBytes}. */
    private byte[] inflate(byte[] compressedDataDer) {
        byte[] deflated;
        try {
            CompressedData compressed = CompressedData.getInstance(SealedForm.der(compressedDataDer,
                    "signed content"));
            if (!ZLIB.equals(compressed.getCompressionAlgorithmIdentifier().getAlgorithm())) {
                throw new UnableToOpenBatchException(Reason.ALGORITHM_NOT_ALLOWED, "compression "
                        + compressed.getCompressionAlgorithmIdentifier().getAlgorithm() + " is not accepted, only zlib");
            }
            ContentInfo inner = compressed.getEncapContentInfo();
            if (!CMSObjectIdentifiers.data.equals(inner.getContentType()) || inner.getContent() == null) {
                throw new UnableToOpenBatchException("the CompressedData does not hold data");
            }
            deflated = ASN1OctetString.getInstance(inner.getContent()).getOctets();
            SealedForm.requireCompressedData(compressed, compressedDataDer);
        } catch (RuntimeException e) {
            throw rethrow("the signed content is not a well-formed CompressedData", e);
        }
        // Read at most one byte more than the limit: the bomb is stopped after maxPayloadBytes, never expanded.
        try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(deflated))) {
            byte[] payload = in.readNBytes(maxPayloadBytes + 1);
            if (payload.length > maxPayloadBytes) {
                throw new UnableToOpenBatchException(Reason.TOO_LARGE,
                        "the batch inflates to more than " + maxPayloadBytes + " bytes");
            }
            return payload;
        } catch (IOException e) {
            throw new UnableToOpenBatchException("the compressed payload is corrupt", e);
        }
    }

    private static UnableToOpenBatchException rethrow(String message, Exception cause) {
        return rethrow(Reason.MALFORMED, message, cause);
    }

    private static UnableToOpenBatchException rethrow(Reason reason, String message, Exception cause) {
        if (cause instanceof UnableToOpenBatchException own) {
            return own;
        }
        return new UnableToOpenBatchException(reason, message, cause);
    }
}
