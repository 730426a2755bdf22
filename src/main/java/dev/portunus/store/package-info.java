/**
 * The store engine: connections and their PRAGMAs, transactions (one writer, BEGIN IMMEDIATE), the
 * schema and its migrations, the store's file names and timestamps. Knows no API area.
 */
package dev.portunus.store;

