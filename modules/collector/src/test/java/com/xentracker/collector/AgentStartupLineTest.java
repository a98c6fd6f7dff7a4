package com.xentracker.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.policy.CollectionPolicy;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The agent's start-up log line: what the organization's policy collects comes first, and the local
 * {@code collect-window-titles} reads as a ceiling, never as if the device collected titles the policy does not.
 */
class AgentStartupLineTest {

    private static final CollectionPolicy TITLES = new CollectionPolicy(3, true, List.of(), Set.of(),
            Optional.empty(), false, CollectionPolicy.DEFAULT_IDLE_THRESHOLD, false, false);

    @Test
    void aPolicyWithoutTitlesSaysTitlesOffAndTheLocalSettingIsACeiling() {
        String line = Agent.startupLine(CollectionPolicy.defaults(), AgentConfig.defaults());

        assertThat(line).startsWith("organization policy version 0: window titles off; local configuration: ")
                .contains("collect-window-titles=true (ceiling: where the policy collects them)")
                .doesNotContain("window titles on");
    }

    @Test
    void aDeviceThatRefusesTitlesSaysSoBesideAPolicyThatCollectsThem() {
        String refused = Agent.startupLine(TITLES, AgentConfig.defaults().with(AgentConfig.COLLECT_WINDOW_TITLES,
                "false"));
        String collected = Agent.startupLine(TITLES, AgentConfig.defaults());

        assertThat(refused).startsWith("organization policy version 3: window titles on, but refused by this device")
                .contains("collect-window-titles=false (ceiling)");
        assertThat(collected).startsWith("organization policy version 3: window titles on; local configuration: ");
    }
}
