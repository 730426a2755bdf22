/**
 * Traffic history (06-traffic.md): the per-minute and per-hour samples and what reads them. Owns
 * {@code traffic_samples_1m} and {@code traffic_samples_1h}.
 */
package dev.portunus.traffic;

