package dev.portunus.clienttool;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.portunus.clients.ClientJson;
import dev.portunus.config.HostPort;
import dev.portunus.files.FileOps;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Reads, validates and writes {@code client.bundle.json} (04-client.md), mode 0600. */
public final class BundleFile {

    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

    private BundleFile() {
    }

    public static ClientJson.Bundle read(Path path) {
        ClientJson.Bundle b;
        try {
            b = JSON.readValue(Files.readAllBytes(path), ClientJson.Bundle.class);
        } catch (IOException e) {
            throw new ClientFailure("cannot read bundle " + path + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")));
        }
        return validate(b, path.toString());
    }

    static ClientJson.Bundle validate(ClientJson.Bundle b, String where) {
        if (b == null || b.version() != 1) {
            throw new ClientFailure("bundle " + where + " is not a version 1 bundle");
        }
        if (b.clientId() == null || b.clientId().isBlank() || b.token() == null || b.token().isBlank()) {
            throw new ClientFailure("bundle " + where + " lacks client_id or token");
        }
        try {
            HostPort.parse(String.valueOf(b.server()));
        } catch (IllegalArgumentException e) {
            throw new ClientFailure("bundle " + where + " has no valid server host:port");
        }
        if (b.serverCertSha256() == null || EnrollUri.normaliseFingerprint(b.serverCertSha256()) == null) {
            throw new ClientFailure("bundle " + where + " has no valid server_cert_sha256");
        }
        return b;
    }

    /**
     * Writes under a temporary name created 0600 in the target directory, then publishes it: without
     * {@code force} only if no bundle is there yet (checked atomically), with it by one rename.
     */
    public static void write(Path path, ClientJson.Bundle bundle, boolean force) {
        Path dir = path.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            if (!force && Files.exists(path)) {
                throw new FileAlreadyExistsException(path.toString());
            }
            tmp = Files.createTempFile(dir, ".client.bundle", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            FileOps.makePrivate(tmp);
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(bundle));
            if (force) {
                FileOps.publishReplacing(tmp, path);
            } else {
                FileOps.publishNoReplace(tmp, path);
            }
        } catch (FileAlreadyExistsException e) {
            throw new ClientFailure("a bundle already exists at " + path + "; pass --force to replace it");
        } catch (IOException e) {
            throw new ClientFailure("cannot write bundle " + path + ": " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // A leftover temporary file holds nothing the final file does not.
                }
            }
        }
    }
}
