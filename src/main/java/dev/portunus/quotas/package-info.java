/**
 * Monthly traffic quotas per (user, client) and their usage in the current period. Owns {@code
 * traffic_quotas}.
 */
package dev.portunus.quotas;

