package dev.portunus.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready needs a live audit writer: without it mutations would be accepted but never audited. */
@Readiness
@ApplicationScoped
public class AuditReadiness implements HealthCheck {

    @Inject
    AuditWriter writer;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("audit-writer").status(writer.alive())
                .withData("queued", writer.queue() == null ? 0 : writer.queue().size()).build();
    }
}
