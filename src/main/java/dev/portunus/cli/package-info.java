/**
 * The command line of portunus-server (01-store.md §4): one class per verb. Only {@code serve} boots
 * Quarkus; every other verb runs without it.
 */
package dev.portunus.cli;

