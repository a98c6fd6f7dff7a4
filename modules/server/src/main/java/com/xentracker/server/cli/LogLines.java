package com.xentracker.server.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import com.xentracker.server.ServerConfig.LogFormat;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * {@code log-format=json}: every console line becomes one JSON object (Logback's own {@link JsonEncoder}, so no
 * further library), for log collectors and for counting what happened (the fault-injection suite). Fields:
 * {@code timestamp} (epoch millis), {@code level}, {@code threadName}, {@code loggerName}, {@code message} (the
 * SLF4J pattern with its {@code {}}: a stable key to count by), {@code formattedMessage}, {@code mdc},
 * {@code kvpList}, {@code throwable}; not the logger context, nor the arguments apart (they are in the formatted
 * message). The same rules as for text apply: no secrets or personal data in any message.
 */
final class LogLines {

    private LogLines() {
    }

    /** Switches the console appenders of the root logger to {@code format}; text leaves logback.xml's pattern. */
    static void use(LogFormat format) {
        if (format != LogFormat.JSON || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Iterator<Appender<ILoggingEvent>> appenders = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                .iteratorForAppenders();
        while (appenders.hasNext()) {
            if (appenders.next() instanceof OutputStreamAppender<ILoggingEvent> console) {
                console.setEncoder(jsonEncoder(context));
            }
        }
    }

    /** The encoder of one JSON object per line. */
    static JsonEncoder jsonEncoder(LoggerContext context) {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithContext(false);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithArguments(false);
        encoder.setWithFormattedMessage(true);
        encoder.start();
        return encoder;
    }
}
