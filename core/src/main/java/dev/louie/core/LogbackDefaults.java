package dev.louie.core;

import ch.qos.logback.classic.BasicConfigurator;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.TimeBasedRollingPolicy;
import ch.qos.logback.core.status.Status;
import org.slf4j.LoggerFactory;

/**
 * Louie's default logback configuration, applied only where logback found no configuration of the
 * user's (no {@code logback.xml}, {@code logback-test.xml}, {@code -Dlogback.configurationFile} or
 * {@code Configurator} service) and fell back to its {@link BasicConfigurator}: a console appender,
 * with a log file a daily rolling file kept 7 days; level INFO, WARN when quiet, and verbose raises
 * Louie's loggers ({@code dev.louie}) alone to DEBUG.
 *
 * <p>The only class of core that uses logback; {@link ConsumerLogging} loads it only when logback is
 * SLF4J's provider.
 */
final class LogbackDefaults {
    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";
    static final int DAYS_KEPT = 7;

    private LogbackDefaults() {
    }

    /**
     * Applies the default unless the user configured logback.
     *
     * @return whether it did
     * @throws IllegalArgumentException when the log file cannot be written
     */
    static boolean applyIfUnconfigured(String logfile, boolean quiet, boolean verbose) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        if (!basicConfiguration(context)) {
            return false;
        }
        Appender<ILoggingEvent> console = console(context);
        Appender<ILoggingEvent> file = logfile == null ? null : file(context, logfile);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(console);
        if (file != null) {
            root.addAppender(file);
        }
        root.setLevel(quiet ? Level.WARN : Level.INFO);
        context.getLogger("dev.louie").setLevel(verbose ? Level.DEBUG : null);
        return true;
    }

    /** Whether logback configured itself with its basic console, having found nothing of the user's. */
    static boolean basicConfiguration(LoggerContext context) {
        return context.getStatusManager().getCopyOfStatusList().stream().anyMatch(s -> s.getOrigin() instanceof BasicConfigurator);
    }

    private static PatternLayoutEncoder encoder(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        return encoder;
    }

    private static Appender<ILoggingEvent> console(LoggerContext context) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("CONSOLE");
        console.setEncoder(encoder(context));
        console.start();
        return console;
    }

    private static Appender<ILoggingEvent> file(LoggerContext context, String logfile) {
        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(context);
        file.setName("FILE");
        file.setFile(logfile);
        TimeBasedRollingPolicy<ILoggingEvent> policy = new TimeBasedRollingPolicy<>();
        policy.setContext(context);
        policy.setParent(file);
        policy.setFileNamePattern(logfile + ".%d{yyyy-MM-dd}");
        policy.setMaxHistory(DAYS_KEPT);
        policy.start();
        file.setRollingPolicy(policy);
        file.setEncoder(encoder(context));
        file.start();
        if (!file.isStarted()) {
            String why = context.getStatusManager().getCopyOfStatusList().stream()
                    .filter(s -> s.getLevel() == Status.ERROR && (s.getOrigin() == file || s.getOrigin() == policy))
                    .map(s -> s.getThrowable() != null ? s.getThrowable().toString() : s.getMessage())
                    .reduce((first, last) -> last).orElse("logback did not start its file appender");
            policy.stop();
            throw new IllegalArgumentException("--logfile " + logfile + ": cannot write it (" + why + ")");
        }
        return file;
    }
}
