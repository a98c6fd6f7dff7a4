package com.xentracker.collector.cli;

import com.xentracker.collector.Agent;
import com.xentracker.collector.AgentConfig;
import com.xentracker.collector.enrollment.EnrolledDevice;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "rotate-key", description = "Replace this device's signing key (the agent must not be running).")
final class RotateKeyCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions options;

    @Override
    public Integer call() {
        AgentConfig config = options.config();
        EnrolledDevice device = Agent.rotateDeviceKey(config, Clock.systemDefaultZone());
        spec.commandLine().getOut().printf("Device %s now signs its batches with a new key; the old key is retired"
                + " for good.%n", device.deviceId());
        return ExitCodes.OK;
    }
}
