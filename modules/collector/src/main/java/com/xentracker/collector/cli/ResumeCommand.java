package com.xentracker.collector.cli;

import com.xentracker.collector.AgentConfig;
import com.xentracker.collector.policy.PolicyCache;
import com.xentracker.collector.policy.PrivateTime;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "resume", description = "End private time: recording continues within one poll interval.")
final class ResumeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions options;

    @Override
    public Integer call() {
        AgentConfig config = options.config();
        // resuming is always allowed, whatever the policy says now
        boolean wasPaused = PrivateTime.in(config.dataDir(), PolicyCache.open(config.dataDir()),
                Clock.systemDefaultZone()).resume();
        spec.commandLine().getOut().println(wasPaused ? "Private time ended; recording continues."
                : "Private time was not on; nothing changed.");
        return ExitCodes.OK;
    }
}
