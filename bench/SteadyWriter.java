import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * Benchmark helper: commits one audit row at a time at a steady rate into a store, like a busy
 * serve would, until the stop file appears or the time limit passes. Prints commits, achieved rate
 * and the worst commit latency. Run: java -cp sqlite-jdbc.jar SteadyWriter.java DB RATE SECONDS STOPFILE
 */
public class SteadyWriter {
    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        int rate = Integer.parseInt(args[1]);
        long limitNanos = Long.parseLong(args[2]) * 1_000_000_000L;
        Path stop = Path.of(args[3]);
        long commits = 0;
        long worst = 0;
        long start = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db + "?busy_timeout=5000&journal_mode=WAL&synchronous=NORMAL");
                PreparedStatement ps = c.prepareStatement("INSERT INTO audit (ts, actor, role, method, path, outcome, "
                        + "correlation_id) VALUES (strftime('%Y-%m-%dT%H:%M:%fZ','now'), 'bench', 'user', 'POST', "
                        + "'/v1/grants', 'allow', hex(randomblob(8)))")) {
            long interval = 1_000_000_000L / rate;
            long next = System.nanoTime();
            while (System.nanoTime() - start < limitNanos && !Files.exists(stop)) {
                long t0 = System.nanoTime();
                ps.executeUpdate();
                worst = Math.max(worst, System.nanoTime() - t0);
                commits++;
                next += interval;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("writer commits=%d rate=%.0f/s worst_commit_ms=%.1f%n", commits, commits / secs, worst / 1e6);
    }
}
