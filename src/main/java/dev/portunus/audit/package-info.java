/**
 * The durable audit log (02-api.md "Audit"): which requests are audited, the queue and batched writer,
 * and GET /v1/audit. Owns the {@code audit} table.
 */
package dev.portunus.audit;

