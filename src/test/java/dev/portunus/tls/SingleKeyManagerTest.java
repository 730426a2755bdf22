package dev.portunus.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.testing.RawHttp;
import dev.portunus.testing.TestFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client listener's key and chain, read from the data-dir's PEM files and served as they are (04-client.md). */
class SingleKeyManagerTest {

    private Path dir;

    @BeforeEach
    void setUp() {
        dir = TestFiles.tempDir("keymanager-");
    }

    @AfterEach
    void tearDown() {
        TestFiles.deleteTree(dir);
    }

    @Test
    void aHandshakePresentsTheDataDirsCertificateWhosePinClientsHold() throws Exception {
        TlsMaterial.Material tls = TlsMaterial.ensure(dir, List.of());
        SingleKeyManager keys = SingleKeyManager.read(tls.cert(), tls.key());
        for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
            X509Certificate presented = handshake(keys, protocol);
            assertEquals(tls.sha256(), TlsMaterial.sha256Hex(presented.getEncoded()), protocol);
        }
    }

    @Test
    void itServesOnlyItsOwnKeyTypeAndNeverActsAsAClient() throws Exception {
        TlsMaterial.Material tls = TlsMaterial.ensure(dir, List.of());
        SingleKeyManager keys = SingleKeyManager.read(tls.cert(), tls.key());
        String alias = keys.chooseEngineServerAlias("EC", null, null);
        assertEquals(alias, keys.chooseServerAlias("EC", null, null));
        assertNull(keys.chooseEngineServerAlias("RSA", null, null));
        assertNull(keys.getServerAliases("RSA", null));
        assertArrayEquals(new String[] {alias}, keys.getServerAliases("EC", null));
        assertEquals(TlsMaterial.certificate(tls.cert()), keys.getCertificateChain(alias)[0]);
        assertEquals("EC", keys.getPrivateKey(alias).getAlgorithm());
        assertNull(keys.getPrivateKey("other"));
        assertNull(keys.getCertificateChain("other"));
        assertNull(keys.chooseEngineClientAlias(new String[] {"EC"}, null, null));
        assertNull(keys.getClientAliases("EC", null));
    }

    @Test
    void theTraditionalEcAndRsaKeyFormsAreReadToo() throws Exception {
        TlsMaterial.Material tls = TlsMaterial.ensure(dir, List.of());
        for (String algorithm : List.of("EC", "RSA")) {
            KeyPairGenerator gen = KeyPairGenerator.getInstance(algorithm);
            gen.initialize(algorithm.equals("EC") ? 256 : 2048, new SecureRandom());
            PrivateKey key = gen.generateKeyPair().getPrivate();
            StringWriter pem = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(pem)) {
                if (key instanceof ECPrivateKey ec) {
                    // SEC 1 as `openssl ecparam -genkey` writes it: an EC PARAMETERS block first, then the
                    // key with its curve named inside the structure.
                    AlgorithmIdentifier alg = PrivateKeyInfo.getInstance(ec.getEncoded()).getPrivateKeyAlgorithm();
                    w.writeObject(new PemObject("EC PARAMETERS", alg.getParameters().toASN1Primitive().getEncoded()));
                    w.writeObject(new PemObject("EC PRIVATE KEY",
                            new org.bouncycastle.asn1.sec.ECPrivateKey(256, ec.getS(), alg.getParameters()).getEncoded()));
                } else {
                    w.writeObject(key); // PKCS#1
                }
            }
            assertTrue(pem.toString().contains("-----BEGIN " + algorithm + " PRIVATE KEY-----"), pem.toString());
            Path keyFile = Files.writeString(dir.resolve(algorithm.toLowerCase() + ".key"), pem.toString());
            SingleKeyManager keys = SingleKeyManager.read(tls.cert(), keyFile);
            assertEquals(algorithm, keys.keyType());
        }
    }

    @Test
    void anUnreadableFileIsAnErrorNamingIt() throws Exception {
        TlsMaterial.Material tls = TlsMaterial.ensure(dir, List.of());
        Path garbage = Files.writeString(dir.resolve("garbage.key"), "-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----\n");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        Path certOnly = tls.cert();
        Path missing = dir.resolve("missing.key");
        for (Path key : List.of(garbage, empty, certOnly, missing)) {
            IOException e = assertThrows(IOException.class, () -> SingleKeyManager.read(tls.cert(), key));
            assertTrue(e.getMessage().startsWith("cannot read private key " + key + ": "), e.getMessage());
        }
        IOException e = assertThrows(IOException.class, () -> SingleKeyManager.read(empty, tls.key()));
        assertTrue(e.getMessage().startsWith("cannot read certificate " + empty + ": "), e.getMessage());
    }

    /** The certificate a client sees when it connects to a server using {@code keys} over {@code protocol}. */
    private static X509Certificate handshake(SingleKeyManager keys, String protocol) throws Exception {
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(new KeyManager[] {keys}, null, null);
        SSLContext client = RawHttp.trustAll();
        try (SSLServerSocket listening = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1,
                InetAddress.getLoopbackAddress())) {
            listening.setEnabledProtocols(new String[] {protocol});
            CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
                try (SSLSocket s = (SSLSocket) listening.accept()) {
                    s.startHandshake();
                    s.getOutputStream().write(1);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                    listening.getLocalPort())) {
                s.setSoTimeout(10_000);
                s.setEnabledProtocols(new String[] {protocol});
                s.startHandshake();
                assertEquals(protocol, s.getSession().getProtocol());
                assertEquals(1, s.getInputStream().read());
                accepted.get(10, TimeUnit.SECONDS);
                return (X509Certificate) s.getSession().getPeerCertificates()[0];
            }
        }
    }
}
