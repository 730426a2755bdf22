package dev.portunus.envelopes;

import dev.portunus.rules.RateLimit;

/** Wire shapes of the per-(client, owner) rate-limit envelopes. */
public final class EnvelopeJson {

    private EnvelopeJson() {
    }

    public record View(String clientId, String ownerId, RateLimit rateLimit, String updatedAt) {
    }

    /** One owner on a client: how many rules it has there and its envelope, when one is set. */
    public record Owner(String ownerId, long ruleCount, RateLimit rateLimit) {
    }
}
