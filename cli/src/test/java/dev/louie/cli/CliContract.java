package dev.louie.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.louie.core.Consumer;
import dev.louie.core.Louie;
import dev.louie.core.Result;
import dev.louie.core.Task;
import dev.louie.core.storage.Lease;
import dev.louie.core.storage.Storage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CLI run in this JVM ({@link LouieCli#run}) against a real storage that an application
 * filled: every command's table and JSON, and its errors. Backends' tests extend it.
 */
abstract class CliContract {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();

    /** The application's name: the Redis namespace, the SQLite file's owner. */
    final String app = "shop-" + UUID.randomUUID().toString().substring(0, 6);
    final Jobs jobs = new Jobs();
    Louie louie;
    final List<Consumer> consumers = new ArrayList<>();

    /** The URI of a clean store. */
    abstract String uri();

    /** A storage on the store {@link #uri()} names, as the application opens it. */
    abstract Storage open();

    /** Tasks of the application. */
    public static final class Jobs {
        final CountDownLatch gate = new CountDownLatch(1);

        /** A task of the default queue. */
        @Task(name = "greet")
        public String greet(String name) {
            return "hello " + name;
        }

        /** Runs on queue "batch" until the gate opens. */
        @Task(name = "crunch", queue = "batch")
        public String crunch(String key) throws InterruptedException {
            if (!gate.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate never opened");
            }
            return key;
        }
    }

    record Run(int code, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }

        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of("--storage", uri(), "--app", app));
        all.addAll(List.of(args));
        return raw(all.toArray(new String[0]));
    }

    static Run raw(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = LouieCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    static void assertFailure(Run r, int code, String message) {
        assertThat(r.code).as(r.err).isEqualTo(code);
        assertThat(r.err.lines()).as("one line, no stack trace").singleElement().asString().startsWith("louie: ").contains(message);
        assertThat(r.out).isEmpty();
    }

    @BeforeEach
    void fill() {
        louie = Louie.builder(app).storage(open()).register(jobs).build();
        louie.storage().flush();
    }

    @AfterEach
    void close() {
        jobs.gate.countDown();
        consumers.forEach(Consumer::close);
        if (louie != null) {
            louie.close();
        }
    }

    /** Enqueues {@code greet(name)} and moves it to the dead letters, as a consumer does with a poison message. */
    String deadLetter(String name, String reason) {
        Result<String> r = louie.enqueue(Jobs::greet, name);
        Lease lease = louie.storage().dequeue("default", 1, Duration.ofSeconds(30)).get(0);
        assertThat(lease.id()).isEqualTo(r.id());
        assertThat(louie.storage().deadLetter(lease, reason)).isTrue();
        return r.id();
    }

    @Test
    void dashboardServesThePageAndRepairsOverTheStorage() throws Exception {
        String dead = deadLetter("cid", "cannot decode: bad payload");
        louie.enqueue(Jobs::greet, "ann");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("--storage", uri(), "--app", app, "dashboard", "--port", "0"));
        java.util.concurrent.atomic.AtomicInteger code = new java.util.concurrent.atomic.AtomicInteger(-1);
        Thread server = new Thread(() -> code.set(LouieCli.run(args.toArray(new String[0]), new PrintWriter(out, true), new PrintWriter(err, true))),
                "cli-dashboard");
        server.start();
        try {
            await().atMost(WAIT).until(() -> out.toString().contains("/dashboard") || !server.isAlive());
            assertThat(err.toString()).isEmpty();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(http://\\S+)/dashboard").matcher(out.toString());
            assertThat(m.find()).as(out.toString()).isTrue();
            String base = m.group(1);
            assertThat(base).startsWith("http://127.0.0.1:");
            java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().connectTimeout(WAIT).build();
            java.net.http.HttpResponse<String> page = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/dashboard"))
                    .timeout(WAIT).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("dashboard/dashboard.js");
            JsonNode state = JSON.readTree(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/dashboard/api/state"))
                    .timeout(WAIT).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body());
            assertThat(state.path("app").asText()).isEqualTo(app);
            assertThat(state.path("header").path("pending").asLong()).isEqualTo(1);
            assertThat(state.path("header").path("dead").asLong()).isEqualTo(1);
            assertThat(state.path("deadLetters").get(0).path("reason").asText()).isEqualTo("cannot decode: bad payload");
            java.net.http.HttpResponse<String> requeue = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(base + "/dashboard/api/dead/default/" + dead + "/requeue"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).timeout(WAIT).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(requeue.statusCode()).as(requeue.body()).isEqualTo(204);
            assertThat(louie.operations().deadLetters("default", 0, 10)).isEmpty();
            assertThat(louie.operations().pending("default", 0, 10)).hasSize(2);
        } finally {
            server.interrupt();
            server.join(WAIT.toMillis());
        }
        assertThat(server.isAlive()).isFalse();
        assertThat(code.get()).isZero();
        assertFailure(cli("dashboard", "--port", "70000"), 2, "--port must be 0 to 65535, not 70000");
    }

    @Test
    void queuesPendingScheduledAndDeadAreTablesAndJson() throws Exception {
        String dead = deadLetter("cid", "cannot decode: bad payload");
        String waiting = louie.enqueue(Jobs::greet, "ann").id();
        String later = louie.call(Jobs::greet, "ben").delay(Duration.ofHours(1)).enqueue().id();

        Run queues = cli("queues");
        assertThat(queues.code).as(queues.err).isZero();
        assertThat(queues.lines()).hasSize(2);
        assertThat(queues.lines().get(0)).isEqualTo("QUEUE    PENDING  SCHEDULED  RUNNING  DEAD  OLDEST PENDING");
        assertThat(queues.lines().get(1)).as("the oldest pending task's age, in seconds here")
                .matches("default  1        1          0        1     \\d+(s|m\\d{2}s)");
        JsonNode q = cli("queues", "--json").json();
        assertThat(q.get(0).get("queue").asText()).isEqualTo("default");
        assertThat(q.get(0).get("pending").asLong()).isEqualTo(1);
        assertThat(q.get(0).get("dead").asLong()).isEqualTo(1);
        assertThat(q.get(0).get("oldestPendingSeconds").asDouble()).isGreaterThanOrEqualTo(0.0);

        Run pending = cli("pending", "default");
        assertThat(pending.lines()).hasSize(2);
        assertThat(pending.lines().get(0)).startsWith("ID").contains("TASK", "PRIORITY", "ENQUEUED", "DELIVERIES");
        assertThat(pending.lines().get(1)).startsWith(waiting).contains("greet");
        JsonNode p = cli("--json", "pending", "default").json();
        assertThat(p.get(0).get("id").asText()).isEqualTo(waiting);
        assertThat(p.get(0).get("state").asText()).isEqualTo("pending");

        Run scheduled = cli("scheduled", "default");
        assertThat(scheduled.lines()).hasSize(2);
        assertThat(scheduled.lines().get(1)).startsWith(later).contains("greet");

        Run deadList = cli("dead", "default");
        assertThat(deadList.lines()).hasSize(2);
        assertThat(deadList.lines().get(1)).startsWith(dead).contains("greet", "cannot decode: bad payload");
        JsonNode d = cli("dead", "default", "--json").json();
        assertThat(d.get(0).get("reason").asText()).isEqualTo("cannot decode: bad payload");
        assertThat(d.get(0).get("deliveries").asInt()).isEqualTo(1);

        assertThat(cli("state", waiting).out.strip()).isEqualTo("pending");
        assertThat(cli("state", later).out.strip()).isEqualTo("scheduled");
        assertThat(cli("state", dead).out.strip()).isEqualTo("dead");
        assertThat(cli("state", "nope", "--json").json().get("state").asText()).isEqualTo("unknown");
    }

    @Test
    void deadLettersAreRequeuedByIdOrAllAndThenRun() throws Exception {
        String one = deadLetter("a", "boom");
        deadLetter("b", "boom");
        deadLetter("c", "boom");

        Run byId = cli("requeue", "default", one);
        assertThat(byId.code).as(byId.err).isZero();
        assertThat(byId.out.strip()).isEqualTo("requeued 1 dead letter of queue default");
        Run again = cli("requeue", "default", one);
        assertThat(again.code).isEqualTo(1);
        assertThat(again.out.strip()).isEqualTo("requeued 0 dead letters of queue default");
        assertThat(again.err.strip()).isEqualTo("louie: not dead letters of queue default: " + one);

        JsonNode all = cli("requeue", "default", "--all", "--json").json();
        assertThat(all.get("requeued").asInt()).isEqualTo(2);
        assertThat(cli("queues").lines()).anySatisfy(l -> assertThat(l).matches("default  3        0          0        0     .+"));

        consumers.add(louie.consumer().workers(2).queues("default").periodic(false).pollInterval(Duration.ofMillis(20)).start());
        await().atMost(WAIT).until(() -> cli("state", one).out.strip().equals("done"));
        assertThat(louie.result(one, String.class).get(WAIT)).isEqualTo("hello a");
    }

    @Test
    void purgeDeleteAndTheirRefusals() {
        deadLetter("x", "bad");
        deadLetter("y", "bad");
        String waiting = louie.enqueue(Jobs::greet, "w").id();

        Run purge = cli("purge-dead", "default");
        assertThat(purge.out.strip()).isEqualTo("deleted 2 dead letters of queue default");
        assertThat(cli("dead", "default").lines()).hasSize(1);

        assertThat(cli("delete", waiting).out.strip()).isEqualTo("deleted " + waiting);
        assertThat(cli("state", waiting).out.strip()).isEqualTo("unknown");
        assertFailure(cli("delete", waiting), 1, "no task " + waiting + " in any queue of the application '" + app + "'");
    }

    @Test
    void runningTasksAndConsumersShowWhoRunsWhat() throws Exception {
        String id = louie.enqueue(Jobs::crunch, "k1").id();
        Consumer consumer = louie.consumer().workers(1).queues("batch").periodic(false)
                .heartbeatInterval(Duration.ofMillis(200)).pollInterval(Duration.ofMillis(20)).start();
        consumers.add(consumer);
        await().atMost(WAIT).untilAsserted(() -> {
            Run running = cli("running", "batch");
            assertThat(running.lines()).hasSize(2);
            assertThat(running.lines().get(1)).startsWith(id).contains("crunch", consumer.id());
        });
        Run list = cli("consumers");
        assertThat(list.lines()).hasSize(2);
        assertThat(list.lines().get(0)).startsWith("ID").contains("HOST", "PID", "LAST SEEN", "STATUS");
        assertThat(list.lines().get(1)).startsWith(consumer.id()).contains(" alive ", " batch ",
                Long.toString(ProcessHandle.current().pid()));
        JsonNode json = cli("consumers", "--json").json();
        assertThat(json.get(0).get("alive").asBoolean()).isTrue();
        assertThat(json.get(0).get("running").get(0).asText()).isEqualTo(id);
        Run delete = cli("delete", id);
        assertFailure(delete, 1, "task " + id + " is running, not pending or scheduled: it was not deleted (revoke it to stop it)");
    }

    @Test
    void badInputIsOneLineAndANonZeroExit() {
        louie.enqueue(Jobs::greet, "ann");
        assertFailure(cli("pending", "nope"), 1, "no queue 'nope' for the application '" + app + "' in " + uri()
                + "; its queues: default");
        assertFailure(cli("requeue", "default"), 2, "requeue needs the ids of dead letters or --all, not neither");
        assertFailure(cli("pending", "default", "--limit", "0"), 2, "--limit at least 1");
        assertFailure(cli(), 2, "a command is required: consumers, dashboard, dead, delete, migrate-results, pending, purge-dead, queues, requeue,"
                + " running, scheduled, state");
        assertFailure(cli("frobnicate"), 2, "Unmatched argument");
        assertFailure(raw("--app", app, "--storage", "ftp://example.org/louie", "queues"), 2,
                "no storage backend for the scheme 'ftp'");
        assertFailure(raw("--app", app, "queues"), 2, "Missing required option: '--storage=URI'");
        Run help = cli("requeue", "--help");
        assertThat(help.code).isZero();
        assertThat(help.out).contains("Usage: louie requeue", "--all", "ID");
    }
}
