package dev.portunus.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portunus.testing.Api;
import dev.portunus.testing.ClientFixtures;
import dev.portunus.testing.RawHttp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client enrolled through the real routes of the test application, sending traffic reports to its
 * client listener. Reports are paced (at most 4 a second) so that the 5-per-second limit only bites
 * in the test that wants it.
 */
final class Reporter {

    static final ObjectMapper JSON = new ObjectMapper();
    static final long PACE_MILLIS = 250;

    final String clientId;
    final String token;
    private final int port;
    private long lastSent;

    private Reporter(String clientId, String token, int port) {
        this.clientId = clientId;
        this.token = token;
        this.port = port;
    }

    /** Enrolls a client named {@code name} and redeems its code on the listener at {@code port}. */
    static Reporter enroll(String name, int port) {
        Map<String, Object> e = ClientFixtures.enrollment(name);
        RawHttp.Reply r = RawHttp.tls(port).send(RawHttp.post("/v1/enroll", "", "{\"code\":\"" + e.get("code") + "\"}"));
        assertEquals(200, r.status(), r.toString());
        return new Reporter((String) e.get("client_id"), r.json().get("token").asText(), port);
    }

    /** A TCP rule on this client owned by {@code owner}; returns its id. */
    String rule(String owner, int listenPort) {
        return Api.operator().body(Map.of("client", clientId, "owner", owner, "listen_port", listenPort, "target_host",
                "backend.example", "target_port", 8080)).post("/v1/rules").then().statusCode(201).extract().path("rule_id");
    }

    /** One rule entry: id, bytes in, bytes out (cumulative), and active connections or null. */
    static Map<String, Object> entry(String ruleId, long in, long out, Integer active) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule_id", ruleId);
        m.put("bytes_in", in);
        m.put("bytes_out", out);
        if (active != null) {
            m.put("active_connections", active);
        }
        return m;
    }

    static String body(String bootId, long seq, List<Map<String, Object>> rules) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("boot_id", bootId);
        m.put("seq", seq);
        m.put("rules", rules);
        try {
            return JSON.writeValueAsString(m);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A report of {@code rules} (each {@code {rule_id, in, out}} as three values). */
    RawHttp.Reply report(String bootId, long seq, Object... ruleInOut) {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (int i = 0; i < ruleInOut.length; i += 3) {
            rules.add(entry((String) ruleInOut[i], ((Number) ruleInOut[i + 1]).longValue(), ((Number) ruleInOut[i + 2]).longValue(),
                    null));
        }
        return send(body(bootId, seq, rules));
    }

    /** Sends a raw body with this client's token. */
    RawHttp.Reply send(String json) {
        return sendAs(token, json);
    }

    RawHttp.Reply sendAs(String bearer, String json) {
        long wait = lastSent + PACE_MILLIS - System.currentTimeMillis();
        if (wait > 0) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lastSent = System.currentTimeMillis();
        String auth = bearer == null ? "" : "Authorization: Bearer " + bearer + "\r\n";
        return RawHttp.tls(port).send(RawHttp.post("/v1/client/traffic", auth, json));
    }
}
