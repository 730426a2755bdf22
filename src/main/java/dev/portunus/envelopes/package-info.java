/**
 * Per-(client, owner) rate-limit envelopes. Owns {@code rate_limit_owner}.
 */
package dev.portunus.envelopes;

