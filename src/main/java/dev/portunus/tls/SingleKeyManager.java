package dev.portunus.tls;

import java.io.IOException;
import java.io.Reader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The client listener's one key and certificate chain, read from the data-dir's PEM files
 * ({@link TlsMaterial}), handed to the TLS engine as they are. Vert.x' own PEM option puts the key
 * into an in-memory PKCS#12 key store first, which encrypts it and decrypts it again with 10 000
 * rounds of PBKDF2: ~130 ms of a cold JVM's start, for nothing. Server side only: it never
 * chooses a client alias.
 */
public final class SingleKeyManager extends X509ExtendedKeyManager {

    private static final String ALIAS = "portunus";

    private final PrivateKey key;
    private final X509Certificate[] chain;

    private SingleKeyManager(PrivateKey key, X509Certificate[] chain) {
        this.key = key;
        this.chain = chain;
    }

    /**
     * Reads {@code keyPem} (PKCS#8, or the traditional EC/RSA forms) and every certificate of
     * {@code certPem}, leaf first. Throws an IOException naming the file that cannot be read.
     */
    public static SingleKeyManager read(Path certPem, Path keyPem) throws IOException {
        return new SingleKeyManager(privateKey(keyPem), TlsMaterial.certificates(certPem));
    }

    private static PrivateKey privateKey(Path keyPem) throws IOException {
        try (Reader r = Files.newBufferedReader(keyPem, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(r)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            // The first key in the file; other blocks before it (OpenSSL's "EC PARAMETERS") are skipped.
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
            }
            throw new IOException("cannot read private key " + keyPem + ": no unencrypted private key in the file");
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("cannot read private key")) {
                throw e;
            }
            throw new IOException("cannot read private key " + keyPem + ": " + e.getMessage(), e);
        }
    }

    /** The key's algorithm as the TLS engine names key types ({@code EC}, {@code RSA}). */
    String keyType() {
        return key.getAlgorithm();
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return key.getAlgorithm().equals(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return chooseEngineServerAlias(keyType, issuers, null);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return key.getAlgorithm().equals(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
