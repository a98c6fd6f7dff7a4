package com.xentracker.collector.cli;

import com.xentracker.collector.AgentConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config} and {@code --data-dir}, shared by every command that touches the data directory. */
final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file with the agent configuration (keys: data-dir, poll-interval,"
                    + " idle-threshold, upload-interval, collect-window-titles, buffer-max-size, buffer-max-age,"
                    + " sent-history). Options override it.")
    private Path configFile;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory (enrollment and span buffer). Default: ~/.xentracker/agent.")
    private String dataDir;

    /** Defaults, then the file, then the options. */
    AgentConfig config() {
        AgentConfig config = configFile == null ? AgentConfig.defaults() : AgentConfig.load(configFile);
        return dataDir == null ? config : config.with(AgentConfig.DATA_DIR, dataDir);
    }
}
