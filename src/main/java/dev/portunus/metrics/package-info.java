/**
 * Store gauges for Prometheus and the store's readiness check. Owns no table.
 */
package dev.portunus.metrics;

