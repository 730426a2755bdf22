package dev.portunus.config;

/**
 * What kind of process this is, decided once by the launcher from picocli's parse of the command
 * line: {@link #SERVE} boots Quarkus (startup checks, migrations, listeners); {@link #COMMAND} (backup,
 * verify, restore, reset, audit prune, the offline user helpers, gen-token) and {@link #CLIENT}
 * ({@code portunus-client}) run without it and never listen or migrate on their own.
 */
public enum Mode {
    SERVE, COMMAND, CLIENT
}
