package dev.portunus.traffic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portunus.api.Caller;
import dev.portunus.api.CallerContext;
import dev.portunus.config.PortunusConfig;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * {@code GET /v1/rules/{rule_id}/stats} and {@code …/stats/stream} (06-traffic.md §5.2, §5.3): the live
 * counters of a rule, for its owner or a superadmin (anyone else: 404, as for the rule). The stream
 * is Server-Sent Events, one {@code event: stats} frame with the same JSON as the snapshot at once and
 * then every {@code portunus.traffic.stats-stream-period} (5 s), ending after
 * {@code stats-stream-frames} frames (a browser's EventSource reconnects) or when the rule goes.
 * {@code per_target=true} is accepted; no per-target counters are reported yet, so the field is absent.
 * The class path is this specific so that it wins over {@code /v1/rules}.
 */
@Path("/v1/rules/{rule_id}/stats")
public class RuleStatsResource {

    @Inject
    TrafficService traffic;

    @Inject
    CallerContext callers;

    @Inject
    PortunusConfig config;

    @Inject
    ObjectMapper mapper;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("rule_id") String ruleId) {
        return Response.ok(traffic.ruleStats(callers.caller(), ruleId)).header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    public Multi<OutboundSseEvent> stream(@PathParam("rule_id") String ruleId, @Context Sse sse) {
        Caller caller = callers.caller();
        TrafficJson.RuleStats first = traffic.ruleStats(caller, ruleId); // 404 before the stream starts
        Duration period = config.traffic().statsStreamPeriod();
        Multi<TrafficJson.RuleStats> later = Multi.createFrom().ticks().startingAfter(period).every(period)
                .map(tick -> traffic.ruleStats(caller, ruleId))
                .onFailure().recoverWithCompletion(); // the rule was deleted (or the store failed): end the stream
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(first), later)
                .select().first(config.traffic().statsStreamFrames())
                .map(stats -> sse.newEventBuilder().name("stats").data(json(stats)).build()); // JSON text, written as is
    }

    private String json(TrafficJson.RuleStats stats) {
        try {
            return mapper.writeValueAsString(stats);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
