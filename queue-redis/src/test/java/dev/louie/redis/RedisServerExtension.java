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
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.embedded.core.ExecutableProvider;

/**
 * Gives a test class a real Redis server. Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisServerExtension REDIS = RedisServerExtension.create();
 * ... RedisStorage.builder(REDIS.uri()) ...
 * }</pre>
 *
 * <p>Where the server comes from, first match wins: the {@code REDIS_URL} environment variable
 * (shared, never restarted; tests must use their own namespaces), else {@code redis-server} from
 * the PATH on a free loopback port, else the Redis 6.2 binary shipped in
 * {@code com.github.codemonstur:embedded-redis}. A server this extension starts runs in a
 * temporary directory with {@code save ""} and {@code appendonly no} (unless
 * {@link #appendOnly()} is asked for) and is stopped after the class.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {

    private enum Source { ANY, EMBEDDED }

    private final Source source;
    private boolean appendOnly;
    private String externalUri;
    private Path binary;
    private Path dir;
    private int port;
    private Process process;

    private RedisServerExtension(Source source) {
        this.source = source;
    }

    /** {@code REDIS_URL}, else {@code redis-server} on the PATH, else the embedded 6.2 binary. */
    public static RedisServerExtension create() {
        return new RedisServerExtension(Source.ANY);
    }

    /** Always the Redis 6.2 binary of embedded-redis (the oldest version RedisStorage supports). */
    public static RedisServerExtension embedded() {
        return new RedisServerExtension(Source.EMBEDDED);
    }

    /** Starts an own server (ignoring {@code REDIS_URL}) with {@code appendonly yes}, so that it keeps data over {@link #restart()}. */
    public RedisServerExtension appendOnly() {
        this.appendOnly = true;
        return this;
    }

    /** The server's URI, {@code redis://127.0.0.1:PORT} for a started one. */
    public String uri() {
        return externalUri != null ? externalUri : "redis://127.0.0.1:" + port;
    }

    /** Whether the server is the shared one from {@code REDIS_URL} (cannot be restarted). */
    public boolean isExternal() {
        return externalUri != null;
    }

    /** The binary in use, or null for an external server. */
    public Path binary() {
        return binary;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        String env = System.getenv("REDIS_URL");
        if (source == Source.ANY && !appendOnly && env != null && !env.isBlank()) {
            externalUri = env.trim();
            return;
        }
        binary = source == Source.EMBEDDED ? embeddedBinary() : onPath().orElseGet(RedisServerExtension::embeddedBinary);
        dir = Files.createTempDirectory("louie-redis-");
        port = freePort();
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Stops the server gracefully (SIGTERM: an append-only file is written out) and starts it again on the same port and directory. */
    public void restart() throws IOException, InterruptedException {
        if (isExternal()) {
            throw new IllegalStateException("cannot restart the external server at " + externalUri);
        }
        stop();
        start();
    }

    /** Stops a started server (SIGTERM, then SIGKILL after 10 s). */
    public void stop() throws InterruptedException {
        Process p = process;
        process = null;
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Starts the server (again) and waits until it answers PING. */
    public void start() throws IOException, InterruptedException {
        Path conf = dir.resolve("redis.conf");
        Files.writeString(conf, String.join("\n",
                "port " + port,
                "bind 127.0.0.1",
                "protected-mode no",
                "daemonize no",
                "save \"\"",
                "appendonly " + (appendOnly ? "yes" : "no"),
                "dir " + dir,
                "") );
        process = new ProcessBuilder(binary.toString(), conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
                .start();
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!ping()) {
            if (!started.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + started.exitValue() + ": "
                        + Files.readString(dir.resolve("redis.log")));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server did not answer PING on port " + port);
            }
            Thread.sleep(10);
        }
    }

    private boolean ping() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[16];
            int n = in.read(buf);
            // "-LOADING" while an append-only file is being read: not ready yet
            return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static java.util.Optional<Path> onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return java.util.Optional.empty();
        }
        for (String entry : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(entry, "redis-server");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return java.util.Optional.of(candidate);
            }
        }
        return java.util.Optional.empty();
    }

    /** The Redis 6.2 binary shipped in embedded-redis (also started by {@link RedisClusterExtension#embedded62()}). */
    static Path embeddedBinary() {
        try {
            Path file = ExecutableProvider.newJarResourceProvider().get().toPath();
            file.toFile().setExecutable(true);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("no REDIS_URL, no redis-server on the PATH and the embedded binary failed: " + e, e);
        }
    }

    /** The arguments that would start this server, for diagnostics. */
    @Override
    public String toString() {
        return isExternal() ? "external Redis " + externalUri : "Redis " + binary + " on port " + port + List.of();
    }
}
