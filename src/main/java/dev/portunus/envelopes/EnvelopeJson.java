package dev.portunus.envelopes;

import dev.portunus.rules.RuleJson;

/** Wire shapes of the per-(client, owner) rate-limit envelopes. */
public final class EnvelopeJson {

    private EnvelopeJson() {
    }

    public record View(String clientId, String ownerId, RuleJson.RateLimit rateLimit, String updatedAt) {
    }

    /** One owner on a client: how many rules it has there and its envelope, when one is set. */
    public record Owner(String ownerId, long ruleCount, RuleJson.RateLimit rateLimit) {
    }
}
