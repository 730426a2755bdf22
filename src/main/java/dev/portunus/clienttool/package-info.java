/**
 * portunus-client: enrolling, finding and checking the client bundle, talking to the client listener
 * with the pinned certificate. Owns no table.
 */
package dev.portunus.clienttool;

