package dev.portunus.cli;

import dev.portunus.events.Event;
import dev.portunus.events.EventName;
import dev.portunus.events.Refusal;
import dev.portunus.ops.StoreInspection;
import dev.portunus.ops.StoreLock;
import dev.portunus.store.SqliteFile;
import dev.portunus.store.Store;
import dev.portunus.users.UserService;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Base of the offline user helpers ({@code user-add}, {@code reset-password}): they write the store
 * directly, so they refuse while {@code serve} holds the lock (75), refuse a missing or empty store
 * (1) instead of creating one, and hold the lock themselves while they write.
 */
abstract class OfflineUserCommand extends StoreCommand {

    abstract String verb();

    /** This command's refusal event. */
    abstract EventName refused();

    abstract Integer run();

    /** The user rules of {@code serve}, on this command's own connection to the store. */
    UserService users() {
        return new UserService(new Store(SqliteFile.dataSource(files().db())));
    }

    @Override
    public final Integer call() {
        dev.portunus.ops.StoreAccess.requireReadWrite(files());
        if (StoreLock.heldElsewhere(files())) {
            throw StoreLock.inUse(files(), verb());
        }
        try {
            if (StoreInspection.isEmptyFile(files().db())) {
                throw new Refusal(Refusal.GENERIC, Event.of(refused())
                        .with("path", files().db()).with("reason", "no store here")
                        .hint("check --data-dir / PORTUNUS_DATA_DIR, or start 'serve' once to create the store"));
            }
        } catch (IOException e) {
            throw new Refusal(Refusal.GENERIC, Event.of(refused())
                    .with("path", files().db()).with("reason", e.getMessage()).hint("check the data-dir's permissions"), e);
        }
        try (StoreLock lock = StoreLock.acquire(files(), verb())) {
            return run();
        }
    }

    /** The first line of stdin, without its line ending. */
    static String readPasswordLine(EventName refused) {
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new Refusal(Refusal.USAGE, Event.of(refused)
                        .with("reason", "no password on stdin").hint("pipe the password: printf '%s\\n' \"$PW\" | ..."));
            }
            return line;
        } catch (IOException e) {
            throw new Refusal(Refusal.GENERIC, Event.of(refused)
                    .with("reason", "cannot read stdin").hint("pipe the password on stdin"), e);
        }
    }

    static Refusal invalid(EventName refused, String reason) {
        return new Refusal(Refusal.USAGE, Event.of(refused).with("reason", reason)
                .hint("see --help"));
    }
}
