package dev.portunus.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * HTTP/1.1 exchanges written byte for byte, over plain TCP (operator API) or TLS (client listener,
 * self-signed: every certificate is trusted here). Clients like RestAssured normalise exactly the
 * inputs these tests need to send: bad escapes, raw backslashes, missing Host, odd methods.
 * One connection per exchange; a body that the server refuses half-way is still written by a
 * background thread so that the early answer can be read.
 */
public final class RawHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SSLContext TRUST_ALL = trustAll();

    private final int port;
    private final boolean tls;
    private final int timeoutMillis;

    private RawHttp(int port, boolean tls, int timeoutMillis) {
        this.port = port;
        this.tls = tls;
        this.timeoutMillis = timeoutMillis;
    }

    /** The operator API on 127.0.0.1:{@code port}. */
    public static RawHttp plain(int port) {
        return new RawHttp(port, false, 10_000);
    }

    /** The client listener (TLS) on 127.0.0.1:{@code port}. */
    public static RawHttp tls(int port) {
        return new RawHttp(port, true, 10_000);
    }

    /** Same endpoint, another read timeout (milliseconds). */
    public RawHttp timeout(int millis) {
        return new RawHttp(port, tls, millis);
    }

    /**
     * One answer. {@code status} is -1 when the server closed the connection without one, -2 when
     * nothing complete arrived within the timeout.
     */
    public record Reply(int status, Map<String, String> headers, byte[] body, String failure) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The parsed body, or null when it is not JSON. */
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                return null;
            }
        }

        /** {@code error.code} of the envelope, or null when the body is not the envelope. */
        public String code() {
            return envelope() ? json().get("error").get("code").asText() : null;
        }

        /**
         * True for {@code {"error":{"code":"<snake_case>","message":"…"}}} with nothing else, sent as
         * {@code application/json}.
         */
        public boolean envelope() {
            String type = header("Content-Type");
            JsonNode n = json();
            if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json") || n == null || !n.isObject()
                    || n.size() != 1 || !n.path("error").isObject() || n.get("error").size() != 2) {
                return false;
            }
            JsonNode code = n.get("error").get("code");
            JsonNode message = n.get("error").get("message");
            return code != null && code.isTextual() && code.asText().matches("[a-z][a-z0-9_]*") && message != null
                    && message.isTextual() && !message.asText().isBlank();
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + text() + (failure == null ? "" : " (" + failure + ")");
        }
    }

    public Reply send(String request) {
        return send(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Writes {@code request} on a fresh connection and reads one response (HEAD: no body). */
    public Reply send(byte[] request) {
        return send(request, false);
    }

    /**
     * As {@link #send(byte[])}; {@code halfClose} shuts the sending side after the request (TLS:
     * close_notify), for requests that promise more body than they carry.
     */
    public Reply send(byte[] request, boolean halfClose) {
        try (Socket socket = open()) {
            return exchange(socket, request, halfClose);
        } catch (IOException e) {
            return new Reply(-1, Map.of(), new byte[0], e.toString());
        }
    }

    /**
     * A connection kept open between exchanges (HTTP/1.1 keep-alive), for many small requests:
     * a TLS handshake per request would cost more than the requests themselves. Only for requests
     * whose framing is exact; the connection is dropped when an answer says or implies close.
     */
    public final class KeepAlive implements AutoCloseable {

        private Socket socket;

        public Reply send(byte[] request) {
            boolean reused = socket != null;
            Reply reply;
            try {
                if (socket == null) {
                    socket = open();
                }
                reply = exchange(socket, request, false);
            } catch (IOException e) {
                reply = new Reply(-1, Map.of(), new byte[0], e.toString());
            }
            if (reply.status() == -1 && reused && reply.headers().isEmpty()) {
                close(); // the server had closed the idle connection: once more on a fresh one
                return send(request);
            }
            if (reply.status() < 0 || "close".equalsIgnoreCase(reply.header("Connection"))
                    || (reply.header("Content-Length") == null && reply.header("Transfer-Encoding") == null
                            && !request(request).startsWith("HEAD "))) {
                close();
            }
            return reply;
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // already gone
                }
                socket = null;
            }
        }
    }

    public KeepAlive keepAlive() {
        return new KeepAlive();
    }

    private static String request(byte[] bytes) {
        return new String(bytes, 0, Math.min(bytes.length, 16), StandardCharsets.ISO_8859_1);
    }

    private Reply exchange(Socket socket, byte[] request, boolean halfClose) throws IOException {
        boolean head = request(request).startsWith("HEAD ");
        socket.setSoTimeout(timeoutMillis);
        OutputStream out = socket.getOutputStream();
        Thread writer = null;
        if (request.length <= 64 * 1024) {
            out.write(request);
            out.flush();
            if (halfClose) {
                socket.shutdownOutput();
            }
        } else {
            writer = new Thread(() -> {
                try {
                    out.write(request);
                    out.flush();
                    if (halfClose) {
                        socket.shutdownOutput();
                    }
                } catch (IOException ignored) {
                    // the server answered early and stopped reading: expected for 413/414/431
                }
            }, "raw-http-writer");
            writer.setDaemon(true);
            writer.start();
        }
        Reply reply = read(socket.getInputStream(), head);
        if (writer != null) {
            try {
                writer.join(timeoutMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return reply;
    }

    private Socket open() throws IOException {
        Socket plain = new Socket();
        plain.setTcpNoDelay(true); // else Nagle and delayed ACKs add ~40 ms to each TLS handshake
        plain.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
        if (!tls) {
            return plain;
        }
        SSLSocket s = (SSLSocket) TRUST_ALL.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
        s.setSoTimeout(timeoutMillis);
        s.startHandshake();
        return s;
    }

    private static Reply read(InputStream in, boolean head) {
        Map<String, String> headers = new LinkedHashMap<>();
        try {
            int status;
            do { // skip interim answers (100 Continue)
                String statusLine = line(in);
                String[] parts = statusLine.split(" ", 3);
                status = Integer.parseInt(parts[1]);
                headers.clear();
                for (String h = line(in); !h.isEmpty(); h = line(in)) {
                    int colon = h.indexOf(':');
                    headers.merge(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim(),
                            (a, b) -> a + ", " + b);
                }
            } while (status >= 100 && status < 200);
            byte[] body;
            String length = headers.get("content-length");
            if (head || status == 204 || status == 304) {
                body = new byte[0];
            } else if (length != null) {
                body = in.readNBytes(Integer.parseInt(length));
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = chunked(in);
            } else {
                body = in.readAllBytes();
            }
            return new Reply(status, headers, body, null);
        } catch (SocketTimeoutException e) {
            return new Reply(-2, headers, new byte[0], "timeout");
        } catch (IOException | RuntimeException e) {
            return new Reply(-1, headers, new byte[0], e.toString());
        }
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
                size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
            body.write(in.readNBytes(size));
            line(in);
        }
        for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
            // trailers are not used by these tests
        }
        return body.toByteArray();
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** A chunked request body: {@code parts} as chunks, then the last chunk. */
    public static byte[] chunks(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes((Integer.toHexString(p.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(p);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    /** Head text (ISO-8859-1, so that {@code \u00ff} is the byte 0xff) followed by a body. */
    public static byte[] join(String head, byte[] body) {
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /** A POST with a JSON content type and a correct Content-Length. */
    public static byte[] post(String path, String extraHeaders, byte[] body) {
        return join("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n", body);
    }

    public static byte[] post(String path, String extraHeaders, String jsonBody) {
        return post(path, extraHeaders, jsonBody.getBytes(StandardCharsets.UTF_8));
    }

    /** A client TLS context that accepts any server certificate: the tests check the pin themselves, as clients do. */
    public static SSLContext trustAll() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Splits {@code total} bytes of {@code fill} into chunks of {@code size}. */
    public static List<byte[]> pieces(int total, int size, byte fill) {
        List<byte[]> out = new ArrayList<>();
        for (int left = total; left > 0; left -= size) {
            byte[] p = new byte[Math.min(size, left)];
            java.util.Arrays.fill(p, fill);
            out.add(p);
        }
        return out;
    }
}
