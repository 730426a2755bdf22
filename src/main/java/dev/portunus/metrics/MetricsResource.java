package dev.portunus.metrics;

import dev.portunus.api.Allow;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /v1/metrics} (superadmin; 06-traffic.md §4): the web UI's authenticated mirror of the
 * scrape endpoint. 200 with exactly the Prometheus 0.0.4 text that {@code /q/metrics} gives for
 * {@code Accept: text/plain} at that moment (the same registry), whatever this request's Accept says;
 * {@code Cache-Control: no-store}. Audited only when denied, like every GET.
 */
@Path("/v1/metrics")
@Allow(Allow.Who.SUPERADMIN)
public class MetricsResource {

    @Inject
    PrometheusMeterRegistry registry;

    @GET
    public Response scrape() {
        return Response.ok(registry.scrape(TextFormat.CONTENT_TYPE_004)).header("Content-Type", TextFormat.CONTENT_TYPE_004)
                .header("Cache-Control", "no-store").build();
    }
}
