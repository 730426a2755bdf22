package dev.portunus.tls;

import dev.portunus.config.HostPort;
import dev.portunus.files.FileOps;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * The client listener's TLS material in the data-dir (04-client.md): {@code server.crt} and
 * {@code server.key} (mode 0600), generated once (self-signed EC P-256) and reused afterwards.
 * Clients pin the certificate by the SHA-256 of its DER encoding, so it must never change by
 * itself: an existing pair is always kept as it is.
 */
public final class TlsMaterial {

    public static final String CERT_FILE = "server.crt";
    public static final String KEY_FILE = "server.key";

    private static final Duration VALIDITY = Duration.ofDays(3650 * 3);

    public record Material(Path cert, Path key, String sha256) {
    }

    private TlsMaterial() {
    }

    /** Generates the pair when either file is missing; returns the paths and the pin. */
    public static synchronized Material ensure(Path dataDir, Collection<String> extraSans) throws IOException {
        Path cert = dataDir.resolve(CERT_FILE);
        Path key = dataDir.resolve(KEY_FILE);
        if (!Files.exists(cert) || !Files.exists(key)) {
            generate(cert, key, sans(extraSans));
        }
        return new Material(cert, key, fingerprint(cert));
    }

    /** Lowercase hex SHA-256 of the DER encoding of the (first) certificate in a PEM file. */
    public static String fingerprint(Path certPem) throws IOException {
        X509Certificate c = certificate(certPem);
        try {
            return sha256Hex(c.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read certificate " + certPem + ": " + e.getMessage(), e);
        }
    }

    /** The (first) certificate of a PEM file; an unreadable or malformed one is an IOException naming the file. */
    static X509Certificate certificate(Path certPem) throws IOException {
        return certificates(certPem)[0];
    }

    /** Every certificate of a PEM file, in file order (leaf first); none, or a malformed one, is an IOException naming the file. */
    static X509Certificate[] certificates(Path certPem) throws IOException {
        try (var in = Files.newInputStream(certPem)) {
            X509Certificate[] all = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
            if (all.length == 0) {
                throw new CertificateException("no certificate in the file");
            }
            return all;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read certificate " + certPem + ": " + e.getMessage(), e);
        }
    }

    public static String sha256Hex(byte[] der) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static Set<String> sans(Collection<String> extra) {
        Set<String> names = new LinkedHashSet<>();
        try {
            names.add(InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            // No resolvable host name: the other SANs still serve; clients pin the certificate anyway.
        }
        names.add("localhost");
        names.add("127.0.0.1");
        for (String s : extra) {
            if (s != null && !s.isBlank() && !HostPort.anyAddress(s)) {
                names.add(s);
            }
        }
        return names;
    }

    private static void generate(Path cert, Path key, Set<String> sans) throws IOException {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = gen.generateKeyPair();
            String cn = sans.iterator().next();
            X500Name subject = new X500Name("CN=" + cn.replaceAll("[,=+<>#;\"\\\\]", "_") + ",O=Portunus");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(128, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
            List<GeneralName> names = new ArrayList<>();
            for (String san : sans) {
                names.add(new GeneralName(isIpLiteral(san) ? GeneralName.iPAddress : GeneralName.dNSName, san));
            }
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            // Key first: a crash between the two leaves no certificate, so the next start regenerates both.
            writePrivate(key, pem(new PemObject("PRIVATE KEY", pair.getPrivate().getEncoded())));
            writePrivate(cert, pem(new PemObject("CERTIFICATE", holder.getEncoded())));
            Files.setPosixFilePermissions(cert, FileOps.PUBLIC_FILE);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot generate the TLS material: " + e.getMessage(), e);
        }
    }

    private static boolean isIpLiteral(String s) {
        return s.matches("[0-9.]+") || s.contains(":");
    }

    private static String pem(PemObject object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(object);
        }
        return out.toString();
    }

    /** Written 0600 from the first byte, under a temporary name, then renamed into place. */
    private static void writePrivate(Path target, String text) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            FileOps.makePrivate(tmp);
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            FileOps.publishReplacing(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
