package dev.louie.core;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs a consumer from the command line:
 *
 * <pre>
 * java -cp app.jar dev.louie.core.ConsumerMain com.example.Core#louie --workers 4 --logfile logs/louie.log
 * </pre>
 *
 * <p>{@code com.example.Core#louie} names a static field or static no-argument method that gives
 * the {@link Louie} instance. SIGINT or SIGTERM stop taking work, let running tasks finish within
 * the grace period, return unfinished messages to the queue and exit 0; a second signal exits at
 * once (leases then expire and other consumers run those messages).
 *
 * <p>Logging goes through SLF4J. {@code --logfile}, {@code --quiet} and {@code --verbose} set the
 * system properties {@code louie.logfile} and {@code louie.loglevel} before the first log line,
 * for the logging configuration to use (the examples' {@code logback.xml} does).
 */
@Command(name = "louie-consumer", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs the workers of a Louie application until SIGINT or SIGTERM.")
public final class ConsumerMain implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CLASS#MEMBER",
            description = "Static field or no-argument static method giving the Louie instance, e.g. com.example.Core#louie")
    String target;

    @Option(names = {"-w", "--workers"}, description = "Worker threads (default: ${DEFAULT-VALUE}).")
    int workers = Math.max(1, Runtime.getRuntime().availableProcessors());

    @Option(names = {"-k", "--worker-type"}, description = "platform or virtual (virtual needs Java 21+; default: ${DEFAULT-VALUE}).")
    String workerType = "platform";

    @Option(names = {"-Q", "--queues"}, split = ",", description = "Queues to consume, comma-separated (default: every queue of the registered tasks).")
    List<String> queues = List.of();

    @Option(names = {"-n", "--no-periodic"}, description = "Do not enqueue @PeriodicTask tasks from this consumer.")
    boolean noPeriodic;

    @Option(names = {"-s", "--scheduler-interval"}, description = "How often due scheduled tasks are promoted (default: ${DEFAULT-VALUE}).")
    String schedulerInterval = "1s";

    @Option(names = {"-c", "--health-check-interval"}, description = "How often dead workers are replaced (default: ${DEFAULT-VALUE}).")
    String healthCheckInterval = "10s";

    @Option(names = {"-M", "--max-tasks-per-worker"}, description = "Replace a worker after this many tasks; 0 never (default: ${DEFAULT-VALUE}).")
    int maxTasksPerWorker;

    @Option(names = {"-f", "--flush-locks"}, description = "Release all locks at startup (after a crash left some held).")
    boolean flushLocks;

    @Option(names = {"-g", "--grace-period"}, description = "How long running tasks may finish at shutdown (default: ${DEFAULT-VALUE}).")
    String gracePeriod = "30s";

    @Option(names = {"--lease-time"}, description = "Lease of a taken message, extended while it runs (default: ${DEFAULT-VALUE}).")
    String leaseTime = "30s";

    @Option(names = {"--prefetch"}, description = "Most messages a worker takes per storage call; adapts below it to task length (default: ${DEFAULT-VALUE}).")
    int prefetch = 16;

    @Option(names = {"--model-size"}, description = "Memory one worker's model needs, e.g. 512m or 2g: warns when all workers' exceed the heap.")
    String modelSize;

    @Option(names = {"-l", "--logfile"}, description = "Log file (sets the system property louie.logfile for the logging configuration).")
    String logfile;

    @Option(names = {"-q", "--quiet"}, description = "Log warnings and errors only.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Log debug messages.")
    boolean verbose;

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicInteger signals = new AtomicInteger();

    /** Runs the consumer; the exit code is 0 after a graceful stop. */
    public static void main(String[] args) {
        int code = new CommandLine(new ConsumerMain()).execute(args);
        System.exit(code);
    }

    @Override
    public Integer call() throws Exception {
        if (quiet && verbose) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--quiet and --verbose exclude each other");
        }
        if (logfile != null) {
            System.setProperty("louie.logfile", logfile);
        }
        System.setProperty("louie.loglevel", quiet ? "WARN" : verbose ? "DEBUG" : "INFO");
        Logger log = LoggerFactory.getLogger(ConsumerMain.class);

        Louie louie = resolve(target);
        if (flushLocks) {
            log.info("released {} locks", louie.storage().flushLocks());
        }
        Consumer.Builder b = louie.consumer()
                .workers(workers)
                .periodic(!noPeriodic)
                .schedulerInterval(parse("--scheduler-interval", schedulerInterval))
                .healthCheckInterval(parse("--health-check-interval", healthCheckInterval))
                .maxTasksPerWorker(maxTasksPerWorker)
                .gracePeriod(parse("--grace-period", gracePeriod))
                .leaseTime(parse("--lease-time", leaseTime))
                .prefetch(prefetch);
        if (!queues.isEmpty()) {
            b.queues(queues.toArray(new String[0]));
        }
        switch (workerType) {
            case "platform" -> { }
            case "virtual" -> b.virtualThreads();
            default -> throw new CommandLine.ParameterException(new CommandLine(this),
                    "--worker-type must be platform or virtual, not " + workerType);
        }
        if (modelSize != null) {
            b.modelSizeHint(parseBytes(modelSize));
        }
        installSignalHandlers(log);
        Consumer consumer = b.start();
        stopRequested.await();
        consumer.close();
        louie.close();
        log.info("consumer exited");
        return 0;
    }

    private void installSignalHandlers(Logger log) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> {
                    if (signals.incrementAndGet() == 1) {
                        log.info("SIG{} received: stopping (send it again to exit at once)", s.getName());
                        stopRequested.countDown();
                    } else {
                        log.warn("second signal: exiting at once; unfinished leases will expire and run elsewhere");
                        Runtime.getRuntime().halt(1);
                    }
                });
            } catch (IllegalArgumentException e) {
                log.debug("cannot handle SIG{} here: {}", name, e.getMessage());
            }
        }
    }

    private static Duration parse(String option, String text) {
        try {
            Duration d = Durations.parse(text);
            if (d == null) {
                throw new IllegalArgumentException("empty");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }

    static long parseBytes(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        long unit = 1;
        char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        switch (last) {
            case 'k' -> unit = 1L << 10;
            case 'm' -> unit = 1L << 20;
            case 'g' -> unit = 1L << 30;
            default -> { }
        }
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        try {
            return Long.parseLong(digits) * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--model-size: cannot parse '" + text + "'; write e.g. 512m or 2g");
        }
    }

    /** Finds the Louie instance a {@code class#member} names. */
    static Louie resolve(String target) throws Exception {
        int hash = target.indexOf('#');
        if (hash <= 0 || hash == target.length() - 1) {
            throw new IllegalArgumentException("'" + target + "' is not CLASS#MEMBER, e.g. com.example.Core#louie");
        }
        String className = target.substring(0, hash);
        String member = target.substring(hash + 1);
        Class<?> type;
        try {
            type = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("class " + className + " is not on the class path (-cp)");
        }
        Object value = null;
        boolean found = false;
        try {
            Field f = type.getDeclaredField(member);
            if (Modifier.isStatic(f.getModifiers())) {
                f.setAccessible(true);
                value = f.get(null);
                found = true;
            }
        } catch (NoSuchFieldException e) {
            // try a method
        }
        if (!found) {
            try {
                Method m = type.getDeclaredMethod(member);
                if (Modifier.isStatic(m.getModifiers())) {
                    m.setAccessible(true);
                    value = m.invoke(null);
                    found = true;
                }
            } catch (NoSuchMethodException e) {
                // reported below
            }
        }
        if (!found) {
            throw new IllegalArgumentException(className + " has no static field or no-argument static method named " + member);
        }
        if (!(value instanceof Louie louie)) {
            throw new IllegalArgumentException(target + " gave " + (value == null ? "null" : value.getClass().getName())
                    + ", not a dev.louie.core.Louie");
        }
        return louie;
    }
}
