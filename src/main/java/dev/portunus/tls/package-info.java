/**
 * The client listener's self-signed certificate and key in the data-dir.
 */
package dev.portunus.tls;

