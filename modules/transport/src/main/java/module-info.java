/**
 * How agent and server talk: key material ({@code pki}), sealed batches ({@code envelope}), JSON messages
 * ({@code wire}) and the agent's HTTPS client ({@code client}), with one exception family in the root package.
 */
module com.xentracker.transport {
    // Span and Activity appear in SpanBatch's signature, so users of the wire API get core without declaring it.
    requires transitive com.xentracker.core;
    // Bouncy Castle: its ECDH with the SHA-256 KDF, through an explicit provider instance (never registered globally;
    // the JDK serves Ed25519, EC, AES-GCM and AES key wrap) ...
    requires org.bouncycastle.provider;
    // ... CMS, certificate builders and signer/recipient operators ...
    requires org.bouncycastle.pkix;
    // ... and the ASN.1 types they are made of (org.bouncycastle.asn1.cms lives here since BC 1.69).
    requires org.bouncycastle.util;
    // JSON for wire messages; jsr310 writes Instants as ISO-8601 text.
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;
    // The agent's HTTPS client (java.net.http.HttpClient).
    requires java.net.http;
    requires org.slf4j;

    exports com.xentracker.transport;
    exports com.xentracker.transport.pki;
    exports com.xentracker.transport.envelope;
    exports com.xentracker.transport.wire;
    exports com.xentracker.transport.client;
    // com.xentracker.transport.internal (the shared BC provider instance) is deliberately not exported.

    // Jackson instantiates the wire records and reads the package-private span DTOs (SpanJson) reflectively, so it
    // needs deep access to this one package; no other module gets it. Core's packages are not opened at all:
    // spans are converted to and from SpanJson instead.
    // The same holds for gaps, agent states and collection policies (GapJson, AgentStateJson, PolicyJson).
    opens com.xentracker.transport.wire to com.fasterxml.jackson.databind;

    // internal.EnvelopeAlgorithms takes the JDK's elliptic-curve provider by its type from the platform's modules
    uses java.security.Provider;
}
