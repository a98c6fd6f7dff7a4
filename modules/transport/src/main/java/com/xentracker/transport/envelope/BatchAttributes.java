package com.xentracker.transport.envelope;

import com.xentracker.transport.UnableToOpenBatchException;
import com.xentracker.transport.UnableToOpenBatchException.Reason;
import java.math.BigInteger;
import java.util.UUID;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;

/**
 * The batch binding as signed attributes. The object identifiers live under a UUID-derived arc (ITU-T X.667,
 * {@code 2.25.<uuid>}), which needs no registration and cannot collide with anyone else's.
 */
final class BatchAttributes {

    /** 2.25 + the decimal value of the random UUID 9a11a5e1-… chosen once for Xentracker's CMS attributes. */
    static final ASN1ObjectIdentifier ARC =
            new ASN1ObjectIdentifier("2.25.204796706467186950528432366866643278087.1");
    static final ASN1ObjectIdentifier ORGANIZATION_ID = ARC.branch("1");
    static final ASN1ObjectIdentifier DEVICE_ID = ARC.branch("2");
    static final ASN1ObjectIdentifier SEQUENCE = ARC.branch("3");
    static final ASN1ObjectIdentifier BATCH_ID = ARC.branch("4");

    private BatchAttributes() {}

    static AttributeTable of(BatchBinding binding) {
        ASN1EncodableVector attributes = new ASN1EncodableVector();
        attributes.add(attribute(ORGANIZATION_ID, new DERUTF8String(binding.organizationId().toString())));
        attributes.add(attribute(DEVICE_ID, new DERUTF8String(binding.deviceId().toString())));
        attributes.add(attribute(SEQUENCE, new ASN1Integer(binding.sequence())));
        attributes.add(attribute(BATCH_ID, new DERUTF8String(binding.batchId().toString())));
        return new AttributeTable(attributes);
    }

    /** The binding a signer signed; refused unless each attribute is present exactly once with one value. */
    static BatchBinding read(AttributeTable signed) {
        if (signed == null) {
            throw missing("the batch has no signed attributes");
        }
        try {
            UUID organization = UUID.fromString(text(signed, ORGANIZATION_ID));
            UUID device = UUID.fromString(text(signed, DEVICE_ID));
            BigInteger sequence = ASN1Integer.getInstance(single(signed, SEQUENCE)).getValue();
            UUID batch = UUID.fromString(text(signed, BATCH_ID));
            if (sequence.signum() < 0 || sequence.bitLength() > 63) {
                throw missing("the signed sequence number is out of range");
            }
            return new BatchBinding(organization, device, sequence.longValueExact(), batch);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new UnableToOpenBatchException(Reason.MALFORMED, "a signed batch attribute is malformed", e);
        }
    }

    private static String text(AttributeTable table, ASN1ObjectIdentifier oid) {
        return ASN1UTF8String.getInstance(single(table, oid)).getString();
    }

    private static ASN1Encodable single(AttributeTable table, ASN1ObjectIdentifier oid) {
        if (table.getAll(oid).size() != 1) {
            throw missing("the batch must carry the signed attribute " + oid + " exactly once");
        }
        Attribute attribute = table.get(oid);
        if (attribute.getAttrValues().size() != 1) {
            throw missing("the signed attribute " + oid + " must have exactly one value");
        }
        return attribute.getAttrValues().getObjectAt(0);
    }

    private static Attribute attribute(ASN1ObjectIdentifier oid, ASN1Encodable value) {
        return new Attribute(oid, new DERSet(value));
    }

    private static UnableToOpenBatchException missing(String message) {
        return new UnableToOpenBatchException(Reason.MALFORMED, message);
    }
}
