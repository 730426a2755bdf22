package dev.portunus.tls;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.config.AdvertisedEndpoint;
import dev.portunus.testing.TestFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SAN coverage of the advertised endpoint (06-traffic.md §3): reported, never enforced. */
class CertificateNamesTest {

    static final List<CertificateNames.San> SANS = List.of(new CertificateNames.San(true, "Edge.Example.NET"),
            new CertificateNames.San(true, "*.pool.example.net"), new CertificateNames.San(true, "10.0.0.9"),
            new CertificateNames.San(false, "192.0.2.7"), new CertificateNames.San(false, "2001:db8:0:0:0:0:0:1"));

    static boolean covers(String endpoint) {
        return CertificateNames.covers(SANS, AdvertisedEndpoint.parse(endpoint));
    }

    @Test
    void dnsNamesCompareCaseInsensitively() {
        assertTrue(covers("edge.example.net:7443"));
        assertTrue(covers("EDGE.example.net:1"));
        assertFalse(covers("other.example.net:7443"));
        assertFalse(covers("example.net:7443"));
    }

    @Test
    void aWildcardCoversExactlyOneLeftLabel() {
        assertTrue(covers("a.pool.example.net:7443"));
        assertTrue(covers("A-1.POOL.example.net:7443"));
        assertFalse(covers("pool.example.net:7443"), "the wildcard needs a label");
        assertFalse(covers("a.b.pool.example.net:7443"), "only one label");
    }

    @Test
    void ipHostsAreCoveredOnlyByIpSans() {
        assertTrue(covers("192.0.2.7:7443"));
        assertTrue(covers("[2001:db8::1]:7443"), "the same address in another spelling");
        assertFalse(covers("[2001:db8::2]:7443"));
        assertFalse(covers("10.0.0.9:7443"), "a DNS SAN spelling an address does not cover it");
        assertFalse(covers("192.0.2.8:7443"));
    }

    @Test
    void theGeneratedCertificateIsReadBack() throws Exception {
        Path dir = TestFiles.tempDir("sans-");
        try {
            TlsMaterial.Material m = TlsMaterial.ensure(dir, List.of("edge.example.net"));
            List<CertificateNames.San> sans = CertificateNames.read(m.cert());
            assertTrue(CertificateNames.covers(sans, AdvertisedEndpoint.parse("edge.example.net:7443")), sans.toString());
            assertTrue(CertificateNames.covers(sans, AdvertisedEndpoint.parse("localhost:7443")), sans.toString());
            assertTrue(CertificateNames.covers(sans, AdvertisedEndpoint.parse("127.0.0.1:7443")), sans.toString());
            assertFalse(CertificateNames.covers(sans, AdvertisedEndpoint.parse("not-in.example.org:7443")), sans.toString());
        } finally {
            TestFiles.deleteTree(dir);
        }
    }
}
