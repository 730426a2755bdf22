/**
 * Facts the server keeps about itself in the one-row {@code server_settings} table.
 */
package dev.portunus.settings;

