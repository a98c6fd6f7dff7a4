package com.xentracker.collector.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.xentracker.collector.AgentConfig;
import com.xentracker.collector.InvalidConfigException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The agent's log-format=json: a configuration key, and one JSON object per line. */
class LogFormatTest {

    @Test
    void logFormatIsAConfigurationKeyThatDefaultsToText() {
        assertThat(AgentConfig.defaults().logFormat()).isEqualTo(LogFormat.TEXT);
        assertThat(AgentConfig.defaults().with("log-format", "json").logFormat()).isEqualTo(LogFormat.JSON);
        assertThat(AgentConfig.defaults().with("log-format", "json").describe()).containsEntry("log-format", "json");
        assertThat(AgentConfig.KEYS).contains("log-format");
        assertThatThrownBy(() -> AgentConfig.defaults().with("log-format", "yaml"))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("log-format");
    }

    @Test
    void aJsonLineCarriesLevelLoggerPatternAndFormattedMessage() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger logger = context.getLogger("com.xentracker.collector.upload.Uploader");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.INFO,
                "batch {} uploaded: {} spans, {} gaps{}", null, new Object[] {4, 12, 0, ""});

        String line = new String(AgentLogConfigurator.jsonEncoder(context).encode(event), StandardCharsets.UTF_8);

        assertThat(line).startsWith("{").endsWith("}\n").contains("\"level\":\"INFO\"",
                "\"loggerName\":\"com.xentracker.collector.upload.Uploader\"",
                "\"message\":\"batch {} uploaded: {} spans, {} gaps{}\"",
                "\"formattedMessage\":\"batch 4 uploaded: 12 spans, 0 gaps\"").doesNotContain("\"context\"");
    }
}
