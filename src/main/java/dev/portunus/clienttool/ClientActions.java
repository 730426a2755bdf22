package dev.portunus.clienttool;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.portunus.clients.ClientJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code portunus-client} does, independent of picocli so tests can drive it with their own
 * environment, working directory and output. Each action returns the process exit code.
 */
public final class ClientActions {

    private final BundleLocator locator;
    private final PrintWriter out;
    private final PrintWriter err;

    public ClientActions(Map<String, String> env, Path cwd, PrintWriter out, PrintWriter err) {
        this.locator = new BundleLocator(env, cwd);
        this.out = out;
        this.err = err;
    }

    public int enroll(String uriText, Optional<Path> bundle, boolean force) {
        return run(() -> {
            EnrollUri uri = EnrollUri.parse(uriText);
            Path target = bundle.orElseGet(locator::target);
            if (!force && target.toFile().exists()) {
                throw new ClientFailure("a bundle already exists at " + target + "; pass --force to replace it");
            }
            PinnedHttps.Reply reply = new PinnedHttps(uri.server(), uri.fingerprint())
                    .postJson("/v1/enroll", json(new ClientJson.Redeem(uri.code())));
            if (reply.status() != 200) {
                throw new ClientFailure("enrollment refused by " + uri.server() + ": " + reply.describeError());
            }
            ClientJson.Bundle b = BundleFile.validate(parse(reply.body()), "from the server");
            if (!b.serverCertSha256().equals(uri.fingerprint())) {
                throw new ClientFailure("the server's bundle names a different certificate than the enrollment URI; not saved");
            }
            BundleFile.write(target, b, force);
            out.println("enrolled as " + b.clientName() + " (client_id " + b.clientId() + ")");
            out.println("bundle written to " + target.toAbsolutePath());
        });
    }

    public int check(Optional<Path> bundle) {
        return run(() -> {
            Path path = locator.locate(bundle);
            ClientJson.Bundle b = BundleFile.read(path);
            PinnedHttps.Reply reply = new PinnedHttps(b.server(), EnrollUri.normaliseFingerprint(b.serverCertSha256()))
                    .get("/v1/client/whoami", b.token());
            if (reply.status() != 200) {
                throw new ClientFailure("server " + b.server() + " refused this client: " + reply.describeError());
            }
            ClientJson.WhoAmI who = BundleFile.JSON.readValue(reply.body(), ClientJson.WhoAmI.class);
            out.println("ok: client_id=" + who.clientId() + " client_name=" + who.clientName() + " server=" + b.server()
                    + " bundle=" + path.toAbsolutePath());
        });
    }

    public int bundlePath(Optional<Path> bundle) {
        return run(() -> {
            for (BundleLocator.Candidate c : locator.candidates()) {
                if (bundle.isEmpty() && c.path() == null) {
                    out.println("# " + c.describe());
                }
            }
            out.println(locator.locate(bundle).toAbsolutePath());
        });
    }

    @FunctionalInterface
    private interface Action {
        void run() throws IOException;
    }

    private int run(Action action) {
        try {
            action.run();
            return 0;
        } catch (ClientFailure e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static byte[] json(Object value) throws JsonProcessingException {
        return BundleFile.JSON.writeValueAsBytes(value);
    }

    private static ClientJson.Bundle parse(String body) {
        try {
            return BundleFile.JSON.readValue(body, ClientJson.Bundle.class);
        } catch (IOException e) {
            throw new ClientFailure("the server's answer is not a bundle: " + e.getMessage());
        }
    }
}
