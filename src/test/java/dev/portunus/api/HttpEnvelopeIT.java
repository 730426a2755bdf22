package dev.portunus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.testing.ClientProcessSupport.Server;
import dev.portunus.testing.ClientProcessSupport;
import dev.portunus.testing.RawHttp.Reply;
import dev.portunus.testing.RawHttp;
import dev.portunus.testing.TestFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Issue 8 against the packaged jar: the envelope for requests refused before routing depends on
 * the launcher switching Quarkus' own URI check off (PortunusMain), which no {@code @QuarkusTest}
 * exercises (the test JVM gets the switch from surefire's configuration).
 */
class HttpEnvelopeIT {

    @Test
    void serveAnswersPreRoutingRefusalsInTheEnvelopeOnBothListeners() {
        Path root = TestFiles.tempDir("http-envelope-it-");
        int operatorPort = ClientProcessSupport.freePort();
        int clientPort = ClientProcessSupport.freePort();
        try (Server server = ClientProcessSupport.serve(root.resolve("data"), operatorPort, clientPort)) {
            RawHttp api = RawHttp.plain(operatorPort);
            String auth = "Authorization: Bearer " + ClientProcessSupport.OPERATOR_TOKEN + "\r\n";
            expect(api.send("GET /v1/users/%ZZ HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth + "\r\n"), 400, "malformed_uri");
            expect(api.send("GET /v1/users/..\\..\\/credentials HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), 400, "malformed_uri");
            expect(api.send("GET /v1/users HTTP/1.1\r\nHost: a b c\r\n" + auth + "\r\n"), 400, "invalid_host");
            expect(api.send("GET /v1/" + "z".repeat(RequestGate.MAX_URI) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), 414,
                    "uri_too_long");
            expect(api.send(RawHttp.post("/v1/auth/login", "", "{\"user_id\":\"a\",\"user_id\":\"b\",\"password\":\"p\"}")), 422,
                    "duplicate_field");
            RawHttp clients = RawHttp.tls(clientPort);
            expect(clients.send(RawHttp.post("/v1/enroll", "", "{\"code\":\"a\",\"code\":\"b\"}")), 422, "duplicate_field");
            expect(clients.send("HELLO\r\n\r\n"), 400, "malformed_request");
            assertTrue(server.log().contains("serve.ready"), server.log());
        } finally {
            TestFiles.deleteTree(root);
        }
    }

    private static void expect(Reply r, int status, String code) {
        assertEquals(status, r.status(), r::toString);
        assertTrue(r.envelope(), () -> "not the envelope: " + r);
        assertEquals(code, r.code(), r::toString);
    }
}
