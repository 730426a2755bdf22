/**
 * What a user may forward, and the one coverage rule of grants over rules. Owns {@code grants}.
 */
package dev.portunus.grants;

