/**
 * Enrolled clients (04-client.md): enrollment codes, redeem, the management routes and the client TLS
 * listener. Owns {@code client_tokens} and {@code client_enrollments}.
 */
package dev.portunus.clients;

