package com.xentracker.transport.envelope;

import com.xentracker.transport.UnableToOpenBatchException;
import java.io.IOException;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.CompressedData;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EncryptedContentInfo;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.cms.KeyAgreeRecipientIdentifier;
import org.bouncycastle.asn1.cms.KeyAgreeRecipientInfo;
import org.bouncycastle.asn1.cms.OriginatorIdentifierOrKey;
import org.bouncycastle.asn1.cms.OriginatorPublicKey;
import org.bouncycastle.asn1.cms.RecipientEncryptedKey;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.SignerIdentifier;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSCompressedDataGenerator;

/**
 * The one form a sealer writes, and nothing else. Each layer is rebuilt from its few variable fields around the
 * constants a {@link BatchSealer} always writes (versions, algorithm identifiers and their parameters, the
 * content-type attribute, absent optional fields) and must equal the received DER byte for byte.
 *
 * <p>Why: Bouncy Castle reads only what it needs and ignores the rest. An envelope whose originator key names
 * another algorithm, curve or version, or that carries unauthenticated attributes, still decrypted (ECDH takes the
 * curve from our private key; nothing authenticates the originator's algorithm identifier), so one batch had many
 * byte forms that all opened. After this check every byte of an accepted batch is either a constant or a value that
 * decryption, key unwrapping or the signature verifies, and a batch has exactly one encoding per ephemeral key.
 * Every refusal here is {@code MALFORMED}; the checks with their own reasons (algorithms, signers) run before.
 */
final class SealedForm {

    /** The ephemeral key's algorithm: EC on P-256, named curve. */
    private static final AlgorithmIdentifier EC_P256 = new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey,
            SECObjectIdentifiers.secp256r1);
    /** ECDH with the SHA-256 KDF (RFC 5753), wrapping the content key with AES-256 key wrap (no parameters). */
    private static final AlgorithmIdentifier KEY_AGREEMENT = new AlgorithmIdentifier(CMSAlgorithm.ECDH_SHA256KDF,
            new AlgorithmIdentifier(CMSAlgorithm.AES256_WRAP));
    /** Ed25519 signs with SHA-512 as the CMS digest (RFC 8419). */
    private static final AlgorithmIdentifier SHA512 = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha512);
    private static final AlgorithmIdentifier ED25519 = new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519);
    private static final AlgorithmIdentifier ZLIB = new AlgorithmIdentifier(
            new org.bouncycastle.asn1.ASN1ObjectIdentifier(CMSCompressedDataGenerator.ZLIB));
    /** An uncompressed P-256 point: 0x04, x, y. A compressed point would be a second encoding of the same key. */
    private static final int POINT_BYTES = 65;
    /** A wrapped AES-256 key: 32 bytes plus the 8-byte integrity block of RFC 3394. */
    private static final int WRAPPED_KEY_BYTES = 40;
    private static final int GCM_NONCE_BYTES = 12;
    private static final int TAG_BYTES = BatchOpener.MINIMUM_TAG_BITS / 8;
    private static final int ED25519_SIGNATURE_BYTES = 64;

    private SealedForm() {
    }

    /** Parses DER that must be exactly DER (no BER, no longer lengths, nothing after it). */
    static ASN1Primitive der(byte[] encoding, String what) {
        ASN1Primitive primitive;
        try {
            primitive = ASN1Primitive.fromByteArray(encoding);
        } catch (IOException | RuntimeException e) {
            throw new UnableToOpenBatchException("the " + what + " is not well-formed DER", e);
        }
        if (primitive == null || !Arrays.equals(encode(primitive), encoding)) {
            throw new UnableToOpenBatchException("the " + what + " is not in DER as a sealer writes it");
        }
        return primitive;
    }

    /** The outer ContentInfo(AuthEnvelopedData) rebuilt from the ephemeral point, recipient, wrapped key, nonce, ciphertext and tag. */
    static void requireEnvelope(ContentInfo info, byte[] sealed) {
        AuthEnvelopedData envelope = AuthEnvelopedData.getInstance(info.getContent());
        if (envelope.getRecipientInfos().size() != 1) {
            throw malformed("exactly one recipient");
        }
        KeyAgreeRecipientInfo recipient = KeyAgreeRecipientInfo.getInstance(RecipientInfo.getInstance(
                envelope.getRecipientInfos().getObjectAt(0)).getInfo());
        OriginatorPublicKey originator = recipient.getOriginator().getOriginatorKey();
        if (originator == null) {
            throw malformed("an ephemeral originator key");
        }
        byte[] point = originator.getPublicKey().getOctets(); // refuses a bit string with unused bits
        if (point.length != POINT_BYTES || point[0] != 0x04 || recipient.getRecipientEncryptedKeys().size() != 1) {
            throw malformed("an uncompressed P-256 ephemeral key and one encrypted key");
        }
        RecipientEncryptedKey encryptedKey = RecipientEncryptedKey.getInstance(
                recipient.getRecipientEncryptedKeys().getObjectAt(0));
        KeyAgreeRecipientIdentifier recipientId = encryptedKey.getIdentifier();
        if (recipientId.getIssuerAndSerialNumber() == null
                || encryptedKey.getEncryptedKey().getOctets().length != WRAPPED_KEY_BYTES) {
            throw malformed("the organization certificate's issuer and serial number and a wrapped AES-256 key");
        }
        EncryptedContentInfo content = envelope.getAuthEncryptedContentInfo();
        byte[] nonce = GCMParameters.getInstance(content.getContentEncryptionAlgorithm().getParameters()).getNonce();
        ASN1OctetString ciphertext = content.getEncryptedContent();
        if (nonce.length != GCM_NONCE_BYTES || ciphertext == null || envelope.getMac().getOctets().length != TAG_BYTES) {
            throw malformed("a 96-bit GCM nonce, the ciphertext and a 128-bit tag");
        }

        ContentInfo rebuilt = new ContentInfo(CMSObjectIdentifiers.authEnvelopedData, new AuthEnvelopedData(null,
                new DERSet(new RecipientInfo(new KeyAgreeRecipientInfo(
                        new OriginatorIdentifierOrKey(new OriginatorPublicKey(EC_P256, point)), null, KEY_AGREEMENT,
                        new DERSequence(new RecipientEncryptedKey(recipientId, new DEROctetString(
                                encryptedKey.getEncryptedKey().getOctets())))))),
                new EncryptedContentInfo(CMSObjectIdentifiers.signedData, new AlgorithmIdentifier(
                        CMSAlgorithm.AES256_GCM, new GCMParameters(nonce, TAG_BYTES)),
                        new DEROctetString(ciphertext.getOctets())),
                new DERSet(new Attribute(CMSAttributes.contentType, new DERSet(CMSObjectIdentifiers.signedData))),
                new DEROctetString(envelope.getMac().getOctets()), null));
        requireEqual(rebuilt, sealed, "envelope");
    }

    /**
     * The decrypted SignedData rebuilt from its signer's key identifier, signed attributes and signature and the
     * encapsulated CompressedData: no certificates, CRLs or unsigned attributes (which no signature covers), one
     * digest algorithm. Called once the signature verified, so the reasons for signers stay specific.
     */
    static void requireSignedData(SignedData signed, byte[] der) {
        ASN1Set signers = signed.getSignerInfos();
        SignerInfo signer = SignerInfo.getInstance(signers.getObjectAt(0));
        SignerIdentifier id = signer.getSID();
        if (!(id.getId() instanceof ASN1OctetString) || signer.getAuthenticatedAttributes() == null
                || signer.getEncryptedDigest().getOctets().length != ED25519_SIGNATURE_BYTES) {
            throw malformed("a signer named by its key identifier, with signed attributes and an Ed25519 signature");
        }
        ASN1OctetString content = ASN1OctetString.getInstance(signed.getEncapContentInfo().getContent());
        SignedData rebuilt = new SignedData(new DERSet(SHA512), new ContentInfo(CMSObjectIdentifiers.compressedData,
                new DEROctetString(content.getOctets())), null, null, new DERSet(new SignerInfo(id, SHA512,
                signer.getAuthenticatedAttributes(), ED25519, new DEROctetString(
                signer.getEncryptedDigest().getOctets()), null)));
        requireEqual(rebuilt, der, "signed data");
    }

    /** The CompressedData rebuilt around its deflated bytes: zlib without parameters, id-data. */
    static void requireCompressedData(CompressedData compressed, byte[] der) {
        ContentInfo inner = compressed.getEncapContentInfo();
        ASN1OctetString deflated = ASN1OctetString.getInstance(inner.getContent());
        requireEqual(new CompressedData(ZLIB, new ContentInfo(CMSObjectIdentifiers.data,
                new DEROctetString(deflated.getOctets()))), der, "compressed data");
    }

    private static void requireEqual(org.bouncycastle.asn1.ASN1Encodable rebuilt, byte[] received, String what) {
        if (!Arrays.equals(encode(rebuilt.toASN1Primitive()), received)) {
            throw new UnableToOpenBatchException("the " + what + " is not built as a sealer builds it (a version, "
                    + "algorithm parameter or optional field differs)");
        }
    }

    private static byte[] encode(ASN1Primitive primitive) {
        try {
            return primitive.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new UnableToOpenBatchException("cannot encode a parsed structure", e);
        }
    }

    private static UnableToOpenBatchException malformed(String expected) {
        return new UnableToOpenBatchException("the batch is not built as a sealer builds it: expected " + expected);
    }
}
