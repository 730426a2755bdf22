package dev.portunus.clienttool;

import dev.portunus.config.HostPort;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** {@code portunus://enroll?server=HOST:PORT&code=CODE&fp=SHA256} as printed by the server. */
public record EnrollUri(String server, String code, String fingerprint) {

    static final String PREFIX = "portunus://enroll?";

    public static EnrollUri parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new ClientFailure("not an enrollment URI (expected " + PREFIX + "server=…&code=…&fp=…): " + text);
        }
        Map<String, String> params = new HashMap<>();
        for (String pair : text.substring(PREFIX.length()).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String server = required(params, "server");
        try {
            HostPort.parse(server);
        } catch (IllegalArgumentException e) {
            throw new ClientFailure("the enrollment URI's server is not host:port: " + server);
        }
        String fp = normaliseFingerprint(required(params, "fp"));
        if (fp == null) {
            throw new ClientFailure("the enrollment URI's fp is not a SHA-256 fingerprint (64 hex digits)");
        }
        return new EnrollUri(server, required(params, "code"), fp);
    }

    /** Lowercase 64-hex-digit SHA-256, colons allowed in the input; null when malformed. */
    static String normaliseFingerprint(String fp) {
        String f = fp.replace(":", "").toLowerCase(Locale.ROOT);
        return f.matches("[0-9a-f]{64}") ? f : null;
    }

    private static String required(Map<String, String> params, String name) {
        String v = params.get(name);
        if (v == null || v.isBlank()) {
            throw new ClientFailure("the enrollment URI lacks '" + name + "'");
        }
        return v;
    }
}
