package com.xentracker.collector.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * The agent's logging, configured in code: INFO and above to stderr (so that the output of {@code status},
 * {@code show} and {@code version} on stdout stays clean for scripts), one line per event with an ISO-8601 timestamp.
 *
 * <p>In code rather than {@code logback.xml} for the footprint: parsing XML loads the JDK's XML stack and logback's
 * Joran configurator, several hundred classes and about 5 MiB of resident memory that a process running all day on
 * every laptop would carry for nothing. {@code -Dlogback.configurationFile=FILE} still wins (for debugging).
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class AgentLogConfigurator extends ContextAwareBase implements Configurator {

    /** See {@link #debugLoggers(String)}. */
    public static final String DEBUG_PROPERTY = "xt.log.debug";

    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{20} - %msg%n";

    /** For the ServiceLoader. */
    public AgentLogConfigurator() {}

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY; // a file given on the command line: Joran reads it
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("CONSOLE");
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        debugLoggers(System.getProperty(DEBUG_PROPERTY, "")).forEach(name -> context.getLogger(name)
                .setLevel(Level.DEBUG));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * The loggers {@code -Dxt.log.debug=NAME[,NAME...]} turns to DEBUG, e.g. {@code xentracker.recorded-spans} (one
     * line per recorded span: its id and times; what the fault suite counts). A system property rather than a
     * configuration key: it is for diagnosis and tests, and needs no logback.xml (see the class comment).
     */
    static java.util.List<String> debugLoggers(String property) {
        return java.util.Arrays.stream(property.split(",")).map(String::strip).filter(name -> !name.isEmpty())
                .toList();
    }

    /**
     * Switches the console to {@code format} ({@code log-format=json}: one JSON object per line, Logback's own
     * {@link JsonEncoder}, for log collectors and for counting what happened; the message pattern with its
     * {@code {}} is a stable key, the formatted message beside it). Text leaves the line above.
     */
    public static void use(LogFormat format) {
        if (format != LogFormat.JSON || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Iterator<Appender<ILoggingEvent>> appenders = context.getLogger(Logger.ROOT_LOGGER_NAME)
                .iteratorForAppenders();
        while (appenders.hasNext()) {
            if (appenders.next() instanceof OutputStreamAppender<ILoggingEvent> console) {
                console.setEncoder(jsonEncoder(context));
            }
        }
    }

    /** One JSON object per line, without the logger context and the arguments apart (they are in the message). */
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
