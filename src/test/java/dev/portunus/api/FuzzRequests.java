package dev.portunus.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded generator of malformed HTTP/1.1 requests for {@link HttpFuzzTest}. Each request says which
 * answer class it belongs to, because the operator API cannot put the envelope on everything (see
 * {@link RequestGate}): what Netty's decoder refuses gets a bare status there.
 *
 * <p>The requests are built not to succeed: authenticated ones carry a wrong token, or the operator
 * token together with a body that cannot bind or ids that do not exist; the public ones (login,
 * onboarding, enroll) carry credentials that are wrong. The test still counts every 2xx.
 */
final class FuzzRequests {

    /** Which answers a request may get. */
    enum Kind {
        /** Reaches our code: any status below 500, and every 4xx in the envelope. */
        ENVELOPE,
        /**
         * Refused by Netty's HTTP decoder: on the operator API a bare 400/414/431 or a closed
         * connection; on the client listener the envelope (invalidRequestHandler) or a close.
         */
        DECODER,
        /** An HTTP version other than 1.0/1.1: Vert.x core answers 501 and closes, before any handler. */
        BAD_VERSION,
        /** Declares more body than it sends, then half-closes: an answer below 500 or a close. */
        SHORT_BODY
    }

    /**
     * One generated request. {@code mutating}: a method that could change the store if it succeeded;
     * {@code keepAlive}: framed exactly (nothing left over for a next request), so it may share a
     * connection with other requests.
     */
    record Request(Kind kind, byte[] bytes, boolean halfClose, boolean mutating, boolean keepAlive, String label) {

        /** The request for a failure message: printable ASCII, escapes for the rest, cut at 400 bytes. */
        String show() {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < Math.min(bytes.length, 400); i++) {
                int b = bytes[i] & 0xff;
                if (b == '\r') {
                    out.append("\\r");
                } else if (b == '\n') {
                    out.append("\\n");
                } else if (b < 0x20 || b >= 0x7f) {
                    out.append(String.format("\\x%02x", b));
                } else {
                    out.append((char) b);
                }
            }
            return label + " [" + bytes.length + " bytes] " + out + (bytes.length > 400 ? "…" : "");
        }
    }

    private record Route(String method, String path, String body, boolean operatorToken) {
    }

    /** Operator API routes. Ids that exist (root, bob, the client) appear only without valid credentials. */
    private static final List<Route> OPERATOR_ROUTES = List.of(
            new Route("POST", "/v1/auth/login", "{\"user_id\":\"fuzz\",\"password\":\"not-the-password\"}", false),
            new Route("POST", "/v1/auth/onboarding", "{\"user_id\":\"fz\",\"display_name\":\"F\",\"password\":\"p\","
                    + "\"password_confirm\":\"q\",\"setup_token\":\"t\"}", false),
            new Route("GET", "/v1/auth/status", null, false),
            new Route("POST", "/v1/users", "{\"user_id\":\"Not Valid!\",\"display_name\":\"x\",\"role\":\"user\"}", true),
            new Route("POST", "/v1/users/nobody-fz/credentials", "{\"label\":\"x\"}", true),
            new Route("POST", "/v1/users/nobody-fz/password", "{\"temporary_password\":true}", true),
            new Route("POST", "/v1/grants", "{\"user_id\":\"nobody-fz\",\"client\":\"*\",\"listen_port_start\":1,"
                    + "\"listen_port_end\":2,\"protocols\":[\"tcp\"],\"note\":\"n\"}", true),
            new Route("POST", "/v1/rules", "{\"client\":\"NOPE\",\"listen_port\":80,\"target_host\":\"a\",\"target_port\":1,"
                    + "\"rate_limit\":{\"bandwidth_in_bps\":1}}", true),
            new Route("POST", "/v1/client-enrollments", "{\"name\":\" \",\"ttl_secs\":0}", true),
            new Route("PUT", "/v1/clients/NOPE", "{\"address\":\"198.51.100.1\"}", true),
            new Route("PATCH", "/v1/clients/NOPE/name", "{\"name\":\"x\"}", true),
            new Route("PUT", "/v1/clients/NOPE/owners/nobody-fz/rate-limit", "{\"bandwidth_in_bps\":1}", true),
            new Route("PUT", "/v1/users/nobody-fz/quotas/NOPE", "{\"monthly_bytes\":1}", true),
            new Route("GET", "/v1/audit", null, true),
            new Route("GET", "/v1/traffic/global", null, true),
            new Route("GET", "/v1/users/nobody-fz/traffic", null, true),
            new Route("GET", "/v1/users/nobody-fz", null, true),
            new Route("GET", "/v1/grants", null, true),
            new Route("DELETE", "/v1/grants/gr_nope", null, true),
            new Route("DELETE", "/v1/credentials/cr_nope", null, true),
            new Route("DELETE", "/v1/users/nobody-fz", null, true),
            // Existing ids: only ever sent with wrong credentials (see request()).
            new Route("DELETE", "/v1/users/root", null, false),
            new Route("POST", "/v1/users/root/password", "{\"new_password\":\"zzzzzzzzzz\",\"temporary_password\":false}", false),
            new Route("GET", "/v1/users/me", null, false),
            new Route("GET", "/q/health/live", null, false));

    private static final List<Route> CLIENT_ROUTES = List.of(
            new Route("POST", "/v1/enroll", "{\"code\":\"fuzz-not-a-code\"}", false),
            new Route("GET", "/v1/client/whoami", null, false),
            new Route("POST", "/v1/client/traffic", "{\"boot_id\":\"fuzz-boot-1\",\"seq\":1,\"rules\":[{\"rule_id\":\"r\","
                    + "\"bytes_in\":1,\"bytes_out\":2}]}", false),
            new Route("GET", "/v1/clients", null, false));

    private static final List<String> ODD_METHODS = List.of("TRACE", "PROPFIND", "get", "post", "CONNECT", "OPTIONS", "PATCH",
            "DELETE", "PUT", "HEAD", "M-SEARCH", "FOO", "MKCOL", "LOCK", "Get", "QUERY", "X".repeat(100));

    /** Segments that path mutations add; none names an existing user, client, grant or credential. */
    private static final List<String> SEGMENTS = List.of("..", ".", "%2e%2e", "%2E.", "..%2f", "%2F", "%5C", "..\\",
            "\\", "%00", "%ZZ", "%", "%4", "%C0%AF", "%FF", "é", "\u00ff\u00fe", "%E2%80%AE", ";a=b", "", "x", "%20",
            "~", "*", "%25", "%u002e", "?", "#frag", "[", "]", "|", "{x}", "\"", "<", ">", "^", "`");

    private static final List<String> QUERIES = List.of("since=%ZZ", "since=2026-01-01T00:00:00+01:00",
            "since=2026-01-01T00:00:00%2B01:00", "since=yesterday", "until=2026-13-45T99:99:99Z", "limit=abc",
            "limit=99999999999999999999", "limit=-1", "limit=0", "outcome=maybe", "cursor=%00%00", "cursor=!!!",
            "since=%FF", "a=%", "a=%C0%AF", "user_id=%ZZ", "x=é", "until=2026-01-01T00:00:00-01:00", "limit=1&limit=2",
            "=", "&&&", "since", "cursor=c2VxOjE", "since=2026-01-01T00:00:00Z&until=2020-01-01T00:00:00Z");

    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json; charset=utf-8",
            "application/json; charset=utf-16", "application/json; charset=nope", "application/json;;", "text/plain",
            "application/xml", "*/*", ";", "", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
            "APPLICATION/JSON", "application/jsonx", "application/json; charset=\"utf-8\"", "application/merge-patch+json");

    private static final List<String> ACCEPTS = List.of("application/json", "*/*", "text/html", ";;;", "application/xml",
            "application/json;q=0", "text/*", "application/json, text/html;q=0.1", "", "*/*;q=abc", "image/png");

    private static final List<String> HOSTS = List.of("a b c", "[::1", "x:99999", "", "x:abc", "\u00e9", "a@b", "x:",
            ":80", "127.0.0.1:1:2", "[::1]:80", "localhost");

    private final Random rnd;
    private final String operatorToken;

    FuzzRequests(long seed, String operatorToken) {
        this.rnd = new Random(seed);
        this.operatorToken = operatorToken;
    }

    Request operator() {
        return request(OPERATOR_ROUTES, false);
    }

    Request client() {
        return request(CLIENT_ROUTES, true);
    }

    private <T> T pick(List<T> list) {
        return list.get(rnd.nextInt(list.size()));
    }

    private boolean chance(double p) {
        return rnd.nextDouble() < p;
    }

    private Request request(List<Route> routes, boolean client) {
        Route route = pick(routes);
        int shape = rnd.nextInt(100);
        if (shape < 6) {
            return decoderLevel(route, client);
        }
        if (shape < 8) {
            return badVersion(route);
        }
        List<String> labels = new ArrayList<>();
        String method = route.method();
        if (chance(0.12)) {
            method = pick(ODD_METHODS);
            labels.add("method");
        }
        String target = route.path();
        if (chance(0.35)) {
            target = mutatePath(target);
            labels.add("path");
        }
        if (chance(0.2)) {
            target += "?" + pick(QUERIES) + (chance(0.3) ? "&" + pick(QUERIES) : "");
            labels.add("query");
        }
        if (chance(0.01)) {
            target += "/" + "z".repeat(RequestGate.MAX_URI + rnd.nextInt(8 * 1024)); // 414 from our gate
            labels.add("long-uri");
        }
        StringBuilder headers = new StringBuilder();
        if (chance(0.9)) {
            headers.append("Host: 127.0.0.1\r\n");
        } else {
            labels.add("host");
            if (chance(0.3)) {
                headers.append("Host: ").append(pick(HOSTS)).append("\r\nHost: ").append(pick(HOSTS)).append("\r\n");
            } else if (chance(0.7)) {
                headers.append("Host: ").append(pick(HOSTS)).append("\r\n");
            }
        }
        // Valid operator credentials only where the request cannot succeed (see the class comment).
        boolean valid = !client && route.operatorToken() && chance(0.6);
        headers.append(authorization(valid));
        if (chance(0.15)) {
            headers.append("Cookie: ").append(pick(List.of("portunus_session=", "portunus_session=abc",
                    "portunus_session=\u00ff\u00fe", ";;;==;portunus_session", "portunus_session=a; portunus_session=b",
                    "a=b; " + "c=d; ".repeat(50)))).append("\r\n");
            headers.append(chance(0.5) ? "X-Portunus-CSRF: 1\r\nOrigin: http://127.0.0.1\r\n" : "Origin: \u00ff://\r\n");
            labels.add("cookie");
        }
        if (chance(0.2)) {
            headers.append("Accept: ").append(pick(ACCEPTS)).append("\r\n");
            labels.add("accept");
        }
        if (chance(0.05)) {
            headers.append("X-Padding: ").append("p".repeat(RequestGate.MAX_HEADERS + rnd.nextInt(4096))).append("\r\n");
            labels.add("431");
        }
        if (chance(0.05)) {
            headers.append("X-Request-Id: ").append(pick(List.of("", "../../x", "\u00ff", "z".repeat(300)))).append("\r\n");
        }
        byte[] body = new byte[0];
        boolean hasBody = route.body() != null && !method.equals("GET") && !method.equals("HEAD");
        if (hasBody || chance(0.05)) {
            body = mutateBody(route.body() == null ? "{}" : route.body(), labels);
            String type = chance(0.85) ? "application/json" : pick(CONTENT_TYPES);
            if (!type.equals("application/json")) {
                labels.add("content-type");
            }
            if (!type.isEmpty() || chance(0.5)) {
                headers.append("Content-Type: ").append(type).append("\r\n");
            }
        }
        Kind kind = Kind.ENVELOPE;
        boolean halfClose = false;
        int framing = rnd.nextInt(100);
        if (framing < 1) {
            // Over the limit: refused before a byte of the body is read.
            headers.append("Content-Length: ").append(2 * BodyLimit.MAX_BODY).append("\r\n");
            labels.add("413");
        } else if (body.length > 0 && framing < 9) {
            headers.append("Transfer-Encoding: chunked\r\n");
            if (chance(0.2)) {
                headers.append("Expect: 100-continue\r\n");
            }
            body = chunked(body);
            labels.add("chunked");
        } else if (body.length > 2 && framing < 12) {
            // Declares less than it sends: the rest is read as the next request on the connection.
            headers.append("Content-Length: ").append(body.length / 2).append("\r\n");
            labels.add("cl-short");
        } else if (body.length > 0 && framing < 14) {
            headers.append("Content-Length: ").append(body.length + 1 + rnd.nextInt(100)).append("\r\n");
            kind = Kind.SHORT_BODY;
            halfClose = true;
            labels.add("cl-long");
        } else if (body.length > 0 || chance(0.3)) {
            headers.append("Content-Length: ").append(body.length).append("\r\n");
        }
        String head = method + " " + target + " HTTP/1.1\r\n" + headers + "\r\n";
        byte[] bytes = join(head.getBytes(StandardCharsets.ISO_8859_1), body);
        boolean mutating = valid && !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
        boolean keepAlive = kind == Kind.ENVELOPE && bytes.length <= 64 * 1024
                && labels.stream().noneMatch(l -> l.equals("cl-short") || l.equals("413"));
        return new Request(kind, bytes, halfClose, mutating, keepAlive, (client ? "client " : "operator ") + route.method() + " "
                + route.path() + " " + labels);
    }

    private String authorization(boolean operator) {
        if (operator) {
            return "Authorization: Bearer " + operatorToken + "\r\n";
        }
        return switch (rnd.nextInt(10)) {
            case 0 -> "";
            case 1 -> "Authorization: Bearer\r\n";
            case 2 -> "Authorization: Bearer \r\n";
            case 3 -> "Authorization: Basic Zm9vOmJhcg==\r\n";
            case 4 -> "Authorization: Bearer " + "t".repeat(10_000) + "\r\n";
            case 5 -> "Authorization: Bearer \u00ff\u00fe\u00e9\r\n";
            case 6 -> "Authorization: bearer " + operatorToken.substring(1) + "\r\n";
            case 7 -> "Authorization: Bearer " + operatorToken + "x\r\n";
            case 8 -> "Authorization: Bearer a, Bearer b\r\nAuthorization: Bearer c\r\n";
            default -> "Authorization: Bearer wrong-" + Long.toHexString(rnd.nextLong()) + "\r\n";
        };
    }

    private String mutatePath(String path) {
        return switch (rnd.nextInt(6)) {
            case 0 -> path + "/" + pick(SEGMENTS);
            case 1 -> path.replaceFirst("/v1/", "/v1/" + pick(SEGMENTS) + "/");
            case 2 -> path.replace("/", chance(0.5) ? "//" : "/./");
            case 3 -> path + "/" + pick(SEGMENTS) + "/" + pick(SEGMENTS) + "/" + pick(SEGMENTS);
            case 4 -> chance(0.5) ? "http://127.0.0.1" + path : path.toUpperCase();
            default -> path.substring(0, 1 + rnd.nextInt(path.length()));
        };
    }

    /**
     * A body that cannot bind to its route's type: one mutation that breaks JSON syntax, the
     * encoding, the type of a member or the set of members. Labels start with {@code json:}.
     */
    private byte[] mutateBody(String json, List<String> labels) {
        String firstField = json.contains("\"") ? json.substring(json.indexOf('"') + 1, json.indexOf('"', json.indexOf('"') + 1))
                : "x";
        int m = rnd.nextInt(22);
        labels.add("json:" + m);
        String inner = json.length() > 2 ? json.substring(1, json.length() - 1) : "";
        String sep = inner.isEmpty() ? "" : ",";
        return switch (m) {
            case 0 -> utf8("{" + inner + sep + "\"" + firstField + "\":\"again\"}"); // duplicate member
            case 1 -> utf8("{\"" + firstField + "\":1," + "\"" + firstField + "\":2}");
            case 2 -> utf8(json.replaceFirst(":\"[^\"]*\"", ":12345")); // string → number
            case 3 -> utf8(json.replaceFirst(":(\\d+|true|false)", ":\"7\"").replaceFirst(":\"[^\"]*\"", ":[1,2]"));
            case 4 -> utf8("{\"" + firstField + "\":" + "9".repeat(1 + rnd.nextInt(2000)) + "}"); // huge number
            case 5 -> utf8("{\"" + firstField + "\":1e" + rnd.nextInt(100_000) + "}");
            case 6 -> utf8("[".repeat(1 + rnd.nextInt(100_000)));
            case 7 -> utf8("{\"" + firstField + "\":" + "{\"a\":".repeat(1 + rnd.nextInt(3_000)) + "1" + "}".repeat(10) + "}");
            case 8 -> join(utf8("{\"" + firstField + "\":\""), new byte[] {(byte) 0xff, (byte) 0xc3, (byte) 0x28, (byte) 0xed,
                    (byte) 0xa0, (byte) 0x80}, utf8("\"}"));
            case 9 -> utf8("{\"" + firstField + "\":\"\\" + pick(List.of("x", "u12", "u", "uZZZZ", "'", "0", "\n")) + "\"}");
            case 10 -> utf8("{\"" + firstField + "\":\"\\ud800\",\"zz_unknown\":1}");
            case 11 -> utf8(json.substring(0, rnd.nextInt(json.length()))); // truncated
            case 12 -> utf8(json + pick(List.of("x", "}", "{}", "[]", " 1", ",")));
            case 13 -> join(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, utf8(json.replace("{", "{\"zz_bom\":1,")));
            case 14 -> utf8(pick(List.of("", "null", "[]", "\"str\"", "1", "true", "NaN", "{", "}", " ")));
            case 15 -> utf8("{/*c*/\"" + firstField + "\":'single',}");
            case 16 -> utf8("{\"" + firstField + "\":0123}");
            case 17 -> utf8("{" + inner + sep + "\"zz_unknown_" + rnd.nextInt(1000) + "\":null}");
            case 18 -> utf8("{\"" + firstField + "\":[" + "1,".repeat(rnd.nextInt(10_000)) + "1]}");
            case 19 -> utf8("{\"" + "k".repeat(1 + rnd.nextInt(60_000)) + "\":1}");
            case 20 -> json.getBytes(StandardCharsets.UTF_16); // the wrong encoding, whatever the header says
            default -> utf8("{" + inner + sep + "\"" + firstField + "\"" + ":{\"" + firstField + "\":1,\"" + firstField + "\":2}}");
        };
    }

    /** What Netty refuses on its own: garbage request lines, illegal header syntax, over-long lines/headers. */
    private Request decoderLevel(Route route, boolean client) {
        String ok = route.method() + " " + route.path() + " HTTP/1.1\r\n";
        String host = "Host: 127.0.0.1\r\n";
        int which = rnd.nextInt(13);
        String text = switch (which) {
            case 0 -> "HELLO\r\n\r\n";
            case 1 -> ok + host + "Content-Length: abc\r\n\r\n";
            case 2 -> ok + host + "Bad Name: v\r\n\r\n";
            case 3 -> ok + host + "X-Ctl: a\u0001b\r\n\r\n";
            case 4 -> ok.replace("\r\n", "\n") + host.replace("\r\n", "\n") + "\n";
            case 5 -> ok + host + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
            case 6 -> route.method() + " /v1/a b/c HTTP/1.1\r\n" + host + "\r\n";
            case 7 -> route.method() + " " + route.path() + " HTTP/1.1x\r\n" + host + "\r\n";
            case 8 -> ok + host + "Content-Length: -1\r\n\r\n";
            case 9 -> ok + host + "Content-Length: 99999999999999999999\r\n\r\n";
            case 10 -> ok + host + "Content-Length: 1\r\nContent-Length: 2\r\n\r\nab";
            case 11 -> route.method() + " /" + "z".repeat(66 * 1024 + rnd.nextInt(1024)) + " HTTP/1.1\r\n" + host + "\r\n";
            default -> ok + host + "X-Big: " + "z".repeat(66 * 1024 + rnd.nextInt(1024)) + "\r\n\r\n";
        };
        return new Request(Kind.DECODER, text.getBytes(StandardCharsets.ISO_8859_1), false, false, false,
                (client ? "client" : "operator") + " decoder:" + which);
    }

    private Request badVersion(Route route) {
        String version = pick(List.of("HTTP/2.0", "HTTP/1.2", "HTTP/0.9", "HTTP/3.0", "FOO/1.1"));
        String text = route.method() + " " + route.path() + " " + version + "\r\nHost: 127.0.0.1\r\n\r\n";
        return new Request(Kind.BAD_VERSION, text.getBytes(StandardCharsets.ISO_8859_1), false, false, false, "version " + version);
    }

    private static byte[] chunked(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < body.length) {
            int n = Math.min(body.length - at, 1 + (at * 7 + 13) % 4096);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, at, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            at += n;
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] join(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
