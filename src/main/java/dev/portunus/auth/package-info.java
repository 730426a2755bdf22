/**
 * Who a caller is and how they get in: the authentication seam (operator token, API credentials,
 * session cookies, CSRF), onboarding, login, logout, throttling and the caller's own /v1/users/me
 * routes. Owns {@code login_attempts} and {@code onboarding_setup}.
 */
package dev.portunus.auth;

