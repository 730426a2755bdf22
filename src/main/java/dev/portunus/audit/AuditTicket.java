package dev.portunus.audit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/**
 * The audit slot a request holds, from admission to its entry. A slot taken and never used (the
 * request ended without reaching the response filter) is given back when the request ends.
 */
@RequestScoped
public class AuditTicket {

    @Inject
    AuditWriter writer;

    private boolean held;

    /** Takes a slot (bounded wait); false when the writer stayed behind. */
    boolean take() {
        held = writer.reserve();
        return held;
    }

    boolean held() {
        return held;
    }

    /** The slot goes to this request's entry. */
    void use(AuditEntry entry) {
        held = false;
        writer.submitReserved(entry);
    }

    @PreDestroy
    void end() {
        if (held) {
            held = false;
            writer.cancel();
        }
    }
}
