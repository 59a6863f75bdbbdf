package dev.louie.core;

import java.io.PrintWriter;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Sets up logging for {@link ConsumerMain} from {@code --logfile}, {@code --quiet} and {@code --verbose},
 * before its first log line, whatever SLF4J provider the class path holds:
 *
 * <ul>
 *   <li>always: the system properties {@code louie.logfile}, {@code louie.loglevel} (Louie's loggers) and
 *       {@code louie.rootlevel} (everything else), for a user's own logging configuration to read;
 *   <li>logback that nobody configured (it fell back to its basic console): Louie's default, see
 *       {@link LogbackDefaults};
 *   <li>no provider (SLF4J's no-operation logger): one line on stderr saying so, instead of SLF4J's three;
 *   <li>any other provider, or logback configured by the user: their configuration, untouched.
 * </ul>
 *
 * <p>This class never touches logback's types, so core runs without logback.
 */
final class ConsumerLogging {
    static final String NO_PROVIDER = "louie-consumer: logs are off: SLF4J has no provider on the class path; "
            + "add ch.qos.logback:logback-classic (or any SLF4J 2 provider)";
    static final String LOGBACK = "ch.qos.logback.classic.LoggerContext";
    static final String NOP = "org.slf4j.helpers.NOPLoggerFactory";

    private ConsumerLogging() {
    }

    /**
     * @param logfile the log file, or null for the console only
     * @param err where the one line about missing logs goes
     * @throws IllegalArgumentException when the log file cannot be written
     */
    static void setUp(String logfile, boolean quiet, boolean verbose, PrintWriter err) {
        // read when the provider configures itself, which happens below: set them first
        if (logfile != null) {
            System.setProperty("louie.logfile", logfile);
        }
        System.setProperty("louie.loglevel", quiet ? "WARN" : verbose ? "DEBUG" : "INFO");
        System.setProperty("louie.rootlevel", quiet ? "WARN" : "INFO");

        String factory = initialize().getClass().getName();
        if (factory.equals(NOP)) {
            err.println(NO_PROVIDER);
            err.flush();
        } else if (factory.equals(LOGBACK)) {
            LogbackDefaults.applyIfUnconfigured(logfile, quiet, verbose);
        }
    }

    /**
     * SLF4J's factory. When the class path has no provider at all, SLF4J is told to use its
     * no-operation one quietly, so that {@link #NO_PROVIDER} is the only line about it.
     */
    private static ILoggerFactory initialize() {
        boolean quietly = System.getProperty("slf4j.provider") == null && System.getProperty("slf4j.internal.verbosity") == null
                && !anyProvider();
        if (quietly) {
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        try {
            return LoggerFactory.getILoggerFactory();
        } finally {
            if (quietly) {
                System.clearProperty("slf4j.provider");
                System.clearProperty("slf4j.internal.verbosity");
            }
        }
    }

    /** Whether SLF4J would find a provider, or an SLF4J 1.7 binding it would warn about ignoring. */
    private static boolean anyProvider() {
        ClassLoader loader = LoggerFactory.class.getClassLoader();
        if (loader != null && loader.getResource("org/slf4j/impl/StaticLoggerBinder.class") != null) {
            return true;
        }
        try {
            return ServiceLoader.load(SLF4JServiceProvider.class, loader).iterator().hasNext();
        } catch (ServiceConfigurationError e) {
            return true; // a broken provider: SLF4J says what is wrong with it
        }
    }
}
