package dev.portunus.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The one grammar of an advertised endpoint (06-traffic.md §3), shared by the config seed
 * ({@link Setting#ADVERTISED_ENDPOINT}, refused at start with {@code startup.config_invalid}) and the
 * runtime override ({@code PUT /v1/settings/advertised-endpoint}, refused with 422
 * {@code endpoint_invalid}): exactly {@code host:port}, at most {@value #MAX_LENGTH} characters, no
 * whitespace or control characters, no scheme, path, query, fragment or userinfo. The host is an
 * RFC 1123 name (labels of 1–63 letters, digits and hyphens, not starting or ending with a hyphen,
 * at most 253 characters, not all-numeric), an IPv4 dotted quad, or a bracketed IPv6 literal; the
 * port is decimal 1–65535 without sign or leading zero.
 */
public final class AdvertisedEndpoint {

    /** 253 (longest name) + 1 + 5 (port), with room for a bracketed IPv6 literal. */
    public static final int MAX_LENGTH = 263;

    static final int MAX_NAME = 253;
    static final int MAX_LABEL = 63;

    /** What kind of host an endpoint names; SAN coverage depends on it (DNS names vs IP addresses). */
    public enum HostKind { NAME, IPV4, IPV6 }

    /**
     * A valid endpoint. {@code host} is without brackets; {@link #text()} is the endpoint as given
     * (IPv6 in brackets), which is what enrollment URIs and bundles carry.
     */
    public record Parsed(String host, int port, HostKind kind, String text) {
    }

    private AdvertisedEndpoint() {
    }

    /**
     * Checks {@code text} against the grammar.
     *
     * @throws IllegalArgumentException with the reason, for a person, when it is not a valid endpoint
     */
    public static Parsed parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("expected host:port, got an empty value");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("longer than " + MAX_LENGTH + " characters");
        }
        if (text.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c))) {
            throw new IllegalArgumentException("contains whitespace or a control character");
        }
        refuseUrlParts(text);
        String host;
        String port;
        HostKind kind;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("an IPv6 host must end with ']' (e.g. [2001:db8::1]:7443)");
            }
            if (close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("expected host:port after the bracketed IPv6 host (e.g. [2001:db8::1]:7443)");
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
            requireIpv6(host);
            kind = HostKind.IPV6;
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("expected host:port, but there is no port");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw new IllegalArgumentException("an IPv6 host must be in brackets (e.g. [2001:db8::1]:7443)");
            }
            kind = hostKind(host);
        }
        return new Parsed(host, port(port), kind, text);
    }

    /** True when {@code text} passes {@link #parse}. */
    public static boolean valid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void refuseUrlParts(String text) {
        if (text.contains("://")) {
            throw new IllegalArgumentException("must be host:port, not a URL (no scheme such as https://)");
        }
        if (text.indexOf('@') >= 0) {
            throw new IllegalArgumentException("must not carry userinfo ('@')");
        }
        if (text.indexOf('/') >= 0) {
            throw new IllegalArgumentException("must not carry a path ('/')");
        }
        if (text.indexOf('?') >= 0) {
            throw new IllegalArgumentException("must not carry a query ('?')");
        }
        if (text.indexOf('#') >= 0) {
            throw new IllegalArgumentException("must not carry a fragment ('#')");
        }
    }

    private static int port(String port) {
        if (port.isEmpty()) {
            throw new IllegalArgumentException("the port is missing");
        }
        if (!port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("the port must be a decimal number without sign, got '" + port + "'");
        }
        if (port.charAt(0) == '0') {
            throw new IllegalArgumentException("the port must lie between 1 and 65535 and have no leading zero, got '" + port + "'");
        }
        if (port.length() > 5 || Integer.parseInt(port) > 65_535) {
            throw new IllegalArgumentException("the port must lie between 1 and 65535, got " + port);
        }
        return Integer.parseInt(port);
    }

    private static HostKind hostKind(String host) {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("the host is empty");
        }
        if (host.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.')) {
            requireIpv4(host);
            return HostKind.IPV4;
        }
        requireName(host);
        return HostKind.NAME;
    }

    /** Four decimal octets 0–255; no leading zeros (some resolvers read them as octal). */
    private static void requireIpv4(String host) {
        String[] octets = host.split("\\.", -1);
        boolean ok = octets.length == 4;
        for (int i = 0; ok && i < octets.length; i++) {
            String o = octets[i];
            ok = !o.isEmpty() && o.length() <= 3 && !(o.length() > 1 && o.charAt(0) == '0') && Integer.parseInt(o) <= 255;
        }
        if (!ok) {
            throw new IllegalArgumentException("'" + host + "' is neither an IPv4 address (four octets 0-255 without leading zeros) "
                    + "nor a host name (an all-numeric name is not allowed)");
        }
    }

    private static void requireName(String host) {
        if (host.length() > MAX_NAME) {
            throw new IllegalArgumentException("the host name is longer than " + MAX_NAME + " characters");
        }
        for (String label : host.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > MAX_LABEL) {
                throw new IllegalArgumentException("every label of the host name must have 1 to " + MAX_LABEL + " characters: '" + host + "'");
            }
            if (!label.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
                throw new IllegalArgumentException("a host name has only letters, digits, hyphens and dots: '" + host + "'");
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                throw new IllegalArgumentException("a label of the host name may not start or end with a hyphen: '" + host + "'");
            }
        }
    }

    private static void requireIpv6(String inner) {
        boolean chars = !inner.isEmpty() && inner.indexOf(':') >= 0
                && inner.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
        if (!chars || address(inner) == null) {
            throw new IllegalArgumentException("'[" + inner + "]' is not an IPv6 address");
        }
    }

    /**
     * The address of an IP literal (IPv6 without brackets), or null when {@code literal} is not one.
     * Never resolves a name: in brackets, {@link InetAddress} accepts only a literal.
     */
    public static InetAddress address(String literal) {
        boolean v6 = literal.indexOf(':') >= 0;
        if (literal.isEmpty() || !literal.chars().allMatch(c -> (v6 ? Character.digit(c, 16) >= 0 : c >= '0' && c <= '9')
                || c == ':' || c == '.')) {
            return null; // anything else could be a name, and a name would be looked up
        }
        try {
            return InetAddress.getByName(v6 ? "[" + literal + "]" : literal);
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }
}
