package com.xentracker.collector.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.xentracker.collector.buffer.BufferConfig;
import com.xentracker.collector.buffer.SpanBuffer;
import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.testing.clock.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The agent's own log of recorded spans (what the fault suite counts against the server): one DEBUG line per span
 * the buffer committed, naming its row id and times, never what it records.
 */
class RecordedSpansLogTest {

    private static final Instant T0 = Instant.parse("2026-11-16T09:00:00Z");

    @TempDir
    Path dir;

    @Test
    void everyCommittedSpanIsLoggedOnceWithItsBufferIdAndTimesButNothingItRecords() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger logger = context.getLogger("xentracker.recorded-spans");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        Level before = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        Activity secret = Activity.active("secret-app", "/opt/secret", Optional.of("secret title"));
        try (SpanBuffer buffer = SpanBuffer.open(dir.resolve("buffer.db"), BufferConfig.defaults(),
                MutableClock.at(T0.plusSeconds(60)))) {
            buffer.append(List.of(Span.of(T0, T0.plusSeconds(1), secret), Span.of(T0.plusSeconds(1),
                    T0.plusSeconds(2), secret)));
            buffer.record(List.of(Span.of(T0.plusSeconds(2), T0.plusSeconds(3), secret)),
                    Optional.of(Span.of(T0.plusSeconds(3), T0.plusSeconds(4), secret)));
            buffer.closeOpenSpan();
        } finally {
            logger.detachAppender(lines);
            logger.setLevel(before);
        }

        List<String> expected = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("buffer.db"));
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id, start_ns, end_ns FROM span ORDER BY id")) {
            while (rows.next()) {
                expected.add("recorded span " + rows.getLong(1) + " from " + nanos(rows.getLong(2)) + " to "
                        + nanos(rows.getLong(3)));
            }
        }
        assertThat(expected).hasSize(4);
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactlyElementsOf(expected);
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(line -> line.contains("secret"));
    }

    @Test
    void theDebugPropertyNamesLoggersSeparatedByCommas() {
        assertThat(AgentLogConfigurator.debugLoggers(" xentracker.recorded-spans, a.b ,,"))
                .containsExactly("xentracker.recorded-spans", "a.b");
        assertThat(AgentLogConfigurator.debugLoggers("")).isEmpty();
    }

    private static Instant nanos(long nanos) {
        return Instant.ofEpochSecond(0, nanos);
    }
}
