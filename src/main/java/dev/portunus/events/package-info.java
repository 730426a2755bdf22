/**
 * The operator-facing {@code event=} lines: the catalogue of names, their text and JSON shapes, and
 * refusals with their exit codes (01-store.md §5).
 */
package dev.portunus.events;

