package com.xentracker.testing.prerequisite;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine beyond the JDK and Maven (an X server, nginx, an external PostgreSQL). When it
 * is missing the test is skipped, so that a developer's machine runs what it can; with {@code XT_REQUIRE_ALL=1} (CI,
 * {@code .ci/run}) it fails instead, so that a suite that skipped half its tests cannot pass there. Either way the
 * message names what is missing and how to get it.
 */
public final class Prerequisites {

    /** The environment variable that turns "missing, skipped" into "missing, failed" when set to {@code 1}. */
    public static final String REQUIRE_ALL = "XT_REQUIRE_ALL";

    private Prerequisites() {
    }

    /** Whether this run must not skip anything for a missing prerequisite. */
    public static boolean requireAll() {
        return "1".equals(System.getenv(REQUIRE_ALL));
    }

    /**
     * Skips the test, or fails it under {@code XT_REQUIRE_ALL=1}, unless {@code present}.
     *
     * @param what what is missing and how to get it, e.g. {@code "nginx (apt-get install nginx)"}
     * @throws MissingPrerequisiteException when it is missing and {@code XT_REQUIRE_ALL=1}
     * @throws org.opentest4j.TestAbortedException when it is missing otherwise (JUnit reports the test as skipped)
     */
    public static void require(boolean present, String what) {
        if (present) {
            return;
        }
        if (requireAll()) {
            throw new MissingPrerequisiteException(REQUIRE_ALL + "=1 but " + what + " is missing");
        }
        Assumptions.abort(what + " is missing");
    }

    /**
     * {@link #require}s every tool on the {@code PATH}.
     *
     * @param howToInstall appended to the message, e.g. {@code "Debian: apt-get install -y xvfb"}
     */
    public static void requireTools(List<String> tools, String howToInstall) {
        for (String tool : tools) {
            require(onPath(tool).isPresent(), "the tool '" + tool + "' (" + howToInstall + ")");
        }
    }

    /** Where {@code tool} is on the {@code PATH}, if it is. */
    public static Optional<Path> onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String directory : path.split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, tool))) {
                return Optional.of(Path.of(directory, tool));
            }
        }
        return Optional.empty();
    }
}
