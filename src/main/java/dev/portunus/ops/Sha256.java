package dev.portunus.ops;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of files and the {@code sha256sum} line format used beside backup artefacts. */
public final class Sha256 {

    private Sha256() {
    }

    public static String ofFile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return of(in);
        }
    }

    /** Reads {@code in} to the end; the caller closes it. */
    public static String of(InputStream in) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 20];
        int n;
        while ((n = in.read(buf)) > 0) {
            md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The line {@code sha256sum} prints and {@code sha256sum -c} reads: hash, two spaces, name. */
    public static String sumLine(String hex, Path artefact) {
        return hex + "  " + artefact.getFileName() + "\n";
    }

    /** The sidecar path of an artefact. */
    public static Path sidecarOf(Path artefact) {
        return artefact.resolveSibling(artefact.getFileName() + ".sha256");
    }

    /** Parses the hash from a {@code .sha256} file, or null when it is not in sha256sum format. */
    public static String parseSumFile(String content) {
        String line = content.strip();
        int space = line.indexOf(' ');
        String hex = space < 0 ? line : line.substring(0, space);
        return hex.matches("[0-9a-fA-F]{64}") ? hex.toLowerCase() : null;
    }
}
