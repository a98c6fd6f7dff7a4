package com.xentracker.transport.envelope;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.transport.UnableToOpenBatchException;
import com.xentracker.transport.UnableToOpenBatchException.Reason;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.OrganizationKey;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.junit.jupiter.api.Test;

/**
 * The opener accepts one form only, the sealer's: a byte changed anywhere in a real envelope, in a field Bouncy
 * Castle would otherwise ignore or in one it checks, is refused; and the identity of a batch is its signed content,
 * not its envelope.
 */
class SealedFormTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T09:00:00Z"), ZoneOffset.UTC);
    private static final OrganizationKey ORGANIZATION = OrganizationKey.generate("Acme", CLOCK);
    private static final byte[] PAYLOAD = "{\"spans\":[]}".getBytes(UTF_8);
    private static final BatchBinding BINDING = new BatchBinding(UUID.randomUUID(), UUID.randomUUID(), 3,
            UUID.randomUUID());
    /** id-ecPublicKey (1.2.840.10045.2.1) and prime256v1 (1.2.840.10045.3.1.7), as DER object identifiers. */
    private static final byte[] EC_PUBLIC_KEY = HexFormat.of().parseHex("06072a8648ce3d0201");
    private static final byte[] PRIME256V1 = HexFormat.of().parseHex("06082a8648ce3d030107");

    private final KeyPair device = DeviceKeys.generate();
    private final BatchSealer sealer = BatchSealer.create(device.getPrivate(), ORGANIZATION.certificate());
    private final BatchOpener opener = BatchOpener.create(ORGANIZATION.privateKey(), ORGANIZATION.certificate());

    private OpenedBatch open(byte[] sealed) {
        return opener.open(sealed, device.getPublic(), BINDING.organizationId(), BINDING.deviceId(),
                BINDING.sequence());
    }

    private Reason reasonOfOpening(byte[] sealed) {
        try {
            open(sealed);
        } catch (UnableToOpenBatchException e) {
            return e.reason();
        }
        throw new AssertionError("the changed batch opened");
    }

    @Test
    void everyByteOfARealEnvelopeChangedAloneIsRefused() {
        byte[] sealed = sealer.seal(PAYLOAD, BINDING);
        List<Integer> opened = new ArrayList<>();

        for (int i = 0; i < sealed.length; i++) {
            for (int mask : new int[] {0x01, 0x80}) {
                byte[] changed = sealed.clone();
                changed[i] ^= (byte) mask;
                try {
                    open(changed);
                    opened.add(i);
                } catch (UnableToOpenBatchException refused) {
                    // expected: every byte is a constant of the sealer's form or a value that is verified
                }
            }
        }

        assertThat(opened).as("offsets whose change still opened").isEmpty();
        assertThat(open(sealed).payload()).isEqualTo(PAYLOAD);
    }

    @Test
    void anOriginatorKeyNamingAnotherAlgorithmOrCurveIsMalformed() {
        byte[] sealed = sealer.seal(PAYLOAD, BINDING);
        byte[] otherAlgorithm = sealed.clone();
        otherAlgorithm[indexOf(sealed, EC_PUBLIC_KEY) + EC_PUBLIC_KEY.length - 1] ^= 0x01;
        byte[] otherCurve = sealed.clone();
        otherCurve[indexOf(sealed, PRIME256V1) + PRIME256V1.length - 1] ^= 0x01;

        // Bouncy Castle takes the curve from the organization's private key and ignored both fields: this opened
        assertThat(reasonOfOpening(otherAlgorithm)).isEqualTo(Reason.MALFORMED);
        assertThat(reasonOfOpening(otherCurve)).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void aChangedRecipientInfoVersionIsMalformed() {
        byte[] sealed = sealer.seal(PAYLOAD, BINDING);
        // KeyAgreeRecipientInfo starts with INTEGER 3 (02 01 03); the probe changed it to 2 and the batch was stored
        int version = indexOf(sealed, new byte[] {(byte) 0xa1, (byte) 0x81}) + 3;
        assertThat(sealed[version + 2]).isEqualTo((byte) 3);
        byte[] changed = sealed.clone();
        changed[version + 2] = 2;

        assertThat(reasonOfOpening(changed)).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void aSignedDataWithAnUnsignedAttributeIsMalformedThoughItsSignatureVerifies() throws Exception {
        byte[] compressed = BatchSealer.compress(PAYLOAD);
        byte[] signed = BatchSealer.sign(compressed, BINDING, device.getPrivate(),
                KeyChecks.identifierOf(device.getPublic()));
        SignedData structure = SignedData.getInstance(ASN1Primitive.fromByteArray(signed));
        SignerInfo signer = SignerInfo.getInstance(structure.getSignerInfos().getObjectAt(0));
        SignerInfo withUnsigned = new SignerInfo(signer.getSID(), signer.getDigestAlgorithm(),
                signer.getAuthenticatedAttributes(), signer.getDigestEncryptionAlgorithm(),
                signer.getEncryptedDigest(), new DERSet(new Attribute(BatchAttributes.ARC.branch("99"),
                new DERSet(new DERUTF8String("not covered by the signature")))));
        byte[] changed = new SignedData(structure.getDigestAlgorithms(), structure.getEncapContentInfo(), null, null,
                new DERSet(withUnsigned)).getEncoded(ASN1Encoding.DER);

        assertThat(reasonOfOpening(BatchSealer.encrypt(changed, ORGANIZATION.certificate())))
                .isEqualTo(Reason.MALFORMED);
        assertThat(open(BatchSealer.encrypt(signed, ORGANIZATION.certificate())).payload()).isEqualTo(PAYLOAD);
    }

    @Test
    void aBerEncodedEnvelopeIsMalformed() throws Exception {
        byte[] sealed = sealer.seal(PAYLOAD, BINDING);
        byte[] ber = ASN1Primitive.fromByteArray(sealed).getEncoded(ASN1Encoding.BER);
        byte[] longLength = new byte[sealed.length + 1];
        // the outer SEQUENCE's length 82 xx xx rewritten as 83 00 xx xx: the same value, not minimal, so not DER
        longLength[0] = sealed[0];
        longLength[1] = (byte) 0x83;
        longLength[2] = 0;
        System.arraycopy(sealed, 2, longLength, 3, sealed.length - 2);

        if (!java.util.Arrays.equals(ber, sealed)) {
            assertThat(reasonOfOpening(ber)).isEqualTo(Reason.MALFORMED);
        }
        assertThat(sealed[1]).isEqualTo((byte) 0x82);
        assertThat(reasonOfOpening(longLength)).isEqualTo(Reason.MALFORMED);
        byte[] trailing = java.util.Arrays.copyOf(sealed, sealed.length + 1);
        assertThat(reasonOfOpening(trailing)).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void theSignedDigestIsTheSameForTheSameSignedBatchSealedTwiceAndDiffersOtherwise() {
        byte[] compressed = BatchSealer.compress(PAYLOAD);
        byte[] signed = BatchSealer.sign(compressed, BINDING, device.getPrivate(),
                KeyChecks.identifierOf(device.getPublic()));
        byte[] once = BatchSealer.encrypt(signed, ORGANIZATION.certificate());
        byte[] twice = BatchSealer.encrypt(signed, ORGANIZATION.certificate());
        byte[] otherBatchId = sealer.seal(PAYLOAD, new BatchBinding(BINDING.organizationId(), BINDING.deviceId(),
                BINDING.sequence(), UUID.randomUUID()));
        byte[] otherContent = sealer.seal("{\"spans\":[1]}".getBytes(UTF_8), BINDING);

        assertThat(once).isNotEqualTo(twice);
        assertThat(open(once).signedDigest()).hasSize(OpenedBatch.SIGNED_DIGEST_BYTES)
                .isEqualTo(open(twice).signedDigest())
                .isNotEqualTo(open(otherBatchId).signedDigest())
                .isNotEqualTo(open(otherContent).signedDigest());
    }

    @Test
    void parserExceptionsOnWrongShapesAreMalformedNotUnchecked() {
        // shapes that made Bouncy Castle throw IllegalArgumentException ("unknown object in getInstance") or
        // ClassCastException outside the opener's handling: a SET where a SEQUENCE belongs, a bare OID, NULL
        List<String> shapes = List.of("3100", "0600", "0500", "3003020100", "300d060b2a864886f70d0109100117",
                "3011060b2a864886f70d0109100117a0023100", "3013060b2a864886f70d0109100117a00430023100");
        for (String hex : shapes) {
            assertThatThrownBy(() -> open(HexFormat.of().parseHex(hex))).as(hex)
                    .isInstanceOf(UnableToOpenBatchException.class);
        }
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
