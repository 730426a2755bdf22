/**
 * import-legacy (05-legacy.md): reading and checking pre-SQLite JSON state files into an import plan,
 * and applying it.
 */
package dev.portunus.ops.legacy;

