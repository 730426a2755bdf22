package dev.portunus.clienttool;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portunus.tls.TlsMaterial;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * HTTPS to the server's client listener, trusting exactly one certificate: the one whose DER
 * encoding hashes (SHA-256) to the pinned fingerprint. No CA is consulted, ever.
 */
public final class PinnedHttps {

    static final int TIMEOUT_MILLIS = 10_000;

    public record Reply(int status, String body) {

        /** The error envelope's code and message, or the raw body. */
        public String describeError() {
            try {
                JsonNode e = BundleFile.JSON.readTree(body).path("error");
                if (e.hasNonNull("code")) {
                    return e.path("code").asText() + ": " + e.path("message").asText();
                }
            } catch (IOException ignored) {
                // Not JSON: fall through to the raw text.
            }
            return "HTTP " + status + (body.isBlank() ? "" : ": " + body.strip());
        }
    }

    private final String server;
    private final PinningTrustManager trust;

    public PinnedHttps(String server, String fingerprint) {
        this.server = server;
        this.trust = new PinningTrustManager(fingerprint);
    }

    public Reply get(String path, String bearer) {
        return send("GET", path, bearer, null);
    }

    public Reply postJson(String path, byte[] body) {
        return postJson(path, null, body);
    }

    /** POST of a JSON body, with the client's bearer token when {@code bearer} is not null. */
    public Reply postJson(String path, String bearer, byte[] body) {
        return send("POST", path, bearer, body);
    }

    private Reply send(String method, String path, String bearer, byte[] body) {
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {trust}, new SecureRandom());
            HttpsURLConnection c = (HttpsURLConnection) new URL("https://" + server + path).openConnection();
            c.setSSLSocketFactory(tls.getSocketFactory());
            // Host names are not checked: the pin identifies the one certificate we accept, which is
            // stronger than any name match, and a self-signed server certificate's SANs need not name
            // the address a client reaches it by (NAT, port forwards, advertised endpoints).
            c.setHostnameVerifier((host, session) -> true);
            c.setConnectTimeout(TIMEOUT_MILLIS);
            c.setReadTimeout(TIMEOUT_MILLIS);
            c.setRequestMethod(method);
            c.setRequestProperty("Accept", "application/json");
            if (bearer != null) {
                c.setRequestProperty("Authorization", "Bearer " + bearer);
            }
            if (body != null) {
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/json");
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = c.getResponseCode();
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                return new Reply(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } finally {
                c.disconnect();
            }
        } catch (SSLHandshakeException e) {
            if (trust.mismatch != null) {
                throw new ClientFailure("refusing " + server + ": its certificate has SHA-256 " + trust.mismatch
                        + " but the pinned fingerprint is " + trust.pinned + " (a different server, or its certificate was replaced)");
            }
            throw new ClientFailure("TLS handshake with " + server + " failed: " + e.getMessage());
        } catch (IOException e) {
            throw new ClientFailure("cannot reach " + server + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new ClientFailure("TLS is not available: " + e.getMessage());
        }
    }

    /**
     * Accepts a server chain only when its leaf is the pinned certificate. Extends the "extended"
     * trust manager so that JSSE calls it directly and adds no endpoint check of its own.
     */
    static final class PinningTrustManager extends X509ExtendedTrustManager {

        final String pinned;
        volatile String mismatch;

        PinningTrustManager(String pinned) {
            this.pinned = pinned;
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the server presented no certificate");
            }
            String actual = TlsMaterial.sha256Hex(chain[0].getEncoded());
            if (!MessageDigest.isEqual(actual.getBytes(StandardCharsets.US_ASCII), pinned.getBytes(StandardCharsets.US_ASCII))) {
                mismatch = actual;
                throw new CertificateException("server certificate does not match the pinned fingerprint");
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("this trust manager only verifies servers");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("this trust manager only verifies servers");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("this trust manager only verifies servers");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
