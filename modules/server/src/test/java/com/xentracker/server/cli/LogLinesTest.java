package com.xentracker.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.xentracker.server.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** log-format=json: one JSON object per line, with the message pattern to count by and the formatted message. */
class LogLinesTest {

    @Test
    void aJsonLineCarriesLevelLoggerPatternAndFormattedMessageButNotTheContext() {
        LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        Logger logger = context.getLogger("com.xentracker.server.ingest.BatchIngest");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN,
                "Device {} skipped sequence numbers before {}", null, new Object[] {"d-1", 7});

        String line = new String(LogLines.jsonEncoder(context).encode(event), StandardCharsets.UTF_8);

        assertThat(line).endsWith("\n").doesNotContain("\n{").startsWith("{");
        assertThat(line.strip()).endsWith("}");
        assertThat(line).contains("\"level\":\"WARN\"", "\"loggerName\":\"com.xentracker.server.ingest.BatchIngest\"",
                "\"message\":\"Device {} skipped sequence numbers before {}\"",
                "\"formattedMessage\":\"Device d-1 skipped sequence numbers before 7\"")
                .doesNotContain("\"context\"", "\"arguments\"");
    }

    @Test
    void theLogFormatIsAConfigurationKey() {
        assertThat(ServerConfig.fromSettings(Map.of("log-format", "json")).observability().logFormat())
                .isEqualTo(ServerConfig.LogFormat.JSON);
        assertThat(ServerConfig.fromSettings(Map.of()).observability().logFormat())
                .isEqualTo(ServerConfig.LogFormat.TEXT);
        assertThat(ServerConfig.fromSettings(Map.of("log-format", "JSON", "metrics-port", "9464"))
                .describe()).containsEntry("log-format", "json").containsEntry("metrics-port", "9464")
                .containsEntry("metrics-bind-address", "127.0.0.1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServerConfig.fromSettings(
                Map.of("log-format", "xml"))).hasMessageContaining("log-format");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServerConfig.fromSettings(
                Map.of("metrics-port", "70000"))).hasMessageContaining("metrics-port");
    }
}
