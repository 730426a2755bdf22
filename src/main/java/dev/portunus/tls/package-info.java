/**
 * The client listener's self-signed certificate and key in the data-dir, and which host names its
 * subject alternative names cover ({@link dev.portunus.tls.CertificateNames}).
 */
package dev.portunus.tls;
