package com.xentracker.bench;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.Span;
import com.xentracker.transport.envelope.BatchBinding;
import com.xentracker.transport.envelope.BatchOpener;
import com.xentracker.transport.envelope.BatchSealer;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.OrganizationKey;
import com.xentracker.transport.wire.SpanBatch;
import com.xentracker.transport.wire.WireCodec;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Seal + open of one span batch (JSON → zlib → Ed25519 SignedData → AES-256-GCM AuthEnvelopedData with a fresh
 * ephemeral ECDH P-256 key, and back, verifying everything), beside plain AES-256-GCM encrypt + decrypt of the same
 * JSON bytes in the same run. {@link EnvelopeReport} turns the JMH result into batches/s, MB/s, the ratio and the
 * bytes the envelope adds.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EnvelopeBenchmark {

    /** Spans per batch: a quiet minute of uploads, the agent's default batch (500) and a big replay batch. */
    @Param({"20", "500", "2000"})
    public int spans;

    private final UUID organization = UUID.randomUUID();
    private final UUID device = UUID.randomUUID();
    private BatchSealer sealer;
    private BatchOpener opener;
    private KeyPair deviceKeys;
    private byte[] payload;
    private byte[] sealed;
    private SecretKey aesKey;
    private final SecureRandom random = new SecureRandom();

    @Setup
    public void setUp() throws GeneralSecurityException {
        OrganizationKey key = OrganizationKey.generate("Bench", Clock.systemUTC());
        deviceKeys = DeviceKeys.generate();
        sealer = BatchSealer.create(deviceKeys.getPrivate(), key.certificate());
        opener = BatchOpener.create(key.privateKey(), key.certificate());
        payload = payload(device, spans);
        sealed = sealer.seal(payload, BatchBinding.of(organization, device, 1));
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(256);
        aesKey = generator.generateKey();
    }

    /** A realistic batch: a handful of applications, some titles, idle and locked stretches. */
    static byte[] payload(UUID device, int count) {
        String[][] apps = {{"firefox-esr", "/usr/lib/firefox-esr/firefox-esr"}, {"code", "/usr/share/code/code"},
            {"xterm", "/usr/bin/xterm"}, {"thunderbird", "/usr/lib/thunderbird/thunderbird"},
            {"libreoffice", "/usr/lib/libreoffice/program/soffice.bin"}};
        Instant t = Instant.parse("2026-11-29T08:00:00Z");
        List<Span> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant end = t.plusSeconds(5 + (i * 37L) % 300);
            Activity activity = switch (i % 7) {
                case 5 -> Activity.of(ActivityState.IDLE);
                case 6 -> Activity.of(ActivityState.LOCKED);
                default -> Activity.active(apps[i % apps.length][0], apps[i % apps.length][1],
                        i % 3 == 0 ? Optional.of("Document " + i + " - edited") : Optional.empty());
            };
            list.add(Span.of(t, end, activity));
            t = end;
        }
        return WireCodec.create().encode(new SpanBatch(device, 1, list));
    }

    @Benchmark
    public byte[] sealAndOpen() {
        byte[] bytes = sealer.seal(payload, BatchBinding.of(organization, device, 1));
        return opener.open(bytes, deviceKeys.getPublic(), organization, device, 1).payload();
    }

    @Benchmark
    public byte[] seal() {
        return sealer.seal(payload, BatchBinding.of(organization, device, 1));
    }

    @Benchmark
    public byte[] open() {
        return opener.open(sealed, deviceKeys.getPublic(), organization, device, 1).payload();
    }

    /** The baseline: AES-256-GCM of the same JSON with a fresh 96-bit nonce, encrypt then decrypt. */
    @Benchmark
    public byte[] plainAesGcm() throws GeneralSecurityException {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        Cipher encrypt = Cipher.getInstance("AES/GCM/NoPadding");
        encrypt.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(128, nonce));
        byte[] ciphertext = encrypt.doFinal(payload);
        Cipher decrypt = Cipher.getInstance("AES/GCM/NoPadding");
        decrypt.init(Cipher.DECRYPT_MODE, aesKey, new GCMParameterSpec(128, nonce));
        return decrypt.doFinal(ciphertext);
    }
}
