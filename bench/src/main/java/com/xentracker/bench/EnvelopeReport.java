package com.xentracker.bench;

import com.xentracker.transport.envelope.BatchBinding;
import com.xentracker.transport.envelope.BatchSealer;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.OrganizationKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.DeflaterOutputStream;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link EnvelopeBenchmark} and reports, per batch size: seal+open and plain AES-GCM in batches/s and MB/s (of
 * JSON payload), their ratio, and the bytes the envelope adds (sealed size minus the zlib-compressed payload: what
 * CMS, the signature, the ephemeral key and the wrapped key cost). Prints a table and writes
 * {@code bench/results/envelope.json}.
 */
public final class EnvelopeReport {

    private EnvelopeReport() {}

    public static void main(String[] args) throws RunnerException, IOException {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(EnvelopeBenchmark.class.getSimpleName() + "\\.(sealAndOpen|plainAesGcm)")
                .build()).run();
        Map<Integer, double[]> scores = new TreeMap<>(); // spans -> {sealAndOpen, plainAesGcm} ops/s
        for (RunResult result : results) {
            int spans = Integer.parseInt(result.getParams().getParam("spans"));
            int index = result.getParams().getBenchmark().endsWith("sealAndOpen") ? 0 : 1;
            scores.computeIfAbsent(spans, s -> new double[2])[index] = result.getPrimaryResult().getScore();
        }
        OrganizationKey key = OrganizationKey.generate("Bench", Clock.systemUTC());
        BatchSealer sealer = BatchSealer.create(DeviceKeys.generate().getPrivate(), key.certificate());
        StringBuilder json = new StringBuilder("{\"benchmark\":\"EnvelopeBenchmark\",\"unit\":\"batches/s\","
                + "\"cpus\":" + Runtime.getRuntime().availableProcessors() + ",\"java\":\""
                + System.getProperty("java.version") + "\",\"results\":[");
        System.out.printf(Locale.ROOT, "%6s %9s %9s %8s %12s %9s %12s %9s %7s %7s%n", "spans", "json B", "zlib B",
                "sealed B", "seal+open/s", "MB/s", "aes-gcm/s", "MB/s", "ratio", "added");
        String separator = "";
        for (Map.Entry<Integer, double[]> entry : scores.entrySet()) {
            int spans = entry.getKey();
            byte[] payload = EnvelopeBenchmark.payload(UUID.randomUUID(), spans);
            int deflated = deflate(payload).length;
            int sealedSize = sealer.seal(payload, BatchBinding.of(UUID.randomUUID(), UUID.randomUUID(), 1)).length;
            double envelope = entry.getValue()[0];
            double plain = entry.getValue()[1];
            double megabytes = payload.length / 1e6;
            System.out.printf(Locale.ROOT, "%6d %9d %9d %8d %12.1f %9.2f %12.1f %9.2f %7.1f %7d%n", spans,
                    payload.length, deflated, sealedSize, envelope, envelope * megabytes, plain, plain * megabytes,
                    plain / envelope, sealedSize - deflated);
            json.append(separator).append(String.format(Locale.ROOT, "{\"spans\":%d,\"jsonBytes\":%d,"
                    + "\"zlibBytes\":%d,\"sealedBytes\":%d,\"bytesAddedOverZlib\":%d,\"sealAndOpenPerSecond\":%.1f,"
                    + "\"sealAndOpenMBps\":%.3f,\"plainAesGcmPerSecond\":%.1f,\"plainAesGcmMBps\":%.3f,"
                    + "\"plainOverEnvelope\":%.2f}", spans, payload.length, deflated, sealedSize,
                    sealedSize - deflated, envelope, envelope * megabytes, plain, plain * megabytes, plain / envelope));
            separator = ",";
        }
        json.append("]}\n");
        Path out = Path.of("bench", "results", "envelope.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, json, StandardCharsets.UTF_8);
        System.out.println("results: " + out);
    }

    private static byte[] deflate(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflater = new DeflaterOutputStream(out)) {
            deflater.write(bytes);
        }
        return out.toByteArray();
    }
}
