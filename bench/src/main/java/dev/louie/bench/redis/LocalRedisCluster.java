package dev.louie.bench.redis;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away Redis Cluster for the {@code queue} benchmark's {@code --backend redis-cluster} run
 * without {@code --redis-uri}: three {@code redis-server --cluster-enabled yes} masters on free
 * loopback ports, no persistence, joined with {@code redis-cli --cluster create}, and killed by
 * {@link #close()}. Both binaries come from the PATH.
 */
public final class LocalRedisCluster implements AutoCloseable {

    private final Path dir;
    private final List<Integer> ports = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    private LocalRedisCluster(Path dir) {
        this.dir = dir;
    }

    /** Starts {@code masters} nodes and joins them; waits (up to 30 s) until the cluster is healthy. */
    public static LocalRedisCluster start(int masters) throws IOException, InterruptedException {
        LocalRedisCluster cluster = new LocalRedisCluster(Files.createTempDirectory("louie-bench-cluster-"));
        try {
            cluster.startNodes(masters);
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void startNodes(int masters) throws IOException, InterruptedException {
        for (int i = 0; i < masters; i++) {
            int port = freePort();
            ports.add(port);
            Path nodeDir = Files.createDirectories(dir.resolve(Integer.toString(port)));
            processes.add(new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--cluster-enabled", "yes", "--cluster-config-file", nodeDir.resolve("nodes.conf").toString(),
                    "--save", "", "--appendonly", "no", "--dir", nodeDir.toString())
                    .redirectErrorStream(true).redirectOutput(nodeDir.resolve("redis.log").toFile()).start());
        }
        for (int port : ports) {
            await(() -> run("redis-cli", "-p", Integer.toString(port), "PING").contains("PONG"), "node " + port + " answers PING");
        }
        List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        for (int port : ports) {
            create.add("127.0.0.1:" + port);
        }
        create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        String out = run(create.toArray(new String[0]));
        if (!out.contains("[OK]")) {
            throw new IllegalStateException("redis-cli --cluster create failed: " + out);
        }
        for (int port : ports) {
            await(() -> run("redis-cli", "-p", Integer.toString(port), "CLUSTER", "INFO").contains("cluster_state:ok"),
                    "node " + port + " sees cluster_state:ok");
        }
    }

    /** {@code redis-cluster://127.0.0.1:P1,...} for {@code RedisStorage.forUri}. */
    public String uri() {
        StringBuilder out = new StringBuilder("redis-cluster://");
        for (int i = 0; i < ports.size(); i++) {
            out.append(i == 0 ? "" : ",").append("127.0.0.1:").append(ports.get(i));
        }
        return out.toString();
    }

    private interface Check {
        boolean ok() throws IOException, InterruptedException;
    }

    private static void await(Check check, String what) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("local Redis Cluster: timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private static int freePort() throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                int port = socket.getLocalPort();
                if (port + 10000 <= 65535) { // the cluster bus listens on port + 10000
                    return port;
                }
            }
        }
    }

    /** Kills the nodes and deletes their directory. */
    @Override
    public void close() throws IOException {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
