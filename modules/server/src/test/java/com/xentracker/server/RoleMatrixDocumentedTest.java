package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.server.access.Action;
import com.xentracker.server.access.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The role × action matrix in the server README is {@link Action} itself, rendered: the README cannot drift from
 * what the guard enforces. (When an action is added, run this test and paste the table it prints.)
 */
class RoleMatrixDocumentedTest {

    /** The matrix as a Markdown table: one row per action an account can invoke, one column per role. */
    static String table() {
        String header = "| action (audit name) | " + Arrays.stream(Role.values())
                .map(role -> role.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(" | ")) + " |\n"
                + "|---|" + "---|".repeat(Role.values().length) + "\n";
        return header + Arrays.stream(Action.values()).filter(Action::invocable)
                .map(action -> "| `" + action.auditName() + "` | " + Arrays.stream(Role.values())
                        .map(role -> !action.allows(role) ? "—"
                                : role == Role.VIEWER && action.kind() == Action.Kind.READ_INDIVIDUALS ? "granted groups"
                                : role == Role.VIEWER && action.kind() == Action.Kind.READ ? "own groups" : "✓")
                        .collect(Collectors.joining(" | ")) + " |")
                .collect(Collectors.joining("\n")) + "\n";
    }

    @Test
    void theServerReadmeShowsTheMatrixTheGuardEnforces() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);

        assertThat(readme).as("modules/server/README.md must contain this table:%n%s", table()).contains(table());
    }
}
