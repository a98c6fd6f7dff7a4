package com.xentracker.collector.cli;

import com.xentracker.collector.AgentConfig;
import com.xentracker.collector.ConfigLayers;
import com.xentracker.collector.ConfigLayers.LayeredConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --config} and {@code --data-dir}, shared by every command that touches the data directory. */
final class ConfigOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file with agent settings (the keys of the README), read after the user file,"
                    + " the system file (/etc/xentracker/agent.conf) and the XT_AGENT_... environment variables;"
                    + " options override it.")
    private Path configFile;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory (enrollment and span buffer). Default: ~/.xentracker/agent, or as the"
                    + " configuration files say.")
    private String dataDir;

    /** Defaults, user file, system file, environment, then {@code --config}, then the options. */
    AgentConfig config() {
        return load(Map.of()).config();
    }

    /** {@link #config()} with further options of the command (key to value; null values are left out). */
    LayeredConfig load(Map<String, String> options) {
        Map<String, String> all = new LinkedHashMap<>();
        if (dataDir != null) {
            all.put(AgentConfig.DATA_DIR, dataDir);
        }
        options.forEach((key, value) -> {
            if (value != null) {
                all.put(key, value);
            }
        });
        return layers().load(Optional.ofNullable(configFile), all);
    }

    /**
     * The options a suggested command must repeat to reach the same data directory: {@code --config} and
     * {@code --data-dir} as this command line gave them (with a leading space), else nothing. Not the data directory
     * a configuration file names: the suggested command reads the same files (the installed
     * {@code /var/lib/xentracker-agent/%u} must not read as an option to type).
     */
    String repeatedOptions() {
        return (configFile == null ? "" : " --config " + configFile) + (dataDir == null ? "" : " --data-dir " + dataDir);
    }

    /** The command that starts the agent here ({@code xentracker-agent}, or the java command of a build). */
    String agentCommand() {
        Object root = command.root().userObject();
        return root instanceof AgentMain main ? main.command() : AgentMain.INSTALLED_COMMAND;
    }

    /** The layers of the command line this command runs in: the machine's, or those a test gave. */
    ConfigLayers layers() {
        Object root = command.root().userObject();
        return root instanceof AgentMain main ? main.layers() : ConfigLayers.thisMachine();
    }
}
