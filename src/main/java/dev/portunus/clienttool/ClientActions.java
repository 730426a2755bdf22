package dev.portunus.clienttool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portunus.clients.ClientJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

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
            PinnedHttps.Reply reply = pinned(b).get("/v1/client/whoami", b.token());
            if (reply.status() != 200) {
                throw new ClientFailure("server " + b.server() + " refused this client: " + reply.describeError());
            }
            ClientJson.WhoAmI who = BundleFile.JSON.readValue(reply.body(), ClientJson.WhoAmI.class);
            out.println("ok: client_id=" + who.clientId() + " client_name=" + who.clientName() + " server=" + b.server()
                    + " bundle=" + path.toAbsolutePath());
        });
    }

    /**
     * Sends one traffic report by hand (06-traffic.md §2.2): the rules file is a JSON array of
     * {@code {"rule_id", "bytes_in", "bytes_out"[, "active_connections"]}}, counters cumulative since
     * {@code bootId} started (bytes). Without a boot id each run is a fresh boot, so the file's counters
     * count in full; with one, later runs must raise {@code seq}. Prints the result and the client's
     * quotas; exit 1 with the server's error code when it refuses.
     */
    public int report(Optional<Path> bundle, Path rulesFile, Optional<String> bootId, long seq) {
        return run(() -> {
            ClientJson.Bundle b = BundleFile.read(locator.locate(bundle));
            JsonNode rules;
            try {
                rules = BundleFile.JSON.readTree(Files.readAllBytes(rulesFile));
            } catch (IOException e) {
                throw new ClientFailure("cannot read rules file " + rulesFile + ": " + e.getMessage());
            }
            if (rules == null || !rules.isArray()) {
                throw new ClientFailure("rules file " + rulesFile + " must hold a JSON array of "
                        + "{\"rule_id\", \"bytes_in\", \"bytes_out\"[, \"active_connections\"]}");
            }
            ObjectNode body = BundleFile.JSON.createObjectNode();
            String boot = bootId.orElseGet(() -> UUID.randomUUID().toString());
            body.put("boot_id", boot).put("seq", seq).put("sent_at", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
            body.set("rules", rules);
            PinnedHttps.Reply reply = pinned(b).postJson("/v1/client/traffic", b.token(), json(body));
            if (reply.status() != 200) {
                throw new ClientFailure("server " + b.server() + " refused the report: " + reply.describeError());
            }
            JsonNode answer = BundleFile.JSON.readTree(reply.body());
            out.println(answer.path("result").asText() + ": boot_id=" + boot + " seq=" + seq + " rules=" + rules.size()
                    + " ignored_rule_ids=" + answer.path("ignored_rule_ids") + " report_interval_secs="
                    + answer.path("report_interval_secs").asText());
            for (JsonNode q : answer.path("quotas")) {
                out.println("quota user_id=" + q.path("user_id").asText() + " used_bytes=" + q.path("used_bytes").asText()
                        + " monthly_bytes=" + q.path("monthly_bytes").asText() + " remaining_bytes="
                        + q.path("remaining_bytes").asText() + " exceeded=" + q.path("exceeded").asText() + " action="
                        + q.path("action").asText() + " period_end=" + q.path("period_end").asText());
            }
        });
    }

    /** HTTPS to the bundle's server, trusting only the certificate the bundle pins. */
    private static PinnedHttps pinned(ClientJson.Bundle b) {
        return new PinnedHttps(b.server(), EnrollUri.normaliseFingerprint(b.serverCertSha256()));
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
