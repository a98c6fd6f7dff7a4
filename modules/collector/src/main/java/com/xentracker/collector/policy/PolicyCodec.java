package com.xentracker.collector.policy;

import com.xentracker.core.policy.CollectionPolicy;

/**
 * How the cached policy is stored. A seam: the cache file uses {@link PropertiesPolicyCodec} until the wire module
 * maps {@link CollectionPolicy} to JSON, when the cache can store exactly what the server sent.
 */
interface PolicyCodec {

    /** The file name in the data directory. */
    String fileName();

    byte[] encode(CollectionPolicy policy);

    /** @throws IllegalArgumentException when the bytes are not a complete, valid policy */
    CollectionPolicy decode(byte[] stored);
}
