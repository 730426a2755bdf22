package dev.portunus.testing;

import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;

/** Rows the API of this branch does not create (clients, rules), inserted with plain SQL. */
public final class Rows {

    private Rows() {
    }

    public static void client(Store store, String id) {
        store.write(h -> h.update("INSERT OR IGNORE INTO client_tokens (id, display_name, issued_at) VALUES (?, ?, ?)", id, id,
                Timestamps.now()));
    }

    public static void rule(Store store, String id, String client, String owner, int port, int portEnd, String protocol) {
        client(store, client);
        store.write(h -> h.update("INSERT INTO rules (id, client_id, owner_id, listen_port, listen_port_end, target_host, "
                + "target_port, protocol, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'backend', 8080, ?, ?, ?)", id, client,
                owner, port, portEnd, protocol, Timestamps.now(), Timestamps.now()));
    }

    public static long count(Store store, String sql, Object... args) {
        return store.read(h -> h.count(sql, args));
    }
}
