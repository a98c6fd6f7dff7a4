package com.xentracker.transport.envelope;

import com.xentracker.transport.UnableToOpenBatchException;
import com.xentracker.transport.internal.Crypto;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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

    private final PrivateKey organizationPrivateKey;

    private BatchOpener(PrivateKey organizationPrivateKey) {
        this.organizationPrivateKey = organizationPrivateKey;
    }

    /** @param organizationPrivateKey the organization's EC P-256 private key */
    public static BatchOpener create(PrivateKey organizationPrivateKey) {
        Objects.requireNonNull(organizationPrivateKey, "organizationPrivateKey");
        KeyChecks.requireOrganizationPrivateKey(organizationPrivateKey);
        return new BatchOpener(organizationPrivateKey);
    }

    /**
     * Decrypts {@code sealed} and returns the payload if and only if it was signed by {@code expectedSigner}.
     *
     * @param expectedSigner the Ed25519 public key the device registered at enrollment
     */
    public byte[] open(byte[] sealed, PublicKey expectedSigner) {
        Objects.requireNonNull(sealed, "sealed");
        Objects.requireNonNull(expectedSigner, "expectedSigner");
        byte[] expectedIdentifier = KeyChecks.identifierOf(expectedSigner);
        return verify(decrypt(sealed), expectedSigner, expectedIdentifier);
    }

    private byte[] decrypt(byte[] sealed) {
        CMSAuthEnvelopedData envelope;
        AuthEnvelopedData structure;
        try {
            ContentInfo info = ContentInfo.getInstance(ASN1Primitive.fromByteArray(sealed));
            if (info == null || !CMSObjectIdentifiers.authEnvelopedData.equals(info.getContentType())) {
                throw new UnableToOpenBatchException("not a CMS AuthEnvelopedData");
            }
            envelope = new CMSAuthEnvelopedData(info);
            structure = AuthEnvelopedData.getInstance(info.getContent());
        } catch (CMSException | IOException | RuntimeException e) {
            throw rethrow("not a well-formed CMS AuthEnvelopedData", e);
        }

        // Only AES-256-GCM, checked here and again by the recipient: the algorithm is chosen by the sender, and
        // an attacker must not be able to pick a weaker one.
        AlgorithmIdentifier algorithm = structure.getAuthEncryptedContentInfo().getContentEncryptionAlgorithm();
        if (!CMSAlgorithm.AES256_GCM.equals(algorithm.getAlgorithm())) {
            throw new UnableToOpenBatchException("content encryption " + algorithm.getAlgorithm()
                    + " is not accepted, only AES-256-GCM");
        }
        try {
            if (GCMParameters.getInstance(algorithm.getParameters()).getIcvLen() * 8 < MINIMUM_TAG_BITS) {
                throw new UnableToOpenBatchException("GCM tag shorter than " + MINIMUM_TAG_BITS + " bits");
            }
        } catch (RuntimeException e) {
            throw rethrow("malformed GCM parameters", e);
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
            throw new UnableToOpenBatchException("key agreement " + recipient.getKeyEncryptionAlgOID()
                    + " is not accepted, only ECDH with the SHA-256 KDF");
        }
        try {
            // the GCM tag is checked while decrypting: tampering anywhere in the ciphertext, the tag or the
            // authenticated attributes, or a wrong key, ends here
            return recipient.getContent(new JceKeyAgreeAuthEnvelopedRecipient(organizationPrivateKey)
                    .setAllowedContentAlgorithms(Set.of(CMSAlgorithm.AES256_GCM))
                    .setMinimumTagSize(MINIMUM_TAG_BITS)
                    .setProvider(Crypto.PROVIDER));
        } catch (CMSException | RuntimeException e) {
            throw rethrow("cannot decrypt: tampered, or sealed for another organization key", e);
        }
    }

    /** The content type as covered by the GCM tag (RFC 5083 §2.1), checked for real once decryption succeeds. */
    private static boolean authenticatedContentTypeIsSignedData(CMSAuthEnvelopedData envelope) {
        AttributeTable attributes = envelope.getAuthAttrs();
        Attribute contentType = attributes == null ? null : attributes.get(CMSAttributes.contentType);
        return contentType != null && contentType.getAttrValues().size() == 1
                && CMSObjectIdentifiers.signedData.equals(contentType.getAttrValues().getObjectAt(0));
    }

    private static byte[] verify(byte[] signedDataDer, PublicKey expectedSigner, byte[] expectedIdentifier) {
        CMSSignedData signed;
        try {
            SignedData structure = SignedData.getInstance(ASN1Primitive.fromByteArray(signedDataDer));
            signed = new CMSSignedData(new ContentInfo(CMSObjectIdentifiers.signedData, structure));
        } catch (CMSException | IOException | RuntimeException e) {
            throw rethrow("the decrypted content is not a well-formed SignedData", e);
        }

        // Exactly one signer. CMS allows any number of signers, and "some signer verifies" checks would accept a
        // batch that also carries an attacker's signer info (or, with zero signers, nothing at all: BC's
        // verifySignatures once returned true for an empty signer set). One signer, ours, or nothing.
        Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
        if (signers.size() != 1) {
            throw new UnableToOpenBatchException("expected exactly one signer, found " + signers.size());
        }
        SignerInformation signer = signers.iterator().next();
        SignerId id = signer.getSID();
        if (id.getSubjectKeyIdentifier() == null
                || !Arrays.constantTimeAreEqual(id.getSubjectKeyIdentifier(), expectedIdentifier)) {
            throw new UnableToOpenBatchException("the batch is signed by another key than the device's");
        }
        if (!EdECObjectIdentifiers.id_Ed25519.getId().equals(signer.getEncryptionAlgOID())) {
            throw new UnableToOpenBatchException("signature algorithm " + signer.getEncryptionAlgOID()
                    + " is not accepted, only Ed25519");
        }
        CMSTypedData content = signed.getSignedContent();
        if (content == null || !CMSObjectIdentifiers.data.equals(signed.getSignedContentType())) {
            throw new UnableToOpenBatchException("the SignedData does not encapsulate the payload");
        }
        try {
            boolean valid = signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(Crypto.PROVIDER)
                    .build(expectedSigner));
            if (!valid) {
                throw new UnableToOpenBatchException("the device signature does not verify");
            }
        } catch (CMSException | OperatorCreationException | RuntimeException e) {
            throw rethrow("the device signature does not verify", e);
        }
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        try {
            content.write(payload);
        } catch (IOException | CMSException e) {
            throw rethrow("cannot read the signed payload", e);
        }
        return payload.toByteArray();
    }

    private static UnableToOpenBatchException rethrow(String message, Exception cause) {
        if (cause instanceof UnableToOpenBatchException own) {
            return own;
        }
        return new UnableToOpenBatchException(message, cause);
    }
}
