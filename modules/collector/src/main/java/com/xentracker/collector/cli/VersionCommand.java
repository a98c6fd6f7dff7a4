package com.xentracker.collector.cli;

import com.xentracker.collector.AgentVersion;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "version", description = "Print the agent version.")
final class VersionCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println("xentracker-agent " + AgentVersion.current());
        return ExitCodes.OK;
    }
}
