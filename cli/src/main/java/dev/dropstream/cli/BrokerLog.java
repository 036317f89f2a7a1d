package dev.dropstream.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Sends the embedded broker's own log lines (Kafka's server loggers) to a rolling file instead of the
 * console, where the command's output and its user-facing diagnostics stay readable. Writes
 * {@code broker.log} (10 MiB, then three old files) in the directory it is given.
 */
final class BrokerLog implements AutoCloseable {
    /** Kafka's server classes log under these names; clients in this process log under org.apache.kafka too. */
    private static final List<String> BROKER_LOGGERS =
            List.of("kafka", "org.apache.kafka", "state.change.logger", "dev.dropstream.broker");

    private final RollingFileAppender<ILoggingEvent> appender;
    private final Path file;
    private final Map<String, Level> levelsBefore;

    private BrokerLog(RollingFileAppender<ILoggingEvent> appender, Path file, Map<String, Level> levelsBefore) {
        this.appender = appender;
        this.file = file;
        this.levelsBefore = levelsBefore;
    }

    /** Routes the broker loggers to {@code dir/broker.log} until {@link #close()}. */
    static BrokerLog into(Path dir) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Path file = dir.resolve("broker.log");

        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger - %msg%n");
        encoder.start();

        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName("broker-file");
        appender.setFile(file.toString());
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(appender);
        rolling.setFileNamePattern(dir.resolve("broker.%i.log").toString());
        rolling.setMinIndex(1);
        rolling.setMaxIndex(3);
        rolling.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(FileSize.valueOf("10MB"));
        trigger.start();
        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        appender.setEncoder(encoder);
        appender.start();

        Map<String, Level> levelsBefore = new HashMap<>();
        for (String name : BROKER_LOGGERS) {
            Logger logger = context.getLogger(name);
            // No entry means the logger inherited its level; close() restores that with null.
            if (logger.getLevel() != null) {
                levelsBefore.put(name, logger.getLevel());
            }
            logger.setLevel(Level.INFO);
            logger.setAdditive(false);
            logger.addAppender(appender);
        }
        return new BrokerLog(appender, file, levelsBefore);
    }

    Path file() {
        return file;
    }

    /** Puts the broker loggers back as the configuration had them and closes the file. */
    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        for (String name : BROKER_LOGGERS) {
            Logger logger = context.getLogger(name);
            logger.detachAppender(appender);
            logger.setAdditive(true);
            logger.setLevel(levelsBefore.get(name));
        }
        appender.stop();
    }
}
