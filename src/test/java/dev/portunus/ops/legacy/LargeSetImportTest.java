package dev.portunus.ops.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portunus.testing.TestFiles;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A generated set of the size §8 mentions (thousands of users, tens of thousands of tokens): the
 * counts must come out exact, and the planning time and heap are printed for the closing note.
 * Written under target/ on each run rather than committed.
 */
class LargeSetImportTest {

    static final int USERS = 5_000;
    static final int CLIENTS = 20_000;
    static final int CREDENTIALS = 30_000;
    static final int GRANTS_PER_USER = 2;
    static final int RULES = 10_000;
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    /** A valid ULID unique per (prefix, n). */
    static String ulid(String prefix10, long n) {
        char[] tail = new char[16];
        for (int i = 15; i >= 0; i--, n >>>= 5) {
            tail[i] = CROCKFORD[(int) (n & 31)];
        }
        return prefix10 + new String(tail);
    }

    private static final String[] TIMES = new String[997];

    static {
        for (int n = 0; n < TIMES.length; n++) {
            TIMES[n] = String.format("2025-%02d-%02dT%02d:%02d:%02d.%09dZ", 1 + n % 12, 1 + n % 28, n % 24, n % 60,
                    (n / 60) % 60, (n * 7919L) % 1_000_000_000L);
        }
    }

    /** One of 997 distinct 9-digit timestamps (String.format per record would dominate the test's time). */
    static String time(int n) {
        return TIMES[n % TIMES.length];
    }

    /** 64 hex digits, distinct per n. */
    static String hash(long n, boolean upper) {
        String hex = Long.toHexString(n);
        String padded = "0".repeat(64 - hex.length()) + hex;
        return upper ? padded.toUpperCase() : padded;
    }

    static void write(Path dir) throws IOException {
        StringBuilder t = new StringBuilder(CLIENTS * 200).append("{\n  \"version\": 1,\n  \"tokens\": [");
        for (int i = 0; i < CLIENTS; i++) {
            t.append(i == 0 ? "\n" : ",\n").append("    {\"client_name\": \"c-").append(i)
                    .append("\", \"token_hash\": \"").append(hash(i, false)).append("\", \"issued_at\": \"")
                    .append(time(i)).append("\", \"revoked_at\": ").append(i % 10 == 0 ? "\"" + time(i + 1) + "\"" : "null")
                    .append('}');
        }
        Files.writeString(dir.resolve("tokens.json"), t.append("\n  ]\n}").toString());

        StringBuilder id = new StringBuilder(CREDENTIALS * 300).append("{\n  \"version\": 1,\n  \"users\": [");
        for (int i = 0; i < USERS; i++) {
            id.append(i == 0 ? "\n" : ",\n").append("    {\"id\": \"").append(user(i)).append("\", \"display_name\": \"User ")
                    .append(i).append("\", \"role\": \"").append(i == 0 ? "superadmin" : "user")
                    .append("\", \"created_at\": \"").append(time(i)).append("\", \"disabled\": ").append(i % 50 == 1)
                    .append('}');
        }
        id.append("\n  ],\n  \"credentials\": [");
        for (int i = 0; i < CREDENTIALS; i++) {
            id.append(i == 0 ? "\n" : ",\n").append("    {\"id\": \"").append(ulid("01JGFJJZ7T", i))
                    .append("\", \"user_id\": \"").append(user(i % USERS)).append("\", \"token_hash\": \"")
                    .append(hash(1_000_000 + i, true)).append("\", \"label\": \"token ").append(i)
                    .append("\", \"created_at\": \"").append(time(i)).append("\", \"status\": ")
                    .append(i % 4 == 0 ? "{\"revoked\": {\"revoked_at\": \"" + time(i + 3) + "\"}}" : "\"active\"").append('}');
        }
        id.append("\n  ],\n  \"grants\": [");
        for (int i = 0; i < USERS * GRANTS_PER_USER; i++) {
            id.append(i == 0 ? "\n" : ",\n").append("    {\"id\": \"").append(ulid("01JGK7AA80", i))
                    .append("\", \"user_id\": \"").append(user(i % USERS)).append("\", \"client\": \"")
                    .append(i < USERS ? "*" : "c-" + i % CLIENTS)
                    .append("\", \"listen_port_start\": 1, \"listen_port_end\": 65535, \"protocols\": [\"tcp\", \"udp\"],")
                    .append(" \"created_at\": \"").append(time(i)).append("\"}");
        }
        Files.writeString(dir.resolve("identity.json"), id.append("\n  ]\n}").toString());

        StringBuilder r = new StringBuilder(RULES * 400).append("{\n  \"version\": 1,\n  \"rules\": [");
        for (int i = 0; i < RULES; i++) {
            boolean multi = i % 5 == 0;
            boolean range = !multi && i % 7 == 0;
            r.append(i == 0 ? "\n" : ",\n").append("    {\"id\": ").append(i).append(", \"client_name\": \"c-")
                    .append(i % CLIENTS).append("\", \"listen_port\": ").append(10_000 + i % 1000)
                    .append(range ? ", \"listen_port_end\": " + (10_000 + i % 1000 + 9) : "")
                    .append(", \"target_host\": \"host-").append(i).append(".example.net\", \"target_port\": 8080")
                    .append(range ? ", \"target_port_end\": 8089" : "")
                    .append(", \"prefer_ipv6\": false, \"protocol\": \"").append(i % 2 == 0 ? "tcp" : "udp")
                    .append("\", \"state\": {\"kind\": \"active\"}, \"created_at\": \"").append(time(i))
                    .append("\", \"last_state_change_at\": \"").append(time(i + 1)).append("\", \"owner_user_id\": \"")
                    .append(user(i % USERS)).append('"');
            if (multi) {
                r.append(", \"targets\": [{\"host\": \"host-").append(i).append(".example.net\", \"port\": 8080, \"priority\": 0},")
                        .append(" {\"host\": \"10.").append(i % 250).append(".0.1\", \"port\": 8080, \"priority\": 1},")
                        .append(" {\"host\": \"[2001:db8::").append(Integer.toHexString(i)).append("]\", \"port\": 8080, \"priority\": 2}],")
                        .append(" \"health_check_interval_secs\": 10");
            }
            r.append('}');
        }
        Files.writeString(dir.resolve("rules.json"), r.append("\n  ]\n}").toString());
    }

    private static String user(int i) {
        return i == 0 ? "_superadmin" : "user-" + i;
    }

    @Test
    void thousandsOfUsersAndTensOfThousandsOfTokensPlanExactly() throws IOException {
        Path dir = TestFiles.tempDir("legacy-large-");
        long writeStart = System.nanoTime();
        write(dir);
        long writeMillis = (System.nanoTime() - writeStart) / 1_000_000;
        long bytes = 0;
        for (String name : List.of("tokens.json", "identity.json", "rules.json")) {
            bytes += Files.size(dir.resolve(name));
        }
        System.gc();
        long before = usedHeap();
        List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);

        long start = System.nanoTime();
        ImportPlan plan = new LegacyImportPlanner().plan(LegacyFiles.in(dir));
        long millis = (System.nanoTime() - start) / 1_000_000;

        long peak = heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.gc();
        long retained = usedHeap() - before;
        assertNull(plan.refusal());
        int multi = RULES / 5;
        // Warnings: each multi-target rule's bracketed IPv6 target is normalised, every credential hash is upper
        // case, every 10th client is revoked and rule i is on client i, and _superadmin is renamed.
        int warnings = multi + CREDENTIALS + RULES / 10 + 1;
        assertEquals(new ImportPlan.Counts(USERS, CREDENTIALS, USERS * GRANTS_PER_USER, CLIENTS, RULES, multi * 3, 0,
                warnings), plan.counts());
        assertTrue(plan.enabledSuperadmin());
        assertEquals(CLIENTS, plan.mappings().clientIds().size());
        assertEquals(RULES, plan.mappings().ruleIds().size());
        System.out.printf("legacy large set: %d users, %d credentials, %d grants, %d clients, %d rules, %d rule targets;"
                + " %.1f MiB of JSON (written in %d ms) planned in %d ms; heap: %.0f MiB peak during planning (garbage included),"
                + " %.0f MiB retained by the plan%n", USERS, CREDENTIALS, USERS * GRANTS_PER_USER, CLIENTS, RULES, multi * 3,
                bytes / 1048576.0, writeMillis, millis, (peak - before) / 1048576.0, retained / 1048576.0);
        assertTrue(plan.counts().users() > 0); // keeps the plan reachable until after the measurement
        TestFiles.deleteTree(dir);
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
