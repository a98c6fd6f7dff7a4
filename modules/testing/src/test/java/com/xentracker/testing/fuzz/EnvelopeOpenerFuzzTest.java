package com.xentracker.testing.fuzz;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.xentracker.transport.UnableToOpenBatchException;
import com.xentracker.transport.envelope.BatchBinding;
import com.xentracker.transport.envelope.BatchOpener;
import com.xentracker.transport.envelope.BatchSealer;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.OrganizationKey;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import org.junit.jupiter.api.Test;

/**
 * Fuzz target: transport's envelope opener (it lives here because transport cannot depend on this module). Whatever
 * the bytes, it refuses them with {@link UnableToOpenBatchException} and nothing else, and a changed real envelope
 * never opens.
 */
class EnvelopeOpenerFuzzTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T09:00:00Z"), ZoneOffset.UTC);
    private static final OrganizationKey ORGANIZATION = OrganizationKey.generate("Acme", CLOCK);
    private static final KeyPair DEVICE = DeviceKeys.generate();
    private static final BatchBinding BINDING = new BatchBinding(UUID.randomUUID(), UUID.randomUUID(), 1,
            UUID.randomUUID());
    private static final BatchOpener OPENER = BatchOpener.create(ORGANIZATION.privateKey(),
            ORGANIZATION.certificate());

    private static void refused(byte[] sealed) {
        assertThrows(UnableToOpenBatchException.class, () -> OPENER.open(sealed, DEVICE.getPublic(),
                BINDING.organizationId(), BINDING.deviceId(), BINDING.sequence()));
    }

    @Test
    void arbitraryBytesAreRefusedAsUnopenable() {
        Fuzz.run("opener/random-bytes", 500, Arbitraries.bytes().array(byte[].class).ofMaxSize(2048), Fuzz::hex,
                EnvelopeOpenerFuzzTest::refused);
    }

    @Test
    void changedRealEnvelopesNeverOpenAndAreRefusedAsUnopenable() {
        BatchSealer sealer = BatchSealer.create(DEVICE.getPrivate(), ORGANIZATION.certificate());
        List<byte[]> seeds = List.of(sealer.seal("{\"spans\":[]}".getBytes(UTF_8), BINDING),
                sealer.seal(new byte[0], BINDING), sealer.seal("x".repeat(3000).getBytes(UTF_8), BINDING));
        Fuzz.run("opener/mutated-envelopes", 1000, Mutations.ofAny(seeds, 4), Fuzz::hex, sealed -> {
            if (seeds.stream().noneMatch(seed -> Arrays.equals(seed, sealed))) {
                refused(sealed);
            }
        });
    }
}
