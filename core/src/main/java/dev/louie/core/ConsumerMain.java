package dev.louie.core;

import java.io.PrintWriter;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Runs a consumer from the command line, with huey_consumer's short flags:
 *
 * <pre>
 * java -cp app.jar dev.louie.core.ConsumerMain com.example.ShopApp#louie -w 4 -l logs/louie.log -q
 * </pre>
 *
 * <p>{@code com.example.ShopApp#louie} names a static field or static no-argument method that gives
 * the {@link Louie} instance (or a {@link Louie.Builder}, built by the consumer). With
 * {@code --storage URI} ({@code sqlite:/var/lib/app/louie.db}, {@code redis://host:6379/0}; see
 * {@link dev.louie.core.storage.Storages}) it must give a {@code Louie.Builder}, built on that
 * storage: one application class, a storage per deployment. Options: {@code -w/--workers}, {@code -k/--worker-type},
 * {@code -Q/--queues} (Celery's letter), {@code -n/--no-periodic}, {@code -s/--scheduler-interval},
 * {@code -c/--health-check-interval}, {@code -M/--max-tasks-per-worker}, {@code -f/--flush-locks},
 * {@code -g/--grace-period}, {@code --lease-time}, {@code --prefetch}, {@code --model-size},
 * {@code -l/--logfile}, {@code -q/--quiet}, {@code -v/--verbose}, {@code -h/--help},
 * {@code -V/--version}; {@code --help} prints them with their defaults.
 *
 * <p>Exit codes: 0 after a graceful stop (SIGINT or SIGTERM: stop taking work, let running tasks
 * finish within the grace period, return unfinished messages to the queue); 128 + the signal's
 * number (130 for SIGINT, 143 for SIGTERM) when a second signal stops it at once (leases then
 * expire and other consumers run those messages); 2 for a usage error, printed as one line;
 * 1 when the application or the consumer fails to start. A process started with SIGINT ignored
 * ({@code java … &} in a script) says so at start: only SIGTERM stops it.
 *
 * <p>Logging goes through SLF4J; {@link ConsumerLogging} applies {@code --logfile}, {@code --quiet}
 * and {@code --verbose} before the first log line. With logback and no configuration of the user's,
 * Louie configures it: console, plus a daily rolling file kept 7 days with {@code --logfile}; INFO,
 * WARN when quiet, and verbose raises Louie's loggers ({@code dev.louie}) alone to DEBUG. With a
 * {@code logback.xml} of the user's (or another provider) the system properties
 * {@code louie.logfile}, {@code louie.loglevel} and {@code louie.rootlevel} are set for it to use,
 * as the examples' {@code logback.xml} does. Without any SLF4J provider, one line on stderr says
 * logs are off.
 */
@Command(name = "louie-consumer", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = ConsumerMain.Version.class,
        description = "Runs the workers of a Louie application until SIGINT or SIGTERM.")
public final class ConsumerMain implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CLASS#MEMBER",
            description = "Static field or no-argument static method giving the Louie instance, e.g. com.example.ShopApp#louie")
    String target;

    @Option(names = {"-w", "--workers"}, paramLabel = "N", description = "Worker threads (default: ${DEFAULT-VALUE}).")
    int workers = Math.max(1, Runtime.getRuntime().availableProcessors());

    /** The kind of thread a worker runs on. */
    enum WorkerType { platform, virtual }

    @Option(names = {"-k", "--worker-type"}, paramLabel = "TYPE", description = "platform or virtual (virtual needs Java 21+; default: ${DEFAULT-VALUE}).")
    WorkerType workerType = WorkerType.platform;

    @Option(names = {"-Q", "--queues"}, paramLabel = "QUEUE", split = ",", description = "Queues to consume, comma-separated (default: every queue of the registered tasks).")
    List<String> queues = List.of();

    @Option(names = {"-n", "--no-periodic"}, description = "Do not enqueue @PeriodicTask tasks from this consumer.")
    boolean noPeriodic;

    @Option(names = {"-s", "--scheduler-interval"}, paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.class,
            description = "How often due scheduled tasks are promoted (default: ${DEFAULT-VALUE}).")
    Duration schedulerInterval;

    @Option(names = {"-c", "--health-check-interval"}, paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "How often dead workers are replaced (default: ${DEFAULT-VALUE}).")
    Duration healthCheckInterval;

    @Option(names = {"-M", "--max-tasks-per-worker"}, paramLabel = "N", description = "Replace a worker after this many tasks; 0 never (default: ${DEFAULT-VALUE}).")
    int maxTasksPerWorker;

    @Option(names = {"-f", "--flush-locks"}, description = "Release all locks at startup (after a crash left some held).")
    boolean flushLocks;

    @Option(names = {"-g", "--grace-period"}, paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long running tasks may finish at shutdown (default: ${DEFAULT-VALUE}).")
    Duration gracePeriod;

    @Option(names = {"--lease-time"}, paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "Lease of a taken message, extended while it runs (default: ${DEFAULT-VALUE}).")
    Duration leaseTime;

    @Option(names = {"--prefetch"}, paramLabel = "N", description = "Most messages a worker takes per storage call; adapts below it to task length (default: ${DEFAULT-VALUE}).")
    int prefetch = 16;

    @Option(names = {"--model-size"}, paramLabel = "SIZE", converter = ByteSizeConverter.class,
            description = "Memory one worker's model needs, e.g. 512m or 2g: warns when all workers' exceed the heap.")
    Long modelSize;

    @Option(names = {"--storage"}, paramLabel = "URI",
            description = "Storage to consume from, e.g. sqlite:/var/lib/app/louie.db or redis://host:6379/0; CLASS#MEMBER must then give a Louie.Builder (default: the storage of the Louie it gives).")
    String storage;

    @Option(names = {"-l", "--logfile"}, paramLabel = "FILE",
            description = "Also log to FILE, rolled daily and kept 7 days (with your own logback.xml: sets louie.logfile for it).")
    String logfile;

    @Option(names = {"-q", "--quiet"}, description = "Log warnings and errors only.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Log Louie's debug messages (dev.louie; other libraries stay at INFO).")
    boolean verbose;

    @Spec
    CommandSpec spec;

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicInteger signals = new AtomicInteger();

    /** Runs the consumer; the exit code is 0 after a graceful stop. */
    public static void main(String[] args) {
        int code = commandLine().execute(args);
        System.exit(code);
    }

    /** The command line {@link #main} executes. */
    static CommandLine commandLine() {
        return new CommandLine(new ConsumerMain()).setParameterExceptionHandler(ConsumerMain::usageError);
    }

    /** Prints a usage error as one line and a hint, as picocli's short style does; the exit code is 2. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Checks what picocli's types do not; every message names the option. */
    private void checkOptions() {
        if (quiet && verbose) {
            throw usage("--quiet and --verbose exclude each other");
        }
        if (workers < 1) {
            throw usage("--workers must be at least 1, not " + workers);
        }
        if (maxTasksPerWorker < 0) {
            throw usage("--max-tasks-per-worker must be 0 (never) or more, not " + maxTasksPerWorker);
        }
        if (prefetch < 1) {
            throw usage("--prefetch must be at least 1, not " + prefetch);
        }
        positive("--scheduler-interval", schedulerInterval);
        positive("--health-check-interval", healthCheckInterval);
        positive("--lease-time", leaseTime);
        if (gracePeriod.isNegative()) {
            throw usage("--grace-period must be zero or more, not " + typed("--grace-period"));
        }
        if (queues.stream().anyMatch(String::isBlank)) {
            throw usage("--queues: queue names must not be blank");
        }
    }

    private void positive(String option, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw usage(option + " must be positive, not " + typed(option));
        }
    }

    /** The value as the user typed it. */
    private String typed(String option) {
        List<String> values = spec.findOption(option).originalStringValues();
        return values.isEmpty() ? spec.findOption(option).defaultValue() : values.get(values.size() - 1);
    }

    @Override
    public Integer call() throws Exception {
        checkOptions();
        try {
            ConsumerLogging.setUp(logfile, quiet, verbose, spec.commandLine().getErr());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        Logger log = LoggerFactory.getLogger(ConsumerMain.class);

        Louie louie;
        try {
            louie = storage == null ? resolve(target) : resolve(target, storage);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (flushLocks) {
            try {
                log.info("released {} locks", dev.louie.core.storage.StorageInspection.of(louie.storage()).flushLocks());
            } catch (UnsupportedOperationException e) {
                throw usage("--flush-locks: " + e.getMessage());
            }
        }
        Consumer.Builder b = louie.consumer()
                .workers(workers)
                .periodic(!noPeriodic)
                .schedulerInterval(schedulerInterval)
                .healthCheckInterval(healthCheckInterval)
                .maxTasksPerWorker(maxTasksPerWorker)
                .gracePeriod(gracePeriod)
                .leaseTime(leaseTime)
                .prefetch(prefetch);
        if (!queues.isEmpty()) {
            b.queues(queues.toArray(new String[0]));
        }
        if (workerType == WorkerType.virtual) {
            try {
                b.virtualThreads();
            } catch (IllegalStateException e) {
                throw usage("--worker-type virtual: " + e.getMessage());
            }
        }
        if (modelSize != null) {
            b.modelSizeHint(modelSize);
        }
        installSignalHandlers(log);
        Consumer consumer;
        try {
            consumer = b.start();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        stopRequested.await();
        consumer.close();
        louie.close();
        log.info("consumer exited");
        return 0;
    }

    /**
     * SIGINT and SIGTERM stop gracefully; a second one halts with 128 + its number (130, 143), as a
     * shell reports a process a signal killed. A SIGINT the process was started ignoring (a script's
     * {@code java … &}) stays ignored: the JVM cannot take it back, and the user is told at start.
     */
    private void installSignalHandlers(Logger log) {
        sun.misc.SignalHandler handler = s -> {
            if (signals.incrementAndGet() == 1) {
                log.info("SIG{} received: stopping (send it again to exit at once)", s.getName());
                stopRequested.countDown();
            } else {
                log.warn("second signal (SIG{}): exiting at once with {}; unfinished leases will expire and run elsewhere",
                        s.getName(), 128 + s.getNumber());
                Runtime.getRuntime().halt(128 + s.getNumber());
            }
        };
        for (String name : new String[] {"INT", "TERM"}) {
            sun.misc.Signal signal = new sun.misc.Signal(name);
            try {
                sun.misc.SignalHandler previous = sun.misc.Signal.handle(signal, handler);
                if (previous == sun.misc.SignalHandler.SIG_IGN) {
                    sun.misc.Signal.handle(signal, sun.misc.SignalHandler.SIG_IGN);
                    if (name.equals("INT")) {
                        log.info("SIGINT is ignored by this process (started in the background by a script?): "
                                + "only SIGTERM stops it gracefully (kill {})", ProcessHandle.current().pid());
                    } else {
                        log.info("SIGTERM is ignored by this process: only SIGINT stops it gracefully (kill -INT {})",
                                ProcessHandle.current().pid());
                    }
                }
            } catch (IllegalArgumentException e) {
                log.warn("cannot handle SIG{} here ({}): it will not stop this consumer gracefully", name, e.getMessage());
            }
        }
    }

    /** Reads {@code 250ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            try {
                Duration d = Durations.parse(text);
                if (d == null) {
                    throw new TypeConversionException("empty duration: write it as 250ms, 10s, 5m, 2h, 1d or ISO-8601 such as PT10S");
                }
                return d;
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Reads {@code 512m}, {@code 2g}, {@code 64k} or a number of bytes. */
    static final class ByteSizeConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String text) {
            try {
                return parseBytes(text);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code -V}: Louie's version and the JVM's. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"louie-consumer " + LouieVersion.get(),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
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
            throw new IllegalArgumentException("cannot parse '" + text + "'; write e.g. 512m or 2g");
        }
    }

    /** Finds the Louie instance a {@code class#member} names. */
    static Louie resolve(String target) throws Exception {
        Object value = member(target);
        if (value instanceof Louie.Builder builder) {
            return builder.build();
        }
        if (!(value instanceof Louie louie)) {
            throw new IllegalArgumentException(target + " gave " + (value == null ? "null" : value.getClass().getName())
                    + ", not a dev.louie.core.Louie or Louie.Builder");
        }
        return louie;
    }

    /**
     * The Louie of a {@code class#member} that gives a {@link Louie.Builder}, built on the storage
     * {@code uri} names ({@link dev.louie.core.storage.Storages#open}).
     */
    static Louie resolve(String target, String uri) throws Exception {
        Object value = member(target);
        if (!(value instanceof Louie.Builder builder)) {
            throw new IllegalArgumentException("--storage needs " + target + " to give a Louie.Builder (the storage is"
                    + " set before build()), not " + (value == null ? "null" : value.getClass().getName())
                    + "; drop --storage to use the storage of the Louie it gives");
        }
        dev.louie.core.storage.Storage opened;
        try {
            opened = dev.louie.core.storage.Storages.open(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--storage: " + e.getMessage());
        }
        return builder.storage(opened).build();
    }

    /** The value of the static field or no-argument static method a {@code class#member} names. */
    private static Object member(String target) throws Exception {
        int hash = target.indexOf('#');
        if (hash <= 0 || hash == target.length() - 1) {
            throw new IllegalArgumentException("'" + target + "' is not CLASS#MEMBER, e.g. com.example.ShopApp#louie");
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
            } catch (InvocationTargetException e) {
                // the application's own failure, e.g. a storage it cannot open: a startup failure, not a usage error
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
        if (!found) {
            throw new IllegalArgumentException(className + " has no static field or no-argument static method named " + member);
        }
        return value;
    }
}
