/**
 * Files the product creates: explicit modes (0600/0700) whatever the umask, durable publishing by link
 * or rename, and who this process is.
 */
package dev.portunus.files;

