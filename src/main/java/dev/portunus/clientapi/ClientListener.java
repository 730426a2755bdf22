package dev.portunus.clientapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portunus.api.ApiException;
import dev.portunus.api.Bearer;
import dev.portunus.api.BodyLimit;
import dev.portunus.api.ErrorBody;
import dev.portunus.api.HttpErrors;
import dev.portunus.api.RequestGate;
import dev.portunus.api.StrictJson;
import dev.portunus.audit.AuditPolicy;
import dev.portunus.audit.AuditWriter;
import dev.portunus.clients.ClientEndpoint;
import dev.portunus.clients.ClientJson;
import dev.portunus.clients.ClientRepository;
import dev.portunus.clients.ClientService;
import dev.portunus.config.HostPort;
import dev.portunus.config.PortunusConfig;
import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.quotas.QuotaService;
import dev.portunus.tls.SingleKeyManager;
import dev.portunus.tls.TlsMaterial;
import dev.portunus.traffic.ReportService;
import dev.portunus.traffic.TrafficJson;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.KeyCertOptions;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The client-facing TLS listener (04-client.md), a Vert.x server of its own beside Quarkus' operator
 * HTTP server: the two bind different addresses (operator 127.0.0.1:7080, clients 0.0.0.0:7443) and
 * must not share routes. It serves exactly {@code POST /v1/enroll}, {@code GET /v1/client/whoami} and
 * {@code POST /v1/client/traffic} (06-traffic.md §2.2); anything else is a 404 in the error envelope.
 * Quarkus boots only for {@code serve} (and tests), so it always listens, on the {@code client_listen}
 * setting (tests bind a free loopback port). A package of its own above the areas, because a traffic
 * report's answer needs the clients, traffic and quotas areas together.
 */
@ApplicationScoped
public class ClientListener {

    static final String ENROLL = "/v1/enroll";
    static final String WHOAMI = "/v1/client/whoami";
    static final String TRAFFIC = AuditPolicy.TRAFFIC_REPORT_PATH;
    /** Netty's own request-line and header-block limits, in bytes (see {@link RequestGate}). */
    static final int DECODER_LIMIT = 64 * 1024;

    private static final Logger LOG = Logger.getLogger(ClientListener.class);

    @Inject
    Vertx vertx;

    @Inject
    PortunusConfig config;

    @Inject
    ClientService clients;

    @Inject
    ClientEndpoint endpoint;

    @Inject
    ReportService reports;

    @Inject
    QuotaService quotas;

    @Inject
    ObjectMapper mapper;

    @Inject
    AuditWriter audit;

    private volatile HttpServer server;

    /** Requests that hold an audit slot until their answer is written (or the connection closes). */
    private final java.util.Set<HttpServerRequest> reserved = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Start-up observers run in ascending priority, the default one being {@code APPLICATION + 500}.
     * The listener opens its port after all of them: the audit writer, the traffic meters and the
     * store's start-up work it answers with are in place before the first client (clients reconnect
     * as soon as a restarted server listens) can send a report.
     */
    static final int START_PRIORITY = Interceptor.Priority.APPLICATION + 1000;

    void onStart(@Observes @Priority(START_PRIORITY) StartupEvent event) throws Exception {
        HostPort address = config.settings().clientListen();
        Optional<HostPort> advertised = config.settings().advertisedEndpoint();
        TlsMaterial.Material tls = TlsMaterial.ensure(config.dataDir(),
                List.of(address.host(), advertised.map(HostPort::host).orElse("")));
        // The decoder's limits sit far above RequestGate's, as on the operator API, so that the
        // gate's 414/431 answer first; past them invalidRequestHandler still answers in the envelope.
        HttpServerOptions options = new HttpServerOptions().setHost(address.host()).setPort(address.port())
                .setMaxInitialLineLength(DECODER_LIMIT).setMaxHeaderSize(DECODER_LIMIT)
                .setSsl(true).setKeyCertOptions(KeyCertOptions.wrap(SingleKeyManager.read(tls.cert(), tls.key())));
        HttpServer started = vertx.createHttpServer(options).requestHandler(this::handle)
                .invalidRequestHandler(this::invalid);
        started.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        server = started;
        int port = started.actualPort();
        endpoint.set(tls.sha256(), port);
        Event.of(EventName.SERVE_CLIENT_LISTENER).with("listen", new HostPort(address.host(), port))
                .with("advertised_endpoint", clients.advertisedEndpoint()).with("server_cert_sha256", tls.sha256()).info();
    }

    void onStop(@Observes ShutdownEvent event) {
        HttpServer s = server;
        if (s != null) {
            try {
                s.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warnf("client listener did not close cleanly: %s", e.getMessage());
            }
        }
    }

    private void handle(HttpServerRequest req) {
        Optional<ApiException> refused = RequestGate.refusal(req);
        if (refused.isPresent()) {
            if (refused.get().status() == 413) {
                BodyLimit.drainAndClose(req);
            }
            reply(req, refused.get());
            return;
        }
        // As on the operator API: a mutating request holds its audit slot before it can take effect.
        if (AuditPolicy.needsSlotBeforeEffect(req.method().name(), req.path())) {
            if (!audit.reserve()) {
                reply(req, audit.refusedForBacklog());
                return;
            }
            reserved.add(req);
            req.response().closeHandler(v -> {
                if (reserved.remove(req)) {
                    audit.cancel();
                }
            });
        }
        String path = req.path();
        if (ENROLL.equals(path)) {
            if (req.method() != HttpMethod.POST) {
                reply(req, HttpErrors.forStatus(405));
            } else if (!isJson(req)) {
                reply(req, HttpErrors.forStatus(415));
            } else {
                BodyLimit.read(req, body -> blocking(req, () -> clients.redeem(parse(body, ClientJson.Redeem.class))),
                        refusal -> reply(req, refusal));
            }
        } else if (WHOAMI.equals(path)) {
            if (req.method() != HttpMethod.GET) {
                reply(req, HttpErrors.forStatus(405));
            } else {
                String token = Bearer.token(req.getHeader("Authorization")).orElse(null);
                blocking(req, () -> clients.whoami(token));
            }
        } else if (TRAFFIC.equals(path)) {
            long arrived = System.nanoTime();
            req.response().endHandler(v -> reports.answered(System.nanoTime() - arrived));
            if (req.method() != HttpMethod.POST) {
                reply(req, HttpErrors.forStatus(405));
            } else if (!isJson(req)) {
                reply(req, HttpErrors.forStatus(415));
            } else {
                String token = Bearer.token(req.getHeader("Authorization")).orElse(null);
                BodyLimit.read(req, body -> blocking(req, () -> report(token, body)), refusal -> reply(req, refusal));
            }
        } else {
            reply(req, HttpErrors.forStatus(404));
        }
    }

    private static boolean isJson(HttpServerRequest req) {
        return String.valueOf(req.getHeader("Content-Type")).toLowerCase().startsWith("application/json");
    }

    /**
     * A traffic report: who (401), the client's rate (429), the body (400/422), then the traffic
     * area applies it (409/422/503) and the quotas area adds the client's quota statuses, read after
     * the commit so that they include this report.
     */
    private ClientApiJson.ReportAnswer report(String token, Buffer body) {
        ClientRepository.Active who = clients.authenticate(token);
        reports.admit(who.clientId());
        TrafficJson.ReportResult r = reports.report(who, parse(body, TrafficJson.Report.class));
        return new ClientApiJson.ReportAnswer(r.result(), r.serverTime(), r.reportIntervalSecs(), r.ignoredRuleIds(),
                quotas.statusesOfClient(who.clientId(), Instant.now()));
    }

    /** Requests Netty's decoder refused (bad request line, header syntax, over the decoder limits). */
    private void invalid(HttpServerRequest req) {
        req.response().putHeader("Connection", "close");
        HttpErrors.send(req.response(), RequestGate.decoderRefusal(req));
        req.response().close();
    }

    private <T> T parse(Buffer body, Class<T> type) {
        try {
            return mapper.readValue(body.getBytes(), type);
        } catch (java.io.IOException e) {
            throw StrictJson.refusal(e);
        }
    }

    /** The store work runs on a worker thread, never on the event loop. */
    private void blocking(HttpServerRequest req, Callable<Object> work) {
        vertx.executeBlocking(work, false).onComplete(ar -> {
            if (ar.succeeded()) {
                respond(req, 200, ar.result());
            } else {
                reply(req, ar.cause());
            }
        });
    }

    private void reply(HttpServerRequest req, Throwable failure) {
        ApiException e = HttpErrors.ofFailure(failure);
        respond(req, e.status(), ErrorBody.of(e.code(), e.getMessage()));
    }

    private void respond(HttpServerRequest req, int status, Object body) {
        if (req.response().ended()) {
            return;
        }
        if (!audit(req, status, body instanceof ErrorBody e ? e.error().code() : null)) {
            ApiException backlog = audit.refusedForBacklog();
            status = backlog.status();
            body = ErrorBody.of(backlog.code(), backlog.getMessage());
        }
        if (TRAFFIC.equals(req.path())) {
            if (status != 200) {
                reports.countRejected();
            }
            if (status == 429) {
                req.response().putHeader("Retry-After", "1");
            }
        }
        String json;
        try {
            json = mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            status = 500;
            json = "{\"error\":{\"code\":\"internal_error\",\"message\":\"unexpected server error\"}}";
        }
        // The bundle carries the client's token: no cache may keep it.
        req.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(json);
    }

    /**
     * The operator API's rule (AuditPolicy); the caller carries no user credentials here, so the actor
     * is anonymous. False when a denial found no audit slot in time: the answer becomes 503.
     */
    private boolean audit(HttpServerRequest req, int status, String reason) {
        String method = req.method().name();
        boolean held = reserved.remove(req);
        if (!AuditPolicy.audited(method, req.path(), status, reason)) {
            if (held) {
                audit.cancel();
            }
            return true;
        }
        if (!held && !audit.reserve()) {
            return false;
        }
        audit.submitReserved(AuditPolicy.entry("anonymous", null, method, req.path(), status, reason,
                AuditPolicy.correlationId(req.getHeader(AuditPolicy.CORRELATION_HEADER))));
        return true;
    }
}
