package com.xentracker.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The agent's footprint as a whole process, not a test: the real agent ({@code run}, 1 s polling) records a real X
 * server (Xvfb + openbox) on which two or three real windows (xterm) are activated in turn every few seconds with
 * xdotool (and the mouse moved, so the person counts as active, not idle), and uploads every 10 s to a real Xentracker server (embedded PostgreSQL) it enrolled with. Every few
 * seconds the agent's CPU time ({@code /proc/PID/stat} utime + stime) and resident memory ({@code /proc/PID/status}
 * VmRSS) are sampled. Prints the figures and writes JSON.
 *
 * <p>Before the measured run, a training run of the same agent writes an AppCDS archive
 * ({@code -XX:ArchiveClassesAtExit}, dumped when SIGTERM ends it) that the measured run maps
 * ({@code -XX:SharedArchiveFile}), as the launcher does; {@code --no-cds} skips both.
 *
 * <pre>
 * bench/run footprint [--duration 10m] [--poll 1s] [--switch-every 3s] [--windows 3] [--sample-every 5s]
 *                     [--warm-up 60s] [--upload-interval 10s] [--flags-file modules/collector/agent-jvm-flags]
 *                     [--jvm-flag FLAG]... [--no-cds] [--strip-jar-signatures] [--agent-image /opt/xentracker-agent]
 *                     [--out bench/results/agent-footprint.json]
 * </pre>
 *
 * <p>{@code --agent-image DIR} measures a jpackage image instead (the installed package: {@code /opt/xentracker-agent}):
 * its launcher with the JVM options of its configuration and the class-data archive its package made; no training
 * run. {@code --jvm-flag} then goes to the launcher's JVM through {@code JAVA_TOOL_OPTIONS} (e.g. {@code -Xshare:off}).
 *
 * Needs a build ({@code mvn -Pbench -DskipTests package}) and Xvfb, openbox, xdotool and xterm.
 */
public final class AgentFootprint {

    private static final String AGENT_MAIN = "com.xentracker.collector/com.xentracker.collector.cli.AgentMain";
    private static final String SERVER_MAIN = "com.xentracker.server/com.xentracker.server.cli.ServerMain";

    private final Options options;
    private final Path root;
    private final Path work;
    private final List<Process> processes = new ArrayList<>();
    private final AtomicInteger switches = new AtomicInteger();
    private final AtomicInteger failedSwitches = new AtomicInteger();
    private String display;

    private AgentFootprint(Options options, Path root, Path work) {
        this.options = options;
        this.root = root;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path root = Path.of(System.getProperty("xt.project.root", ".")).toAbsolutePath().normalize();
        Path work = Files.createTempDirectory("xt-footprint-");
        AgentFootprint bench = new AgentFootprint(options, root, work);
        try {
            bench.run();
        } finally {
            bench.stopAll();
        }
    }

    private void run() throws Exception {
        for (String tool : List.of("Xvfb", "openbox", "xdotool", "xterm")) {
            if (!onPath(tool)) {
                throw new IllegalStateException(tool + " is not installed (Debian: apt-get install -y xvfb openbox"
                        + " xdotool xterm)");
            }
        }
        List<String> flags = options.agentImage != null ? new ArrayList<>() : readFlags(root.resolve(options.flagsFile));
        flags.addAll(options.extraFlags);
        String agentModules = options.agentImage != null ? "" : agentModulePath();
        log("work directory " + work);
        startX();
        List<Long> windows = new ArrayList<>();
        for (int i = 0; i < options.windows; i++) {
            windows.add(xterm("xt-bench-" + i, "XtBench" + (char) ('A' + i)));
        }
        int port = freePort();
        startServer(port);
        Path dataDir = work.resolve("agent");
        enroll(agentModules, dataDir, port);

        List<String> measuredFlags = new ArrayList<>(flags);
        if (options.cds && options.agentImage == null) {
            Path archive = work.resolve("agent-cds.jsa");
            List<String> training = new ArrayList<>(flags);
            training.add("-XX:ArchiveClassesAtExit=" + archive);
            log("training run for the AppCDS archive (" + options.training.toSeconds() + " s)");
            AtomicBoolean switching = switchWindows(windows);
            Process trainer = startAgent(training, agentModules, dataDir, "training");
            sleep(options.training);
            stopGently(trainer);
            switching.set(false);
            if (!Files.exists(archive)) {
                throw new IllegalStateException("the training run wrote no archive; see " + work.resolve("agent-training.log"));
            }
            log("archive " + archive + ": " + Files.size(archive) / 1024 / 1024 + " MiB");
            measuredFlags.add("-XX:SharedArchiveFile=" + archive);
        }

        log("measured run: " + options.duration.toSeconds() + " s, poll " + options.poll.toMillis() + " ms, "
                + options.windows + " windows switching every " + options.switchEvery.toSeconds() + " s; flags "
                + String.join(" ", measuredFlags));
        switches.set(0);
        failedSwitches.set(0);
        AtomicBoolean switching = switchWindows(windows);
        long clockTicks = clockTicks();
        Instant start = Instant.now();
        Process agent = startAgent(measuredFlags, agentModules, dataDir, "measured");
        List<Sample> samples = new ArrayList<>();
        long pid = agent.pid();
        while (Duration.between(start, Instant.now()).compareTo(options.duration) < 0) {
            if (!agent.isAlive()) {
                throw new IllegalStateException("the agent exited; see " + work.resolve("agent-measured.log"));
            }
            samples.add(sample(pid, clockTicks, start));
            sleep(options.sampleEvery);
        }
        samples.add(sample(pid, clockTicks, start));
        Map<String, Double> threads = cpuByThread(pid, clockTicks);
        switching.set(false);
        stopGently(agent);
        String log = Files.readString(work.resolve("agent-measured.log"));
        report(measuredFlags, samples, threads, log);
    }

    private void report(List<String> flags, List<Sample> samples, Map<String, Double> threads, String agentLog)
            throws IOException {
        Sample last = samples.get(samples.size() - 1);
        double wall = last.seconds();
        double cpuPercent = 100 * last.cpuSeconds() / wall;
        Sample warm = samples.stream().filter(s -> s.seconds() >= options.warmUp.toSeconds()).findFirst()
                .orElse(samples.get(0));
        double steadyPercent = last.seconds() > warm.seconds()
                ? 100 * (last.cpuSeconds() - warm.cpuSeconds()) / (last.seconds() - warm.seconds()) : Double.NaN;
        List<Long> rss = samples.stream().map(Sample::rssKiB).sorted().toList();
        long rssMax = rss.get(rss.size() - 1);
        long rssP50 = rss.get((rss.size() - 1) / 2);
        List<Long> steadyRss = samples.stream().filter(s -> s.seconds() >= options.warmUp.toSeconds())
                .map(Sample::rssKiB).sorted().toList();
        long steadyP50 = steadyRss.isEmpty() ? rssP50 : steadyRss.get((steadyRss.size() - 1) / 2);
        long batches = agentLog.lines().filter(line -> line.contains("uploaded:")).count();
        long errors = agentLog.lines().filter(line -> line.contains(" ERROR ")).count();

        System.out.printf(Locale.ROOT, "%nAgent footprint over %.0f s (poll %d ms, %d windows switching every %d s)%n",
                wall, options.poll.toMillis(), options.windows, options.switchEvery.toSeconds());
        System.out.printf(Locale.ROOT, "  CPU, whole run:              %.3f %% of one core (%.2f s)%n", cpuPercent,
                last.cpuSeconds());
        System.out.printf(Locale.ROOT, "  CPU, after %3d s warm-up:     %.3f %% of one core%n", options.warmUp.toSeconds(),
                steadyPercent);
        System.out.printf(Locale.ROOT, "  RSS max / p50 / p50 warm:    %.1f / %.1f / %.1f MiB%n", rssMax / 1024.0,
                rssP50 / 1024.0, steadyP50 / 1024.0);
        System.out.printf("  batches uploaded: %d, errors logged: %d, window switches: %d (%d failed)%n", batches,
                errors, switches.get(), failedSwitches.get());
        long expected = (long) (wall / options.uploadInterval.toSeconds());
        if (batches < expected * 8 / 10) {
            System.out.printf("  WARNING: %d batches uploaded where about %d were expected: the agent did not record"
                    + " switches (idle? no focus change?) or could not upload; see %s%n", batches, expected,
                    work.resolve("agent-measured.log"));
        }
        System.out.printf("  CPU seconds by thread: %s%n", threads.entrySet().stream().limit(8)
                .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", ")));
        System.out.printf("  JVM flags: %s%n", String.join(" ", flags));

        StringBuilder json = new StringBuilder();
        json.append("{\n");
        field(json, "benchmark", quote("agent-footprint"));
        field(json, "date", quote(Instant.now().toString()));
        field(json, "java", quote(System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")));
        field(json, "cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        field(json, "durationSeconds", fmt(wall));
        field(json, "pollIntervalMillis", Long.toString(options.poll.toMillis()));
        field(json, "windows", Integer.toString(options.windows));
        field(json, "switchEverySeconds", Long.toString(options.switchEvery.toSeconds()));
        field(json, "uploadIntervalSeconds", Long.toString(options.uploadInterval.toSeconds()));
        field(json, "uploadingToRealServer", "true");
        field(json, "agentImage", options.agentImage == null ? "null" : quote(options.agentImage));
        field(json, "appCds", Boolean.toString(options.cds));
        field(json, "jarSignaturesStripped", Boolean.toString(options.stripSignatures));
        field(json, "jvmFlags", flags.stream().map(AgentFootprint::quote).collect(Collectors.joining(", ", "[", "]")));
        field(json, "cpuSeconds", fmt(last.cpuSeconds()));
        field(json, "cpuPercentOfOneCore", fmt(cpuPercent));
        field(json, "warmUpSeconds", Long.toString(options.warmUp.toSeconds()));
        field(json, "cpuPercentOfOneCoreAfterWarmUp", fmt(steadyPercent));
        field(json, "rssMaxMiB", fmt(rssMax / 1024.0));
        field(json, "rssP50MiB", fmt(rssP50 / 1024.0));
        field(json, "rssP50AfterWarmUpMiB", fmt(steadyP50 / 1024.0));
        field(json, "goal", "{\"cpuPercentOfOneCore\": 0.5, \"rssMiB\": 64}");
        field(json, "batchesUploaded", Long.toString(batches));
        field(json, "errorsLogged", Long.toString(errors));
        field(json, "windowSwitches", Integer.toString(switches.get()));
        field(json, "failedWindowSwitches", Integer.toString(failedSwitches.get()));
        json.append("  \"cpuSecondsByThread\": {").append(threads.entrySet().stream()
                .map(e -> quote(e.getKey()) + ": " + fmt(e.getValue())).collect(Collectors.joining(", ")))
                .append("},\n");
        json.append("  \"samples\": [\n");
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            json.append(String.format(Locale.ROOT, "    {\"t\": %.1f, \"cpuSeconds\": %.3f, \"rssKiB\": %d}%s%n",
                    s.seconds(), s.cpuSeconds(), s.rssKiB(), i < samples.size() - 1 ? "," : ""));
        }
        json.append("  ]\n}\n");
        Path out = root.resolve(options.out);
        Files.createDirectories(out.getParent());
        Files.writeString(out, json.toString(), StandardCharsets.UTF_8);
        System.out.println("  written: " + out);
    }

    private void startX() throws Exception {
        Process xvfb = new ProcessBuilder("Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
                .redirectError(work.resolve("xvfb.log").toFile()).start();
        processes.add(xvfb);
        String line = new BufferedReader(new InputStreamReader(xvfb.getInputStream(), StandardCharsets.US_ASCII))
                .readLine();
        if (line == null || !line.strip().matches("\\d+")) {
            throw new IllegalStateException("Xvfb reported no display; see " + work.resolve("xvfb.log"));
        }
        display = ":" + line.strip();
        processes.add(x(List.of("openbox", "--sm-disable")).start());
        waitFor(() -> exitCode(List.of("xdotool", "get_desktop")) == 0, "openbox");
        log("X server " + display + " with openbox");
    }

    private long xterm(String title, String windowClass) throws Exception {
        processes.add(x(List.of("xterm", "-T", title, "-class", windowClass, "-e", "sleep", "100000")).start());
        String ids = output(List.of("xdotool", "search", "--sync", "--onlyvisible", "--name", "^" + title + "$"));
        return Long.parseLong(ids.lines().findFirst().orElseThrow().strip());
    }

    /** Activates the windows in turn, every {@code switchEvery}, until the returned flag is cleared. */
    private AtomicBoolean switchWindows(List<Long> windows) {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger next = new AtomicInteger();
        Thread thread = new Thread(() -> {
            while (running.get()) {
                long window = windows.get(next.getAndIncrement() % windows.size());
                try {
                    output(List.of("xdotool", "windowactivate", "--sync", Long.toString(window)));
                    // someone is at the keyboard: input resets the X idle counter (activating a window does not),
                    // otherwise the agent records IDLE after its threshold and the benchmark measures an idle desktop
                    int x = 100 + 50 * (next.get() % 10);
                    output(List.of("xdotool", "mousemove", "--sync", Integer.toString(x), "300"));
                    switches.incrementAndGet();
                } catch (Exception e) {
                    failedSwitches.incrementAndGet();
                    log("window switch failed: " + e.getMessage());
                }
                sleep(options.switchEvery);
            }
        }, "window-switcher");
        thread.setDaemon(true);
        thread.start();
        return running;
    }

    private void startServer(int port) throws Exception {
        Path serverDir = work.resolve("server");
        Path token = work.resolve("enrollment.token");
        String modules = modulePath(root.resolve("modules/portal/target/modules"),
                root.resolve("modules/portal/target/xentracker-portal-0.1.0-SNAPSHOT.jar"));
        Process server = new ProcessBuilder(java(), "-p", modules, "-m", SERVER_MAIN, "serve",
                "--data-dir", serverDir.toString(), "--https-port", Integer.toString(port),
                "--enrollment-token-file", token.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("server.log").toFile()).start();
        processes.add(server);
        log("starting the server on port " + port + " (embedded PostgreSQL; the first start takes a while)");
        waitFor(() -> {
            if (!server.isAlive()) {
                throw new IllegalStateException("the server exited; see " + work.resolve("server.log"));
            }
            return Files.exists(token) && accepts(port);
        }, "the server", Duration.ofMinutes(3));
    }

    /** The command that starts the agent: the image's launcher, or java with the flags on the module path. */
    private List<String> agentCommand(List<String> flags, String modules) {
        List<String> command = new ArrayList<>();
        if (options.agentImage != null) {
            command.add(Path.of(options.agentImage, "bin", "xentracker-agent").toString());
        } else {
            command.add(java());
            command.addAll(flags);
            command.addAll(List.of("-p", modules, "-m", AGENT_MAIN));
        }
        return command;
    }

    /** The image's launcher takes its JVM options from its configuration; extra ones go through the environment. */
    private ProcessBuilder agentProcess(ProcessBuilder builder, List<String> flags) {
        builder.environment().put("XT_AGENT_SYSTEM_CONFIG", "none");
        builder.environment().put("XT_AGENT_USER_CONFIG", "none");
        if (options.agentImage != null && !flags.isEmpty()) {
            builder.environment().put("JAVA_TOOL_OPTIONS", String.join(" ", flags));
        }
        return builder;
    }

    private void enroll(String agentModules, Path dataDir, int port) throws Exception {
        List<String> command = agentCommand(readFlagsIfAny(), agentModules);
        command.addAll(List.of("enroll", "--data-dir", dataDir.toString(), "--server", "https://127.0.0.1:" + port,
                "--server-ca", work.resolve("server/tls/ca.pem").toString(),
                "--token-file", work.resolve("enrollment.token").toString()));
        Process enroll = agentProcess(new ProcessBuilder(command), List.of())
                .redirectErrorStream(true).redirectOutput(work.resolve("enroll.log").toFile()).start();
        if (!enroll.waitFor(2, TimeUnit.MINUTES) || enroll.exitValue() != 0) {
            throw new IllegalStateException("enrollment failed; see " + work.resolve("enroll.log"));
        }
        log("agent enrolled");
    }

    private Process startAgent(List<String> flags, String modules, Path dataDir, String name) throws IOException {
        List<String> command = agentCommand(flags, modules);
        command.addAll(List.of("run", "--data-dir", dataDir.toString(),
                "--poll-interval", options.poll.toMillis() + "ms", "--upload-interval",
                options.uploadInterval.toSeconds() + "s"));
        ProcessBuilder builder = agentProcess(x(command), flags).redirectErrorStream(true)
                .redirectOutput(work.resolve("agent-" + name + ".log").toFile());
        Process agent = builder.start();
        processes.add(agent);
        return agent;
    }

    /** The agent's module path, or a copy whose jars carry no signature (what a packaging step can do). */
    private String agentModulePath() throws IOException, InterruptedException {
        Path modules = root.resolve("modules/collector/target/modules");
        Path jar = root.resolve("modules/collector/target/xentracker-collector-0.1.0-SNAPSHOT.jar");
        if (!Files.isDirectory(modules) || !Files.exists(jar)) {
            throw new IllegalStateException("build first: mvn -B -Pbench -DskipTests package");
        }
        if (!options.stripSignatures) {
            return modulePath(modules, jar);
        }
        Path copy = Files.createDirectories(work.resolve("modules"));
        try (Stream<Path> jars = Files.list(modules)) {
            for (Path each : jars.toList()) {
                Path target = copy.resolve(each.getFileName());
                Files.copy(each, target);
                // zip -d exits 12 when nothing matched: an unsigned jar
                new ProcessBuilder("zip", "-q", "-d", target.toString(), "META-INF/*.SF", "META-INF/*.DSA",
                        "META-INF/*.RSA", "META-INF/*.EC").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            }
        }
        return modulePath(copy, jar);
    }

    private static String modulePath(Path directory, Path jar) {
        return directory + File.pathSeparator + jar;
    }

    private List<String> readFlagsIfAny() throws IOException {
        return options.agentImage != null ? List.of() : readFlags(root.resolve(options.flagsFile));
    }

    private static List<String> readFlags(Path file) throws IOException {
        List<String> flags = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String flag = line.replaceFirst("#.*", "").strip();
            if (!flag.isEmpty()) {
                flags.add(flag);
            }
        }
        return flags;
    }

    private static Sample sample(long pid, long clockTicks, Instant start) throws IOException {
        // /proc/PID/stat: fields 14 and 15 (utime, stime) in clock ticks, counted after the ")" of the name
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        long rss = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(line -> line.startsWith("VmRSS:")).map(line -> line.replaceAll("\\D", ""))
                .mapToLong(Long::parseLong).findFirst().orElse(-1);
        double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        return new Sample(seconds, (double) ticks / clockTicks, rss);
    }

    /**
     * CPU seconds per thread name ({@code /proc/PID/task/TID/comm}, which the JVM sets to the Java thread name cut to
     * 15 characters), largest first; threads that ended are not included.
     */
    private static Map<String, Double> cpuByThread(long pid, long clockTicks) throws IOException {
        Map<String, Double> byName = new java.util.HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    String stat = Files.readString(task.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    double seconds = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) clockTicks;
                    byName.merge(name, seconds, Double::sum);
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        Map<String, Double> sorted = new java.util.LinkedHashMap<>();
        byName.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private static long clockTicks() throws Exception {
        String ticks = output(new ProcessBuilder("getconf", "CLK_TCK")).strip();
        return Long.parseLong(ticks);
    }

    private static void stopGently(Process process) throws InterruptedException {
        process.destroy(); // SIGTERM: the agent closes its span and makes a last upload; the JVM dumps the archive
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private void stopAll() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process process = processes.get(i);
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
                try {
                    if (!process.waitFor(30, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private ProcessBuilder x(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("DISPLAY", display);
        builder.environment().remove("WAYLAND_DISPLAY");
        return builder;
    }

    private String output(List<String> command) throws Exception {
        return output(x(command));
    }

    private static String output(ProcessBuilder builder) throws Exception {
        Process process = builder.redirectError(ProcessBuilder.Redirect.DISCARD).start();
        // wait first (the output is a line or two, it fits the pipe): `xdotool windowactivate --sync` can hang
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", builder.command()) + " did not finish in 15 s");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", builder.command()) + " failed");
        }
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private int exitCode(List<String> command) {
        try {
            Process process = x(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(10, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) {
        waitFor(condition, what, Duration.ofSeconds(30));
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what, Duration patience) {
        Instant deadline = Instant.now().plus(patience);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            sleep(Duration.ofMillis(200));
        }
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(directory -> !directory.isEmpty() && Files.isExecutable(Path.of(directory, tool)));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void log(String message) {
        System.out.println("[footprint] " + message);
    }

    private static void field(StringBuilder json, String name, String value) {
        json.append("  ").append(quote(name)).append(": ").append(value).append(",\n");
    }

    private static String fmt(double value) {
        return Double.isNaN(value) ? "null" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private record Sample(double seconds, double cpuSeconds, long rssKiB) {}

    /** Command-line options, with the footprint goal's defaults: 10 minutes at 1 s polling, switching every 3 s. */
    private static final class Options {
        Duration duration = Duration.ofMinutes(10);
        Duration poll = Duration.ofSeconds(1);
        Duration switchEvery = Duration.ofSeconds(3);
        Duration sampleEvery = Duration.ofSeconds(5);
        Duration warmUp = Duration.ofSeconds(60);
        Duration training = Duration.ofSeconds(20);
        Duration uploadInterval = Duration.ofSeconds(30); // the agent's default (UploaderConfig)
        List<String> extraFlags = new ArrayList<>();
        int windows = 3;
        String flagsFile = "modules/collector/agent-jvm-flags";
        String out = "bench/results/agent-footprint.json";
        boolean cds = true;
        boolean stripSignatures;
        /** An installed (or built) app-image: its launcher, its JVM options and its class-data archive. */
        String agentImage;

        static Options parse(String[] args) {
            Options options = new Options();
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                switch (name) {
                    case "--no-cds" -> options.cds = false;
                    case "--strip-jar-signatures" -> options.stripSignatures = true;
                    default -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("missing value for " + name);
                        }
                        String value = args[++i];
                        switch (name) {
                            case "--duration" -> options.duration = duration(value);
                            case "--poll" -> options.poll = duration(value);
                            case "--switch-every" -> options.switchEvery = duration(value);
                            case "--sample-every" -> options.sampleEvery = duration(value);
                            case "--warm-up" -> options.warmUp = duration(value);
                            case "--training" -> options.training = duration(value);
                            case "--upload-interval" -> options.uploadInterval = duration(value);
                            case "--jvm-flag" -> options.extraFlags.add(value);
                            case "--windows" -> options.windows = Integer.parseInt(value);
                            case "--flags-file" -> options.flagsFile = value;
                            case "--agent-image" -> options.agentImage = value;
                            case "--out" -> options.out = value;
                            default -> throw new IllegalArgumentException("unknown option " + name);
                        }
                    }
                }
            }
            if (options.windows < 2 || options.windows > 26) {
                throw new IllegalArgumentException("--windows must be 2..26");
            }
            // a short run keeps a proportionate warm-up
            if (options.warmUp.compareTo(options.duration.dividedBy(2)) > 0) {
                options.warmUp = options.duration.dividedBy(4);
            }
            return options;
        }

        private static Duration duration(String value) {
            Map<String, java.util.function.LongFunction<Duration>> units = Map.of("ms", Duration::ofMillis,
                    "s", Duration::ofSeconds, "m", Duration::ofMinutes, "h", Duration::ofHours);
            var match = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(value.strip());
            if (!match.matches()) {
                throw new IllegalArgumentException("not a duration such as 60s or 10m: " + value);
            }
            return units.get(match.group(2)).apply(Long.parseLong(match.group(1)));
        }
    }
}
