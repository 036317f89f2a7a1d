package dev.dropstream.cli.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Raises loggers to WARN until closed, then puts their levels back: the embedded broker's INFO lines would bury
 * the benchmark's own progress on stderr, while its warnings, and every client's, stay visible.
 */
final class QuietLoggers implements AutoCloseable {
    private final Map<Logger, Level> before = new HashMap<>();

    private QuietLoggers() {
    }

    static QuietLoggers atWarn(String... names) {
        QuietLoggers q = new QuietLoggers();
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            for (String name : List.of(names)) {
                Logger logger = context.getLogger(name);
                // A null level means the logger inherits one; close() restores exactly that.
                q.before.put(logger, logger.getLevel());
                logger.setLevel(Level.WARN);
            }
        }
        return q;
    }

    @Override
    public void close() {
        before.forEach(Logger::setLevel);
    }
}
