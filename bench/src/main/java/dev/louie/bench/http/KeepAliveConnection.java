package dev.louie.bench.http;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 connection kept alive across requests, blocking, with {@code TCP_NODELAY}: the
 * least a load generator can do per request (no pool, no selector thread), so that on a small
 * machine the client takes as little of the cores from the server as possible. Reconnects when the
 * server closes the connection.
 */
final class KeepAliveConnection implements ClosedLoop.Request, AutoCloseable {
    private final InetSocketAddress address;
    private final byte[] head;
    private final byte[] body;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final byte[] line = new byte[8192];
    private final byte[] sink = new byte[16384];
    /** Connections opened, the first included. */
    int connects;

    /** A connection that sends {@code POST path} with {@code json} as its body, again and again. */
    KeepAliveConnection(InetSocketAddress address, String path, byte[] json) {
        this.address = address;
        this.body = json;
        this.head = ("POST " + path + " HTTP/1.1\r\nHost: " + address.getHostString() + ":" + address.getPort()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + json.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends the request once and reads the whole response; returns its status. */
    @Override
    public int send() throws IOException {
        if (socket == null) {
            connect();
        }
        out.write(head);
        out.write(body);
        out.flush();
        String status = readLine();
        if (status == null) {
            throw new EOFException("the server closed the connection");
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = 0;
        boolean close = false;
        for (String h; (h = readLine()) != null && !h.isEmpty(); ) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                length = Long.parseLong(value);
            } else if (name.equals("connection") && value.equalsIgnoreCase("close")) {
                close = true;
            } else if (name.equals("transfer-encoding")) {
                throw new IOException("chunked responses are not read by this client");
            }
        }
        for (long left = length; left > 0; ) {
            int n = in.read(sink, 0, (int) Math.min(sink.length, left));
            if (n < 0) {
                throw new EOFException("the response body ended early");
            }
            left -= n;
        }
        if (close) {
            close();
        }
        return code;
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(address, 10_000);
        socket.setSoTimeout(60_000);
        in = new BufferedInputStream(socket.getInputStream(), 16384);
        out = socket.getOutputStream();
        connects++;
    }

    private String readLine() throws IOException {
        int n = 0;
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                int end = n > 0 && line[n - 1] == '\r' ? n - 1 : n;
                return new String(line, 0, end, StandardCharsets.ISO_8859_1);
            }
            if (n == line.length) {
                throw new IOException("a response line longer than " + line.length + " bytes");
            }
            line[n++] = (byte) b;
        }
        return n == 0 ? null : new String(line, 0, n, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }
}
