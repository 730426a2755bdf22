/**
 * Users and their web sessions: creation, passwords, deletion (with the areas that hold the user's
 * rows taking part). Owns {@code users} and {@code web_sessions}.
 */
package dev.portunus.users;

