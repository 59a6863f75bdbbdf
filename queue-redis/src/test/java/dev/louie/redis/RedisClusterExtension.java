package dev.louie.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class a real local Redis Cluster: {@code masters} {@code redis-server
 * --cluster-enabled yes} on free loopback ports (and {@code replicasPerMaster} replicas of each),
 * joined with {@code redis-cli --cluster create ... --cluster-yes}, ready once every node's
 * {@code CLUSTER INFO} says {@code cluster_state:ok}, and killed after the class.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisClusterExtension CLUSTER = RedisClusterExtension.create();
 * ... RedisStorage.cluster(CLUSTER.uris()) ...
 * }</pre>
 *
 * <p>{@code redis-server} and {@code redis-cli} come from the PATH (Redis 6.2 or newer; CI installs
 * both); where either is missing the test class is skipped with a message saying so. Nodes run in a
 * temporary directory with {@code save ""} and {@code appendonly no}; {@code cluster-node-timeout}
 * is short (1 s) so that a killed master's replica takes over quickly.
 */
public final class RedisClusterExtension implements BeforeAllCallback, AfterAllCallback {

    /** How long nodes may take to agree on a healthy cluster. */
    private static final long READY_SECONDS = 30;

    private final int masters;
    private final int replicasPerMaster;
    /** Whether the nodes are the Redis 6.2 binary of embedded-redis (no sharded pub/sub) instead of redis-server from the PATH. */
    private boolean embedded;
    private Path dir;
    private final List<Node> nodes = new ArrayList<>();

    /** One node: its port and process (null once it was killed). */
    private static final class Node {
        final int port;
        Process process;

        Node(int port) {
            this.port = port;
        }
    }

    private RedisClusterExtension(int masters, int replicasPerMaster) {
        this.masters = masters;
        this.replicasPerMaster = replicasPerMaster;
    }

    /** Three masters, no replicas. */
    public static RedisClusterExtension create() {
        return new RedisClusterExtension(3, 0);
    }

    /** Three masters of the Redis 6.2 binary shipped in embedded-redis, which has no sharded pub/sub (joined by redis-cli from the PATH). */
    public static RedisClusterExtension embedded62() {
        RedisClusterExtension cluster = new RedisClusterExtension(3, 0);
        cluster.embedded = true;
        return cluster;
    }

    /** Three masters with one replica each (for failover). */
    public static RedisClusterExtension withReplicas() {
        return new RedisClusterExtension(3, 1);
    }

    /** The seed URIs, one per node: {@code redis://127.0.0.1:PORT}. */
    public List<String> uris() {
        List<String> out = new ArrayList<>();
        for (Node n : nodes) {
            out.add("redis://127.0.0.1:" + n.port);
        }
        return out;
    }

    /** The cluster as one URI, {@code redis-cluster://127.0.0.1:P1,127.0.0.1:P2,...} ({@code RedisStorage.forUri}). */
    public String uri() {
        StringBuilder out = new StringBuilder("redis-cluster://");
        for (Node n : nodes) {
            if (out.length() > "redis-cluster://".length()) {
                out.append(',');
            }
            out.append("127.0.0.1:").append(n.port);
        }
        return out.toString();
    }

    /**
     * Whether every replica of the master on {@code port} has received all that master has written so
     * far ({@code INFO replication} offsets).
     */
    public boolean replicated(int port) throws IOException {
        String info = command(port, "INFO", "replication");
        long master = field(info, "master_repl_offset");
        int replicas = 0;
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("slave") && line.contains("offset=")) {
                replicas++;
                String offset = line.substring(line.indexOf("offset=") + 7);
                offset = offset.substring(0, offset.indexOf(',') < 0 ? offset.length() : offset.indexOf(','));
                if (Long.parseLong(offset.trim()) < master) {
                    return false;
                }
            }
        }
        return replicas > 0;
    }

    private static long field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return Long.parseLong(line.substring(name.length() + 1).trim());
            }
        }
        return -1;
    }

    /** The ports of every node, masters first as they were created. */
    public List<Integer> ports() {
        return nodes.stream().map(n -> n.port).toList();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Optional<Path> server = embedded ? Optional.of(RedisServerExtension.embeddedBinary()) : onPath("redis-server");
        Optional<Path> cli = onPath("redis-cli");
        Assumptions.assumeTrue(server.isPresent() && cli.isPresent(),
                "Redis Cluster tests need redis-server and redis-cli on the PATH (Debian: redis-server, redis-tools)");
        dir = Files.createTempDirectory("louie-redis-cluster-");
        int count = masters * (1 + replicasPerMaster);
        for (int i = 0; i < count; i++) {
            Node n = new Node(freePort());
            nodes.add(n);
            start(server.get(), n);
        }
        for (Node n : nodes) {
            awaitPing(n);
        }
        List<String> create = new ArrayList<>(List.of(cli.get().toString(), "--cluster", "create"));
        for (Node n : nodes) {
            create.add("127.0.0.1:" + n.port);
        }
        create.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
        Path log = dir.resolve("cluster-create.log");
        Process p = new ProcessBuilder(create).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("redis-cli --cluster create failed: " + Files.readString(log));
        }
        awaitHealthy();
    }

    /** Waits until every live node says {@code cluster_state:ok} (and the cluster has as many masters as it should). */
    public void awaitHealthy() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
        while (true) {
            boolean ok = true;
            for (Node n : nodes) {
                if (n.process != null && !command(n.port, "CLUSTER", "INFO").contains("cluster_state:ok")) {
                    ok = false;
                    break;
                }
            }
            if (ok) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the Redis Cluster in " + dir + " did not reach cluster_state:ok in "
                        + READY_SECONDS + " s");
            }
            Thread.sleep(50);
        }
    }

    /** The port of the master serving {@code slot}, read from a live node's {@code CLUSTER SHARDS}-free {@code CLUSTER NODES}. */
    public int masterOf(int slot) throws IOException {
        for (Node n : nodes) {
            if (n.process == null) {
                continue;
            }
            for (String line : command(n.port, "CLUSTER", "NODES").split("\n")) {
                String[] f = line.trim().split(" ");
                if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
                    continue;
                }
                for (int i = 8; i < f.length; i++) {
                    String range = f[i];
                    if (range.startsWith("[")) {
                        continue;
                    }
                    int dash = range.indexOf('-');
                    int from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
                    int to = Integer.parseInt(dash < 0 ? range : range.substring(dash + 1));
                    if (slot >= from && slot <= to) {
                        String address = f[1];
                        return Integer.parseInt(address.substring(address.indexOf(':') + 1, indexOfAny(address)));
                    }
                }
            }
            return -1;
        }
        return -1;
    }

    private static int indexOfAny(String address) {
        int at = address.indexOf('@');
        int comma = address.indexOf(',');
        int end = address.length();
        if (at >= 0) {
            end = Math.min(end, at);
        }
        if (comma >= 0) {
            end = Math.min(end, comma);
        }
        return end;
    }

    /** Kills the node on {@code port} for real (SIGKILL). */
    public void kill(int port) throws InterruptedException {
        for (Node n : nodes) {
            if (n.port == port && n.process != null) {
                n.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                n.process = null;
            }
        }
    }

    /** Whether the node on {@code port} is now a master (its {@code ROLE}). */
    public boolean isMaster(int port) throws IOException {
        return command(port, "ROLE").contains("master");
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        for (Node n : nodes) {
            if (n.process != null) {
                n.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                n.process = null;
            }
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void start(Path binary, Node n) throws IOException {
        Path nodeDir = Files.createDirectories(dir.resolve(Integer.toString(n.port)));
        List<String> command = List.of(binary.toString(), "--port", Integer.toString(n.port), "--bind", "127.0.0.1",
                "--protected-mode", "no", "--daemonize", "no", "--cluster-enabled", "yes",
                "--cluster-config-file", nodeDir.resolve("nodes-" + n.port + ".conf").toString(),
                "--cluster-node-timeout", "1000", "--save", "", "--appendonly", "no", "--dir", nodeDir.toString());
        n.process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(nodeDir.resolve("redis.log").toFile())).start();
        Process started = n.process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
    }

    private void awaitPing(Node n) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!command(n.port, "PING").startsWith("+PONG")) {
            if (!n.process.isAlive()) {
                throw new IllegalStateException("redis-server on port " + n.port + " exited: "
                        + Files.readString(dir.resolve(n.port + "/redis.log")));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server did not answer PING on port " + n.port);
            }
            Thread.sleep(10);
        }
    }

    /** Sends one command (RESP) and returns the raw reply, or "" when the node cannot be reached. */
    static String command(int port, String... parts) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(2000);
            StringBuilder req = new StringBuilder("*" + parts.length + "\r\n");
            for (String p : parts) {
                req.append('$').append(p.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(p).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[65536];
            StringBuilder reply = new StringBuilder();
            int n = in.read(buf);
            if (n > 0) {
                reply.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                // a bulk reply may come in several reads: read until its announced length is there
                if (reply.charAt(0) == '$') {
                    int len = Integer.parseInt(reply.substring(1, reply.indexOf("\r\n")));
                    int need = reply.indexOf("\r\n") + 2 + len + 2;
                    while (reply.toString().getBytes(StandardCharsets.UTF_8).length < need && (n = in.read(buf)) > 0) {
                        reply.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                }
            }
            return reply.toString();
        } catch (IOException e) {
            return "";
        }
    }

    private static int freePort() throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                socket.setReuseAddress(true);
                int port = socket.getLocalPort();
                // the cluster bus listens on port + 10000
                if (port + 10000 <= 65535) {
                    return port;
                }
            }
        }
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String entry : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(entry, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "Redis Cluster on ports " + ports();
    }
}
