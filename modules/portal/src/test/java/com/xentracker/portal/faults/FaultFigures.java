package com.xentracker.portal.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One scenario's figures. With {@code -Dxt.faults.report-dir=DIR} (what {@code bench/run faults} passes) each is
 * written as {@code DIR/<scenario>.json}; the benchmark joins them into {@code bench/results/faults.json}.
 */
record FaultFigures(String scenario, int runs, int agents, SpanTally tally, List<Long> recoveryMillis, long seconds,
        long seed, String notes) {

    void write() throws Exception {
        String line = json();
        System.out.print(line);
        String dir = System.getProperty("xt.faults.report-dir");
        if (dir == null) {
            return;
        }
        Files.createDirectories(Path.of(dir));
        Files.writeString(Path.of(dir, scenario + ".json"), line);
    }

    String json() {
        List<Long> sorted = recoveryMillis.stream().sorted().toList();
        return String.format(Locale.ROOT, "{\"scenario\":\"%s\",\"runs\":%d,\"agents\":%d,\"recorded\":%d,"
                        + "\"logged\":%d,\"stored\":%d,\"lost\":%d,\"duplicated\":%d,\"unknown\":%d,\"outOfOrder\":%d,"
                        + "\"recoveryMs\":{\"p50\":%d,\"max\":%d},\"seconds\":%d,\"seed\":%d,\"notes\":\"%s\"}%n",
                scenario, runs, agents, tally.recorded(), tally.logged(), tally.stored(), tally.lost(),
                tally.duplicated(), tally.unknown(), tally.outOfOrder(), percentile(sorted, 50),
                percentile(sorted, 100), seconds, seed, notes.replace("\"", "'"));
    }

    private static long percentile(List<Long> sorted, int percent) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
