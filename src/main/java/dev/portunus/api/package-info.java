/**
 * The HTTP rules both listeners share: the error envelope, the strict JSON reader, body and request
 * limits, bearer parsing, the caller of a request and the one declarative role check ({@link
 * dev.portunus.api.Allow}). Owns no table.
 */
package dev.portunus.api;

