package dev.portunus.rules;

import dev.portunus.api.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The checks of a rule body that need no store (02-api.md "Rules"); each failure is a 422 with a
 * field code. Returns the normalised rule ready to insert.
 */
public final class RuleValidator {

    static final int MAX_TARGETS = 8;

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+");

    private RuleValidator() {
    }

    /** A validated rule, before the store-side checks (client, owner, grant, conflicts). */
    record Checked(String client, int listenPort, int listenPortEnd, String protocol, String targetHost,
            Integer targetPort, Integer targetPortEnd, List<RuleJson.Target> targets, boolean preferIpv6,
            Integer healthCheckIntervalSecs, String sniPattern, RateLimit rateLimit) {
    }

    static Checked check(RuleJson.Create body) {
        if (body == null) {
            throw ApiException.badRequest("malformed_json", "a JSON object body is required");
        }
        if (body.client() == null || body.client().isBlank()) {
            throw ApiException.invalid("client_required", "client is required");
        }
        int listen = port(body.listenPort(), "invalid_listen_port", "listen_port");
        int listenEnd = body.listenPortEnd() == null ? listen : body.listenPortEnd();
        if (listenEnd < listen || listenEnd > 65535) {
            throw ApiException.invalid("invalid_listen_port_end", "listen_port_end must lie between listen_port and 65535");
        }
        String protocol = body.protocol() == null ? "tcp" : body.protocol();
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw ApiException.invalid("invalid_protocol", "protocol must be \"tcp\" or \"udp\"");
        }
        boolean single = body.targetHost() != null || body.targetPort() != null || body.targetPortEnd() != null;
        boolean multi = body.targets() != null;
        if (single && multi) {
            throw ApiException.invalid("target_ambiguous", "give either target_host/target_port or targets, not both");
        }
        if (!single && !multi) {
            throw ApiException.invalid("target_required", "give target_host and target_port, or targets (1 to 8)");
        }
        String targetHost = null;
        Integer targetPort = null;
        Integer targetPortEnd = null;
        List<RuleJson.Target> targets = List.of();
        if (single) {
            targetHost = host(body.targetHost(), "target_host");
            targetPort = port(body.targetPort(), "invalid_target_port", "target_port");
            targetPortEnd = body.targetPortEnd() == null ? targetPort : body.targetPortEnd();
            if (targetPortEnd < targetPort || targetPortEnd > 65535) {
                throw ApiException.invalid("invalid_target_port_end", "target_port_end must lie between target_port and 65535");
            }
            if (targetPortEnd - targetPort != listenEnd - listen) {
                throw ApiException.invalid("port_range_mismatch",
                        "the listen port range and the target port range must have the same length");
            }
        } else {
            targets = targets(body.targets());
            if (listenEnd != listen) {
                throw ApiException.invalid("port_range_mismatch",
                        "targets forward single ports: a listen port range needs a single target with an equal-length target range");
            }
        }
        String sni = sni(body.sniPattern(), protocol, listen, listenEnd);
        Integer health = body.healthCheckIntervalSecs();
        if (health != null && (health <= 0 || health > 86_400)) {
            throw ApiException.invalid("invalid_health_check_interval", "health_check_interval_secs must lie between 1 and 86400");
        }
        RateLimit limit = body.rateLimit() == null ? RateLimit.NONE : body.rateLimit().validate("rate_limit.");
        return new Checked(body.client(), listen, listenEnd, protocol, targetHost, single ? targetPort : null,
                single ? targetPortEnd : null, targets, Boolean.TRUE.equals(body.preferIpv6()), health, sni, limit);
    }

    private static List<RuleJson.Target> targets(List<RuleJson.Target> given) {
        if (given.isEmpty() || given.size() > MAX_TARGETS) {
            throw ApiException.invalid("invalid_targets_count", "targets must hold 1 to " + MAX_TARGETS + " entries");
        }
        List<RuleJson.Target> out = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            RuleJson.Target t = given.get(i);
            String at = "targets[" + i + "].";
            if (t == null) {
                throw ApiException.invalid("invalid_target_host", at + "host is required");
            }
            String host = host(t.host(), at + "host");
            int port = port(t.port(), "invalid_target_port", at + "port");
            int priority = t.priority() == null ? 0 : t.priority();
            if (priority < 0 || priority > 99) {
                throw ApiException.invalid("invalid_target_priority", at + "priority must lie between 0 and 99");
            }
            if (t.proxyProtocol() != null && !t.proxyProtocol().equals("v1") && !t.proxyProtocol().equals("v2")) {
                throw ApiException.invalid("invalid_proxy_protocol", at + "proxy_protocol must be \"v1\" or \"v2\"");
            }
            out.add(new RuleJson.Target(host, port, priority, t.proxyProtocol()));
        }
        return out;
    }

    private static String sni(String pattern, String protocol, int listen, int listenEnd) {
        if (pattern == null) {
            return null;
        }
        if (!protocol.equals("tcp") || listen != listenEnd) {
            throw ApiException.invalid("sni_not_allowed", "sni_pattern is only allowed on single-port TCP rules");
        }
        String p = pattern.toLowerCase(Locale.ROOT);
        String name = p.startsWith("*.") ? p.substring(2) : p;
        if (!isDnsName(name)) {
            throw ApiException.invalid("invalid_sni_pattern", "sni_pattern must be a host name or *.suffix");
        }
        return p;
    }

    private static int port(Integer value, String code, String field) {
        if (value == null) {
            throw ApiException.invalid(code, field + " is required");
        }
        if (value < 1 || value > 65535) {
            throw ApiException.invalid(code, field + " must lie between 1 and 65535");
        }
        return value;
    }

    private static String host(String value, String field) {
        if (value == null || !isHost(value)) {
            throw ApiException.invalid("invalid_target_host", field + " must be a host name or an IP address");
        }
        return value;
    }

    /**
     * Whether the API accepts {@code value} as a target host, exactly as given: an IPv4 dotted quad,
     * an IPv6 literal without brackets, or a DNS name (checked case-insensitively, no trailing dot).
     * Public so that importers (05-legacy.md §6.5) hold hosts to the same rule as the API.
     */
    public static boolean isHost(String value) {
        if (IPV4.matcher(value).matches()) {
            return true;
        }
        if (value.contains(":")) {
            return isIpv6Literal(value);
        }
        return isDnsName(value.toLowerCase(Locale.ROOT));
    }

    static boolean isDnsName(String name) {
        if (name.isEmpty() || name.length() > 253 || name.endsWith(".")) {
            return false;
        }
        String[] labels = name.split("\\.", -1);
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        // An all-numeric last label is a mistyped IPv4 address, not a name.
        return !labels[labels.length - 1].matches("\\d+");
    }

    private static boolean isIpv6Literal(String value) {
        if (!IPV6.matcher(value).matches()) {
            return false;
        }
        try {
            // Only hex digits, colons and dots reach here: a literal, parsed without any DNS lookup.
            return java.net.InetAddress.getByName(value) instanceof java.net.Inet6Address;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
