package dev.louie.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.louie.core.ConsumerStatus;
import dev.louie.core.DeadLetteredTask;
import dev.louie.core.Louie;
import dev.louie.core.Operations;
import dev.louie.core.QueueSummary;
import dev.louie.core.QueuedTask;
import dev.louie.core.TaskState;
import dev.louie.core.storage.Storage;
import dev.louie.core.storage.Storages;
import dev.louie.redis.RedisStorage;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code louie.jar}: inspects and repairs the queues of a Louie application on a storage URI, as
 * {@code rq info} and {@code celery inspect} do. Aligned tables for people, {@code --json} for
 * scripts. Exit codes: 0 done; 1 the command could not do it (storage unreachable or not a Louie
 * store, unknown queue, nothing to requeue or delete), 2 a usage error; either way one line on
 * stderr, never a stack trace.
 *
 * <pre>
 * java -jar louie.jar --storage sqlite:/var/lib/shop/louie.db --app shop queues
 * java -jar louie.jar --storage redis://localhost:6379/0 --app shop requeue default --all
 * java -jar louie.jar --storage sqlite:/var/lib/shop/louie.db --app shop dashboard --port 8090
 * </pre>
 */
@Command(name = "louie", mixinStandardHelpOptions = true, versionProvider = LouieCli.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Inspects and repairs the queues of a Louie application.")
public final class LouieCli implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--storage", required = true, paramLabel = "URI", scope = ScopeType.INHERIT,
            description = "The application's storage: sqlite:/path/louie.db or redis://host:6379/0.")
    String storage;

    @Option(names = "--app", required = true, paramLabel = "NAME", scope = ScopeType.INHERIT,
            description = "The application name (on Redis, its namespace).")
    String app;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print JSON instead of a table.")
    boolean json;

    @Spec
    CommandSpec spec;

    private Louie louie;
    private Storage opened;

    /** Runs a command and exits with its code. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(args, out, err));
    }

    /** Runs a command in this JVM, printing to {@code out} and {@code err}; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        LouieCli cli = new LouieCli();
        CommandLine cmd = new CommandLine(cli).setOut(out).setErr(err)
                .setParameterExceptionHandler(LouieCli::usageError)
                .setExecutionExceptionHandler((e, c, parsed) -> failure(e, c.getErr()));
        try {
            return cmd.execute(args);
        } finally {
            cli.closeLouie();
        }
    }

    private static int usageError(ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("louie: " + oneLine(e.getMessage()) + " (louie --help lists the commands and options)");
        err.flush();
        return 2;
    }

    private static int failure(Exception e, PrintWriter err) {
        String message = e instanceof CliFailure || e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof UnsupportedOperationException || e instanceof dev.louie.core.storage.StorageException
                ? e.getMessage() : "unexpected " + e;
        err.println("louie: " + oneLine(message));
        err.flush();
        return e instanceof IllegalArgumentException ? 2 : 1;
    }

    private static String oneLine(String text) {
        return text == null ? "failed" : text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    /** Without a command: a usage error naming them. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "a command is required: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    private void closeLouie() {
        if (louie != null) {
            try {
                louie.close();
            } catch (RuntimeException e) {
                // the command has answered already
            }
        }
    }

    /** The application's operations on its storage, opened once per run. */
    private Operations ops() {
        if (louie == null) {
            opened = Storages.openExisting(storage);
            try {
                louie = Louie.builder(app).storage(opened).build();
            } catch (RuntimeException e) {
                opened.close();
                throw e;
            }
        }
        return louie.operations();
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private void printJson(Object value) {
        try {
            out().println(JSON.writeValueAsString(value));
            out().flush();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An age as people read it: 42s, 3m12s, 5h03m; "-" when there is none. */
    static String age(java.time.Duration d) {
        if (d == null) {
            return "-";
        }
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format(java.util.Locale.ROOT, "%02d", s % 60) + "s";
        }
        return (s / 3600) + "h" + String.format(java.util.Locale.ROOT, "%02d", (s % 3600) / 60) + "m";
    }

    private static String time(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String lower(TaskState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    /** Fails with one line unless {@code queue} holds something or a consumer serves it. */
    private void requireQueue(Operations ops, String queue) {
        Set<String> known = ops.queueNames();
        if (!known.contains(queue)) {
            throw new CliFailure("no queue '" + queue + "' for the application '" + app + "' in " + storage + "; "
                    + (known.isEmpty() ? "it has no queues yet" : "its queues: " + String.join(", ", known)));
        }
    }

    private static void checkPage(int offset, int limit) {
        if (offset < 0 || limit < 1) {
            throw new IllegalArgumentException("--offset must be 0 or more and --limit at least 1, not " + offset + " and " + limit);
        }
    }

    // ---- commands ---------------------------------------------------------------------------------

    @Command(mixinStandardHelpOptions = true, name = "queues", description = "Lists every queue with its pending, scheduled, running and dead counts.")
    int queues() {
        Operations ops = ops();
        List<QueueSummary> queues = ops.queues();
        Map<String, java.time.Duration> oldest = new java.util.HashMap<>();
        queues.forEach(q -> ops.oldestPendingAge(q.queue()).ifPresent(age -> oldest.put(q.queue(), age)));
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (QueueSummary q : queues) {
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("queue", q.queue());
                m.put("pending", q.pending());
                m.put("scheduled", q.scheduled());
                m.put("running", q.running());
                m.put("dead", q.dead());
                java.time.Duration age = oldest.get(q.queue());
                m.put("oldestPendingSeconds", age == null ? null : age.toMillis() / 1000.0);
                rows.add(m);
            }
            printJson(rows);
        } else {
            Table t = new Table("QUEUE", "PENDING", "SCHEDULED", "RUNNING", "DEAD", "OLDEST PENDING");
            queues.forEach(q -> t.row(q.queue(), q.pending(), q.scheduled(), q.running(), q.dead(), age(oldest.get(q.queue()))));
            t.print(out());
        }
        return 0;
    }

    @Command(mixinStandardHelpOptions = true, name = "pending", description = "Lists the pending tasks of QUEUE in the order consumers take them.")
    int pending(@Parameters(paramLabel = "QUEUE") String queue, @Option(names = "--offset", defaultValue = "0") int offset,
            @Option(names = "--limit", defaultValue = "50") int limit) {
        return tasks(queue, offset, limit, Operations::pending,
                new String[] {"ID", "TASK", "PRIORITY", "ENQUEUED", "DELIVERIES"},
                t -> new Object[] {t.id(), t.task(), t.priority(), time(t.enqueuedAt()), t.deliveries()});
    }

    @Command(mixinStandardHelpOptions = true, name = "scheduled", description = "Lists the scheduled tasks of QUEUE, soonest first.")
    int scheduled(@Parameters(paramLabel = "QUEUE") String queue, @Option(names = "--offset", defaultValue = "0") int offset,
            @Option(names = "--limit", defaultValue = "50") int limit) {
        return tasks(queue, offset, limit, Operations::scheduled,
                new String[] {"ID", "TASK", "PRIORITY", "ETA", "ENQUEUED"},
                t -> new Object[] {t.id(), t.task(), t.priority(), time(t.eta()), time(t.enqueuedAt())});
    }

    @Command(mixinStandardHelpOptions = true, name = "running", description = "Lists the running (leased) tasks of QUEUE with the consumer that runs each.")
    int running(@Parameters(paramLabel = "QUEUE") String queue, @Option(names = "--offset", defaultValue = "0") int offset,
            @Option(names = "--limit", defaultValue = "50") int limit) {
        return tasks(queue, offset, limit, Operations::running,
                new String[] {"ID", "TASK", "CONSUMER", "SINCE", "DEADLINE", "DELIVERIES"},
                t -> new Object[] {t.id(), t.task(), t.consumer(), time(t.leasedSince()), time(t.deadline()), t.deliveries()});
    }

    private interface Page {
        List<QueuedTask> read(Operations ops, String queue, int offset, int limit);
    }

    private int tasks(String queue, int offset, int limit, Page page, String[] header, Function<QueuedTask, Object[]> row) {
        checkPage(offset, limit);
        Operations ops = ops();
        requireQueue(ops, queue);
        List<QueuedTask> tasks = page.read(ops, queue, offset, limit);
        if (json) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (QueuedTask t : tasks) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", t.id());
                m.put("task", t.task());
                m.put("queue", t.queue());
                m.put("state", lower(t.state()));
                m.put("priority", t.priority());
                m.put("enqueuedAt", str(t.enqueuedAt()));
                m.put("eta", str(t.eta()));
                m.put("deliveries", t.deliveries());
                m.put("consumer", t.consumer());
                m.put("leasedSince", str(t.leasedSince()));
                m.put("deadline", str(t.deadline()));
                out.add(m);
            }
            printJson(out);
        } else {
            Table t = new Table(header);
            tasks.forEach(task -> t.row(row.apply(task)));
            t.print(out());
        }
        return 0;
    }

    private static String str(Instant t) {
        return t == null ? null : t.toString();
    }

    @Command(mixinStandardHelpOptions = true, name = "dead", description = "Lists the dead letters of QUEUE, oldest first, with the reason of each.")
    int dead(@Parameters(paramLabel = "QUEUE") String queue, @Option(names = "--offset", defaultValue = "0") int offset,
            @Option(names = "--limit", defaultValue = "50") int limit) {
        checkPage(offset, limit);
        Operations ops = ops();
        requireQueue(ops, queue);
        List<DeadLetteredTask> dead = ops.deadLetters(queue, offset, limit);
        if (json) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (DeadLetteredTask d : dead) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", d.id());
                m.put("task", d.task());
                m.put("queue", d.queue());
                m.put("priority", d.priority());
                m.put("reason", d.reason());
                m.put("deliveries", d.deliveries());
                m.put("at", str(d.at()));
                out.add(m);
            }
            printJson(out);
        } else {
            Table t = new Table("ID", "TASK", "DELIVERIES", "AT", "REASON");
            dead.forEach(d -> t.row(d.id(), d.task(), d.deliveries(), time(d.at()), oneLine(d.reason())));
            t.print(out());
        }
        return 0;
    }

    @Command(mixinStandardHelpOptions = true, name = "requeue", description = "Puts dead letters of QUEUE back into it, each in one atomic step, with a fresh delivery count.")
    int requeue(@Parameters(paramLabel = "QUEUE") String queue,
            @Parameters(paramLabel = "ID", arity = "0..*", description = "Dead letters to requeue.") List<String> ids,
            @Option(names = "--all", description = "Requeue every dead letter of QUEUE.") boolean all) {
        boolean some = ids != null && !ids.isEmpty();
        if (some == all) {
            throw new ParameterException(spec.commandLine().getSubcommands().get("requeue"),
                    "requeue needs the ids of dead letters or --all, not " + (all ? "both" : "neither"));
        }
        Operations ops = ops();
        requireQueue(ops, queue);
        List<String> missing = new ArrayList<>();
        int requeued;
        if (all) {
            requeued = ops.requeueAll(queue);
        } else {
            requeued = 0;
            for (String id : ids) {
                if (ops.requeue(queue, id)) {
                    requeued++;
                } else {
                    missing.add(id);
                }
            }
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("queue", queue);
            m.put("requeued", requeued);
            m.put("notDeadLetters", missing);
            printJson(m);
        } else {
            out().println("requeued " + requeued + " dead letter" + (requeued == 1 ? "" : "s") + " of queue " + queue);
            out().flush();
        }
        if (!missing.isEmpty()) {
            throw new CliFailure("not dead letters of queue " + queue + ": " + String.join(", ", missing));
        }
        return 0;
    }

    @Command(mixinStandardHelpOptions = true, name = "purge-dead", description = "Deletes every dead letter of QUEUE.")
    int purgeDead(@Parameters(paramLabel = "QUEUE") String queue) {
        Operations ops = ops();
        requireQueue(ops, queue);
        long n = ops.purgeDeadLetters(queue);
        if (json) {
            printJson(Map.of("queue", queue, "deleted", n));
        } else {
            out().println("deleted " + n + " dead letter" + (n == 1 ? "" : "s") + " of queue " + queue);
            out().flush();
        }
        return 0;
    }

    @Command(mixinStandardHelpOptions = true, name = "delete", description = "Deletes the pending or scheduled task ID, from whichever queue holds it.")
    int delete(@Parameters(paramLabel = "ID") String id) {
        Operations ops = ops();
        if (!ops.delete(id)) {
            TaskState state = ops.state(id);
            throw new CliFailure(state == TaskState.UNKNOWN ? "no task " + id + " in any queue of the application '" + app + "'"
                    : "task " + id + " is " + lower(state) + ", not pending or scheduled: it was not deleted"
                    + (state == TaskState.RUNNING ? " (revoke it to stop it)" : ""));
        }
        if (json) {
            printJson(Map.of("id", id, "deleted", true));
        } else {
            out().println("deleted " + id);
            out().flush();
        }
        return 0;
    }

    @Command(mixinStandardHelpOptions = true, name = "migrate-results",
            description = "On Redis, once after an upgrade: moves results stored under the earlier key layout"
                    + " (louie:{NS}:result:KEY) to louie:{NS:KEY}:result, keeping their expiry.")
    int migrateResults() {
        ops();
        if (!(opened instanceof RedisStorage redis)) {
            throw new CliFailure("migrate-results is for a Redis storage (redis://...); " + storage
                    + " has no earlier result layout to migrate");
        }
        long n = redis.migrateResults();
        if (json) {
            printJson(Map.of("migrated", n));
        } else {
            out().println("migrated " + n + " result" + (n == 1 ? "" : "s"));
            out().flush();
        }
        return 0;
    }

    @Command(mixinStandardHelpOptions = true, name = "state", description = "Prints where task ID is: pending, scheduled, running, done, failed, dead, revoked or unknown.")
    int state(@Parameters(paramLabel = "ID") String id) {
        TaskState state = ops().state(id);
        if (json) {
            printJson(Map.of("id", id, "state", lower(state)));
        } else {
            out().println(lower(state));
            out().flush();
        }
        return 0;
    }

    @Command(mixinStandardHelpOptions = true, name = "consumers", description = "Lists the consumers whose heartbeat is in the storage: alive, or silent since their last one.")
    int consumers() {
        List<ConsumerStatus> consumers = ops().consumers();
        if (json) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (ConsumerStatus c : consumers) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", c.id());
                m.put("host", c.host());
                m.put("pid", c.pid());
                m.put("workers", c.workers());
                m.put("queues", c.queues());
                m.put("started", str(c.started()));
                m.put("lastSeen", str(c.lastSeen()));
                m.put("alive", c.alive());
                m.put("running", new ArrayList<>(c.running().keySet()));
                out.add(m);
            }
            printJson(out);
        } else {
            Table t = new Table("ID", "HOST", "PID", "WORKERS", "QUEUES", "STARTED", "LAST SEEN", "STATUS", "RUNNING");
            consumers.forEach(c -> t.row(c.id(), c.host(), c.pid(), c.workers(), String.join(",", c.queues()),
                    time(c.started()), time(c.lastSeen()), c.alive() ? "alive" : "silent", c.running().size()));
            t.print(out());
        }
        return 0;
    }

    @Command(mixinStandardHelpOptions = true, name = "dashboard",
            description = "Serves the live dashboard of the application at http://HOST:PORT/dashboard until stopped (Ctrl-C).")
    int dashboard(@Option(names = "--port", defaultValue = "8090", paramLabel = "N", description = "Port; 0 picks a free one. Default 8090.") int port,
            @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on; default 127.0.0.1 (this machine only)."
                    + " Any other opens the dashboard to remote clients.") String host,
            @Option(names = "--read-only", description = "Hide the actions (revoke, requeue, delete) and refuse them with 403.") boolean readOnly,
            @Option(names = "--api-key", paramLabel = "KEY", description = "Require this key (header X-API-Key or Authorization: Bearer)."
                    + " Default: none, open to whoever reaches the address.") String apiKey) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0 to 65535, not " + port);
        }
        ops();
        boolean loopback;
        try {
            loopback = java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("--host must be an address of this machine, not '" + host + "' (unknown host)");
        }
        dev.louie.http.LouieHttp.Builder b = dev.louie.http.LouieHttp.builder(louie).host(host).port(port)
                .threads(8).dashboard(true).dashboardReadOnly(readOnly).dashboardRemote(!loopback);
        if (apiKey != null) {
            b.authenticator(dev.louie.http.ApiKeys.of(apiKey));
        }
        dev.louie.http.LouieHttp http = b.start();
        Thread hook = new Thread(() -> http.stop(java.time.Duration.ofSeconds(2)), "louie-dashboard-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        out().println("dashboard of '" + app + "' on " + storage + ": " + http.uri() + "/dashboard" + (readOnly ? " (read-only)" : ""));
        out().flush();
        try {
            new java.util.concurrent.CountDownLatch(1).await();
        } catch (InterruptedException stopped) {
            // stopped by the caller (tests, embedding): fall through
        } finally {
            http.stop(java.time.Duration.ofSeconds(2));
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs already
            }
        }
        return 0;
    }

    /** {@code -V}: Louie's version, from core's build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws Exception {
            Properties p = new Properties();
            try (InputStream in = Louie.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"louie " + p.getProperty("version", "unknown"),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
