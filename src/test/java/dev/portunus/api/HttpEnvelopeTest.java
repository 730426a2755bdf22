package dev.portunus.api;

import static dev.portunus.testing.Api.operator;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.clients.ClientEndpoint;
import dev.portunus.store.Store;
import dev.portunus.testing.Api;
import dev.portunus.testing.RawHttp.Reply;
import dev.portunus.testing.RawHttp;
import dev.portunus.testing.TempStoreResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8: every 4xx/5xx of the operator API and the client listener carries the error envelope
 * with {@code Content-Type: application/json} (02-api.md "Errors"), including answers decided
 * before routing; a member given twice is 422 {@code duplicate_field}; an out-of-range number is
 * 422 naming its field; audit timestamps accept a decoded {@code +} and say what they received.
 * Requests are written byte for byte ({@link RawHttp}), since HTTP clients repair most of these.
 */
@QuarkusTest
@QuarkusTestResource(value = TempStoreResource.class, restrictToAnnotatedClass = true)
class HttpEnvelopeTest {

    static final String OPERATOR = "Authorization: Bearer " + TempStoreResource.OPERATOR_TOKEN + "\r\n";

    @Inject
    ClientEndpoint endpoint;

    @Inject
    Store store;

    RawHttp api;
    RawHttp clients;

    @BeforeEach
    void setUp() {
        Api.superadminExists();
        api = RawHttp.plain(RestAssured.port);
        clients = RawHttp.tls(endpoint.port());
    }

    static void assertError(Reply r, int status, String code) {
        assertEquals(status, r.status(), r::toString);
        assertTrue(r.envelope(), () -> "not the envelope: " + r);
        assertEquals(code, r.code(), r::toString);
    }

    static String get(String target, String headers) {
        return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n";
    }

    // --- duplicate members -------------------------------------------------------------------

    @Test
    void aDuplicatedMemberOnLoginIs422NamingIt() {
        Reply r = api.send(RawHttp.post("/v1/auth/login", "", "{\"user_id\":\"root\",\"user_id\":\"bob\",\"password\":\"x\"}"));
        assertError(r, 422, "duplicate_field");
        assertTrue(r.json().at("/error/message").asText().contains("'user_id'"), r::toString);
    }

    @Test
    void aDuplicatedMemberOnPostUsersIs422AndCreatesNothing() {
        Reply r = api.send(RawHttp.post("/v1/users", OPERATOR,
                "{\"user_id\":\"dup-a\",\"user_id\":\"dup-b\",\"display_name\":\"x\"}"));
        assertError(r, 422, "duplicate_field");
        assertTrue(r.json().at("/error/message").asText().contains("'user_id'"), r::toString);
        assertEquals(0L, (long) store.read(h -> h.count("SELECT count(*) FROM users WHERE id IN ('dup-a', 'dup-b')")));
        // A role given twice must not let the last one win either.
        assertError(api.send(RawHttp.post("/v1/users", OPERATOR,
                "{\"user_id\":\"dup-c\",\"display_name\":\"x\",\"role\":\"user\",\"role\":\"superadmin\"}")), 422, "duplicate_field");
    }

    @Test
    void aDuplicatedMemberInsideANestedObjectIsNamedByItsPath() {
        Reply r = api.send(RawHttp.post("/v1/rules", OPERATOR, "{\"client\":\"c\",\"listen_port\":80,\"targets\":"
                + "[{\"host\":\"a\",\"port\":1,\"priority\":1,\"host\":\"b\"}]}"));
        assertError(r, 422, "duplicate_field");
        assertTrue(r.json().at("/error/message").asText().contains("'targets[0].host'"), r::toString);
    }

    @Test
    void aDuplicatedMemberOnTheClientListenerIs422NamingIt() {
        Reply r = clients.send(RawHttp.post("/v1/enroll", "", "{\"code\":\"a\",\"code\":\"b\"}"));
        assertError(r, 422, "duplicate_field");
        assertTrue(r.json().at("/error/message").asText().contains("'code'"), r::toString);
    }

    // --- request targets ---------------------------------------------------------------------

    @Test
    void aRawBackslashTraversalIs400MalformedUriOnBothListeners() {
        assertError(api.send(get("/v1/users/..\\..\\/credentials", OPERATOR)), 400, "malformed_uri");
        assertError(clients.send(get("/v1/client/..\\..\\/whoami", "")), 400, "malformed_uri");
    }

    @Test
    void aBadPercentEscapeInQueryOrPathIs400MalformedUri() {
        assertError(api.send(get("/v1/audit?since=%ZZ", OPERATOR)), 400, "malformed_uri");
        assertError(api.send(get("/v1/users/%ZZ", OPERATOR)), 400, "malformed_uri");
        assertError(api.send(get("/v1/users/%", "")), 400, "malformed_uri");
        assertError(api.send(get("/q/health/%ZZ", "")), 400, "malformed_uri");
        assertError(clients.send(get("/v1/client/whoami?x=%ZZ", "")), 400, "malformed_uri");
    }

    /** Found by HttpFuzzTest: with a matrix parameter the REST layer decoded the path twice and failed with 500. */
    @Test
    void aMatrixParameterIs400MalformedUriNotA500() {
        assertError(api.send(get("/v1/users/nobody;a=b/%25", OPERATOR)), 400, "malformed_uri");
        assertError(api.send(get("/v1/users;a=b", OPERATOR)), 400, "malformed_uri");
        assertError(clients.send(get("/v1/client/whoami;a=b", "")), 400, "malformed_uri");
        assertEquals(404, api.send(get("/v1/users/nobody%3Ba=b", OPERATOR)).status());
    }

    @Test
    void anUnknownRouteIs404OnBothListenersAndAnAsteriskTargetToo() {
        assertError(api.send(get("/nope", OPERATOR)), 404, "not_found");
        assertError(api.send("OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), 404, "not_found");
        assertError(clients.send(get("/v1/users", "")), 404, "not_found");
    }

    @Test
    void aTooLongRequestTargetIs414UriTooLong() {
        String longPath = "/v1/" + "a".repeat(RequestGate.MAX_URI);
        assertError(api.send(get(longPath, OPERATOR)), 414, "uri_too_long");
        assertError(clients.send(get(longPath, "")), 414, "uri_too_long");
        // Past Netty's own limit, only the client listener (which owns its Vert.x server) can answer in the envelope.
        assertError(clients.send(get("/v1/" + "a".repeat(70_000), "")), 414, "uri_too_long");
    }

    // --- headers -----------------------------------------------------------------------------

    @Test
    void aMissingMalformedOrRepeatedHostIs400InvalidHost() {
        assertError(api.send("GET /v1/users HTTP/1.1\r\n" + OPERATOR + "\r\n"), 400, "invalid_host");
        assertError(api.send("GET /v1/users HTTP/1.1\r\nHost: a b c\r\n" + OPERATOR + "\r\n"), 400, "invalid_host");
        assertError(api.send("GET /v1/users HTTP/1.1\r\nHost: a\r\nHost: b\r\n" + OPERATOR + "\r\n"), 400, "invalid_host");
        assertError(api.send("GET /v1/users HTTP/1.1\r\nHost: x:99999\r\n" + OPERATOR + "\r\n"), 400, "invalid_host");
        assertError(clients.send("GET /v1/client/whoami HTTP/1.1\r\n\r\n"), 400, "invalid_host");
        assertError(clients.send("GET /v1/client/whoami HTTP/1.1\r\nHost: a b c\r\n\r\n"), 400, "invalid_host");
        // HTTP/1.0 needs none.
        assertEquals(200, api.send("GET /v1/users HTTP/1.0\r\n" + OPERATOR + "\r\n").status());
    }

    @Test
    void oversizedHeadersAre431() {
        String big = "X-Padding: " + "p".repeat(RequestGate.MAX_HEADERS) + "\r\n";
        assertError(api.send(get("/v1/users", OPERATOR + big)), 431, "headers_too_large");
        assertError(clients.send(get("/v1/client/whoami", big)), 431, "headers_too_large");
    }

    @Test
    void wrongMethodAcceptAndContentTypeAre405406415() {
        assertError(api.send("PUT /v1/users HTTP/1.1\r\nHost: 127.0.0.1\r\n" + OPERATOR + "Content-Length: 0\r\n\r\n"), 405,
                "method_not_allowed");
        assertError(api.send(get("/v1/users", OPERATOR).replace("GET ", "TRACE ")), 405, "method_not_allowed");
        assertError(api.send(get("/v1/users", OPERATOR).replace("GET ", "get ")), 405, "method_not_allowed");
        assertError(api.send(get("/v1/users", OPERATOR + "Accept: text/html\r\n")), 406, "not_acceptable");
        assertError(api.send("POST /v1/users HTTP/1.1\r\nHost: 127.0.0.1\r\n" + OPERATOR
                + "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nxx"), 415, "unsupported_media_type");
        assertError(clients.send(get("/v1/enroll", "")), 405, "method_not_allowed");
        assertError(clients.send("POST /v1/enroll HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nxx"),
                415, "unsupported_media_type");
    }

    // --- bodies ------------------------------------------------------------------------------

    @Test
    void aDeclaredBodyOverOneMebibyteIs413() {
        byte[] body = new byte[(int) BodyLimit.MAX_BODY + 1];
        java.util.Arrays.fill(body, (byte) ' ');
        assertError(api.send(RawHttp.post("/v1/users", OPERATOR, body)), 413, "body_too_large");
        assertError(clients.send(RawHttp.post("/v1/enroll", "", body)), 413, "body_too_large");
    }

    @Test
    void aChunkedBodyOverOneMebibyteIs413AndOneWithinTheLimitIsRead() {
        String head = "POST /v1/users HTTP/1.1\r\nHost: 127.0.0.1\r\n" + OPERATOR
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
        Reply over = api.send(RawHttp.join(head, RawHttp.chunks(RawHttp.pieces(2 * (int) BodyLimit.MAX_BODY, 64 * 1024, (byte) ' '))));
        assertError(over, 413, "body_too_large");
        String clientHead = head.replace("/v1/users", "/v1/enroll").replace(OPERATOR, "");
        assertError(clients.send(RawHttp.join(clientHead, RawHttp.chunks(RawHttp.pieces(2 * (int) BodyLimit.MAX_BODY, 64 * 1024,
                (byte) ' ')))), 413, "body_too_large");

        byte[] json = "{\"user_id\":\"chunky\",\"display_name\":\"Chunked\"}".getBytes(StandardCharsets.UTF_8);
        Reply ok = api.send(RawHttp.join(head, RawHttp.chunks(List.of(java.util.Arrays.copyOfRange(json, 0, 10),
                java.util.Arrays.copyOfRange(json, 10, json.length)))));
        assertEquals(201, ok.status(), ok::toString);
        operator().get("/v1/users/chunky").then().statusCode(200).body("display_name", equalTo("Chunked"));
    }

    @Test
    void aNumberTooLargeForItsFieldIs422NamingTheField() {
        Api.user("bob", "user");
        Reply r = api.send(RawHttp.post("/v1/grants", OPERATOR, "{\"user_id\":\"bob\",\"client\":\"*\","
                + "\"listen_port_start\":99999999999999999999,\"listen_port_end\":80,\"protocols\":[\"tcp\"]}"));
        assertError(r, 422, "invalid_value");
        assertTrue(r.json().at("/error/message").asText().contains("'listen_port_start'"), r::toString);
        Reply nested = clients.send(RawHttp.post("/v1/enroll", "", "{\"code\":99999999999999999999}"));
        assertEquals(422, nested.status(), nested::toString);
        assertTrue(nested.envelope() && nested.json().at("/error/message").asText().contains("'code'"), nested::toString);
    }

    @Test
    void deepNestingBadUtf8AndBadEscapesAre400MalformedJson() {
        assertError(api.send(RawHttp.post("/v1/auth/login", "", "[".repeat(100_000))), 400, "malformed_json");
        assertError(api.send(RawHttp.post("/v1/auth/login", "", new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'})),
                400, "malformed_json");
        assertError(api.send(RawHttp.post("/v1/auth/login", "", "{\"user_id\":\"\\x\",\"password\":\"p\"}")), 400, "malformed_json");
        assertError(clients.send(RawHttp.post("/v1/enroll", "", "[".repeat(100_000))), 400, "malformed_json");
    }

    // --- timestamps --------------------------------------------------------------------------

    @Test
    void aRawPlusInAnAuditOffsetIsAcceptedLikePercent2B() {
        Reply raw = api.send(get("/v1/audit?since=2026-01-01T00:00:00+01:00&limit=1", OPERATOR));
        Reply encoded = api.send(get("/v1/audit?since=2026-01-01T00:00:00%2B01:00&limit=1", OPERATOR));
        assertEquals(200, raw.status(), raw::toString);
        assertEquals(200, encoded.status(), encoded::toString);
        assertTrue(raw.json().has("entries"), raw::toString);
    }

    @Test
    void aBadTimestampSaysWhatWasReceivedAndToEncodePlus() {
        Reply r = api.send(get("/v1/audit?until=2026-01-01T00:00:00++01:00", OPERATOR));
        assertError(r, 400, "invalid_timestamp");
        String message = r.json().at("/error/message").asText();
        assertTrue(message.contains("'until'"), message);
        assertTrue(message.contains("received '2026-01-01T00:00:00  01:00'"), message);
        assertTrue(message.contains("%2B"), message);
    }

    // --- the residual class ------------------------------------------------------------------

    /**
     * Pins the documented residual (see RequestGate): what Netty's decoder refuses on the operator
     * API gets Vert.x's bare 400 and a closed connection; the server stays up. The client listener
     * owns its Vert.x server and answers the same bytes in the envelope.
     */
    @Test
    void decoderLevelGarbageIsA4xxOrACloseAndTheServerStaysUp() {
        List<String> garbage = List.of("HELLO\r\n\r\n", "GET /v1/users HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
                "GET /v1/users HTTP/1.1\r\nHost: x\r\nBad Name: v\r\n\r\n");
        for (String g : garbage) {
            Reply r = api.send(g);
            assertTrue(r.status() == 400 || r.status() == -1, r::toString);
            assertError(clients.send(g), 400, "malformed_request");
        }
        Reply live = api.send(get("/q/health/live", ""));
        assertEquals(200, live.status(), live::toString);
        assertNull(live.code());
    }
}
