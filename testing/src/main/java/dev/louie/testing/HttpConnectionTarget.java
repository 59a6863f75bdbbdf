package dev.louie.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The plain-HTTP {@link LoadTarget}: one request at a time per kept-alive connection, each
 * connection owned by one thread, with the request's bytes prepared once. Far cheaper per request
 * than {@code java.net.http.HttpClient}, so the generator is not the bottleneck of what it
 * measures. Reads {@code Content-Length} and chunked bodies; reconnects when the server closes; a
 * read waits at most 2 minutes (the load test's own request timeout counts the request as failed
 * before that).
 */
final class HttpConnectionTarget implements LoadTarget {
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    /** A thread waits at most this for bytes of an answer, so a server that never answers frees it in the end. */
    private static final int READ_TIMEOUT_MS = 120_000;

    private final String host;
    private final int port;
    private final byte[] request;
    private final ExecutorService threads;
    private final ThreadLocal<Connection> connection = new ThreadLocal<>();

    HttpConnectionTarget(URI url, String jsonBody) {
        if (!"http".equalsIgnoreCase(url.getScheme())) {
            throw new IllegalArgumentException("url must be http://, not " + url);
        }
        this.host = url.getHost();
        this.port = url.getPort() < 0 ? 80 : url.getPort();
        String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
        String head = (jsonBody == null ? "GET " : "POST ") + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n"
                + (jsonBody == null ? "" : "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n") + "\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        this.request = new byte[h.length + body.length];
        System.arraycopy(h, 0, request, 0, h.length);
        System.arraycopy(body, 0, request, h.length, body.length);
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "louie-load-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public CompletableFuture<Integer> send() {
        return CompletableFuture.supplyAsync(this::exchange, threads);
    }

    private int exchange() {
        Connection c = connection.get();
        boolean reused = c != null;
        try {
            if (c == null) {
                c = open();
            }
            try {
                return c.exchange(request);
            } catch (IOException e) {
                if (!reused) {
                    throw e;
                }
                c.close();  // a kept-alive connection the server closed: once more on a new one
                c = open();
                return c.exchange(request);
            }
        } catch (IOException e) {
            if (c != null) {
                c.close();
            }
            connection.remove();
            throw new CompletionException(e);
        }
    }

    private Connection open() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(READ_TIMEOUT_MS);
        s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
        Connection c = new Connection(s);
        connection.set(c);
        return c;
    }

    /** One kept-alive connection. */
    private final class Connection {
        final Socket socket;
        final OutputStream out;
        final InputStream in;
        final StringBuilder line = new StringBuilder(128);

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        }

        int exchange(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
            String status = readLine();
            if (status == null || !status.startsWith("HTTP/1.")) {
                throw new IOException("no HTTP answer: " + status);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean close = status.startsWith("HTTP/1.0");
            String h;
            while ((h = readLine()) != null && !h.isEmpty()) {
                int colon = h.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                if (name.equals("content-length")) {
                    length = Long.parseLong(value);
                } else if (name.equals("transfer-encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                } else if (name.equals("connection")) {
                    close = value.equalsIgnoreCase("close");
                }
            }
            if (h == null) {
                throw new IOException("the connection closed in the headers");
            }
            if (chunked) {
                long size;
                while ((size = Long.parseLong(readLine().split(";")[0].trim(), 16)) > 0) {
                    skip(size + 2);
                }
                while ((h = readLine()) != null && !h.isEmpty()) {
                    // trailers
                }
            } else if (length > 0) {
                skip(length);
            } else if (length < 0 && code >= 200 && code != 204 && code != 304) {
                close = true;
                while (in.read() >= 0) {
                    // read to the end: the body ends with the connection
                }
            }
            if (close) {
                close();
                connection.remove();
            }
            return code;
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                long k = in.skip(n);
                if (k <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("the connection closed in the body");
                    }
                    k = 1;
                }
                n -= k;
            }
        }

        private String readLine() throws IOException {
            line.setLength(0);
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    int len = line.length();
                    if (len > 0 && line.charAt(len - 1) == '\r') {
                        line.setLength(len - 1);
                    }
                    return line.toString();
                }
                line.append((char) b);
            }
            return line.length() == 0 ? null : line.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
