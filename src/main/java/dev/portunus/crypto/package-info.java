/**
 * Tokens, hashes and ids: random tokens and BLAKE3 (Secrets), argon2id passwords, ULIDs. Owns no
 * table.
 */
package dev.portunus.crypto;

