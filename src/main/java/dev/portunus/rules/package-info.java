/**
 * Forwarding rules and their targets: validation, grant envelopes for non-superadmins, listen-port
 * conflicts. Owns {@code rules} and {@code rule_targets}.
 */
package dev.portunus.rules;

