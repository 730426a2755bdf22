package dev.portunus.tls;

import dev.portunus.config.AdvertisedEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The subject alternative names of the client listener's certificate and whether they cover a host
 * (06-traffic.md §3): DNS names compare case-insensitively, {@code *.x.y} covers exactly one left
 * label ({@code a.x.y}, not {@code x.y} nor {@code a.b.x.y}), and an IP host is covered only by an IP
 * SAN of the same address (never by a DNS SAN spelling it). Reporting only: {@code portunus-client}
 * pins the certificate and does not check names.
 */
public final class CertificateNames {

    /** X.509 GeneralName tags as {@link X509Certificate#getSubjectAlternativeNames()} reports them. */
    static final int DNS = 2;
    static final int IP = 7;

    /** One SAN entry: {@code dns} true for a DNS name, false for an IP address (its text form). */
    public record San(boolean dns, String value) {
    }

    private CertificateNames() {
    }

    /** The DNS and IP SANs of the (first) certificate in a PEM file. */
    public static List<San> read(Path certPem) throws IOException {
        X509Certificate c = TlsMaterial.certificate(certPem);
        try {
            List<San> sans = new ArrayList<>();
            Collection<List<?>> entries = c.getSubjectAlternativeNames();
            if (entries != null) {
                for (List<?> e : entries) {
                    int tag = (Integer) e.get(0);
                    if ((tag == DNS || tag == IP) && e.get(1) instanceof String value) {
                        sans.add(new San(tag == DNS, value));
                    }
                }
            }
            return sans;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read certificate " + certPem + ": " + e.getMessage(), e);
        }
    }

    /** True when one of {@code sans} covers the endpoint's host by the rules above. */
    public static boolean covers(List<San> sans, AdvertisedEndpoint.Parsed endpoint) {
        if (endpoint.kind() == AdvertisedEndpoint.HostKind.NAME) {
            String host = endpoint.host().toLowerCase(Locale.ROOT);
            return sans.stream().filter(San::dns).anyMatch(s -> dnsCovers(s.value().toLowerCase(Locale.ROOT), host));
        }
        InetAddress wanted = AdvertisedEndpoint.address(endpoint.host());
        return wanted != null && sans.stream().filter(s -> !s.dns()).map(s -> AdvertisedEndpoint.address(s.value()))
                .anyMatch(a -> a != null && Arrays.equals(a.getAddress(), wanted.getAddress()));
    }

    private static boolean dnsCovers(String san, String host) {
        if (!san.startsWith("*.")) {
            return san.equals(host);
        }
        int dot = host.indexOf('.');
        return dot > 0 && host.substring(dot + 1).equals(san.substring(2));
    }
}
