/**
 * The operations on a store file and its data-dir: backup, verify, restore, reset, audit prune, the
 * startup checks of serve, the store lock and the access rules behind every refusal.
 */
package dev.portunus.ops;

