/**
 * A user's API credentials (bearer tokens shown once, stored as BLAKE3 hashes). Owns {@code
 * credentials}.
 */
package dev.portunus.credentials;

