package dev.portunus.quotas;

import dev.portunus.api.ApiException;
import dev.portunus.clients.ClientJson;
import dev.portunus.clients.ClientRepository;
import dev.portunus.store.Handle;
import dev.portunus.store.Store;
import dev.portunus.store.Timestamps;
import dev.portunus.traffic.TrafficRepository;
import dev.portunus.users.UserRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Monthly traffic quotas per (user, client) and their usage in the current period, summed from the
 * traffic samples (06-traffic.md §2.5) by {@link TrafficRepository#usage}. Reads of a user's own
 * quotas are open to that user (§7.4); every write is a superadmin's.
 */
@ApplicationScoped
public class QuotaService {

    @Inject
    Store store;

    public List<QuotaJson.View> listByUser(String userId) {
        Instant now = Instant.now();
        return store.read(h -> {
            requireUser(h, userId);
            return views(h, QuotaRepository.byUser(h, userId), now);
        });
    }

    public List<QuotaJson.View> listByClient(String clientId) {
        Instant now = Instant.now();
        return store.read(h -> {
            requireClient(h, clientId);
            return views(h, QuotaRepository.byClient(h, clientId), now);
        });
    }

    public QuotaJson.View get(String userId, String clientId) {
        Instant now = Instant.now();
        return store.read(h -> view(h, QuotaRepository.find(h, userId, clientId).orElseThrow(() -> ApiException.notFound("quota")), now));
    }

    /**
     * Create or replace; absent optional fields take their defaults (reset_day 1, action block).
     * {@code clear_period_usage: true} also clears the period's usage.
     */
    public QuotaJson.View put(String userId, String clientId, QuotaJson.Body body) {
        QuotaJson.Body b = body == null ? new QuotaJson.Body(null, null, null, null) : body;
        if (b.monthlyBytes() == null) {
            throw ApiException.invalid("invalid_monthly_bytes", "monthly_bytes is required");
        }
        QuotaJson.Body full = new QuotaJson.Body(b.monthlyBytes(), b.resetDay() == null ? 1 : b.resetDay(),
                b.action() == null ? "block" : b.action(), b.clearPeriodUsage());
        validate(full);
        return store.write(h -> {
            requireUser(h, userId);
            requireClient(h, clientId);
            return save(h, userId, clientId, full);
        });
    }

    /**
     * Changes only the fields given; 404 when no quota exists yet. {@code {"clear_period_usage": true}}
     * (the web UI's "clear usage") restarts the current period's usage: see {@link #countingStart}.
     */
    public QuotaJson.View patch(String userId, String clientId, QuotaJson.Body body) {
        QuotaJson.Body b = body == null ? new QuotaJson.Body(null, null, null, null) : body;
        return store.write(h -> {
            QuotaRepository.Row old = QuotaRepository.find(h, userId, clientId).orElseThrow(() -> ApiException.notFound("quota"));
            QuotaJson.Body merged = new QuotaJson.Body(b.monthlyBytes() == null ? old.monthlyBytes() : b.monthlyBytes(),
                    b.resetDay() == null ? old.resetDay() : b.resetDay(), b.action() == null ? old.action() : b.action(),
                    b.clearPeriodUsage());
            validate(merged);
            return save(h, userId, clientId, merged);
        });
    }

    public void delete(String userId, String clientId) {
        store.write(h -> {
            if (QuotaRepository.delete(h, userId, clientId) == 0) {
                throw ApiException.notFound("quota");
            }
            return null;
        });
    }

    /** {@code GET …/quotas/{client}/status}: 404 {@code not_found} when no such quota exists. */
    public QuotaJson.Status status(String userId, String clientId, Instant now) {
        return store.read(h -> status(h, QuotaRepository.find(h, userId, clientId).orElseThrow(() -> ApiException.notFound("quota")), now));
    }

    private static QuotaJson.Status status(Handle h, QuotaRepository.Row q, Instant now) throws SQLException {
        Usage u = usage(h, q, now);
        return new QuotaJson.Status(q.userId(), q.clientId(), q.monthlyBytes(), q.resetDay(), q.action(), Timestamps.format(u.start()),
                Timestamps.format(u.end()), u.bytesIn(), u.bytesOut(), u.used(), Math.max(0, q.monthlyBytes() - u.used()),
                u.exhausted(q), Timestamps.format(u.countedFrom()), clientName(h, q.clientId(), now), u.used(),
                u.start().getEpochSecond(), u.end().getEpochSecond(), q.monthlyBytes() - u.used(), u.exhausted(q), null,
                billingAnchor(q));
    }

    /** The current period of a quota and the bytes counted in it. */
    record Usage(Instant start, Instant end, Instant countedFrom, long bytesIn, long bytesOut) {

        long used() {
            return bytesIn + bytesOut;
        }

        boolean exhausted(QuotaRepository.Row q) {
            return used() >= q.monthlyBytes();
        }
    }

    private static Usage usage(Handle h, QuotaRepository.Row q, Instant now) throws SQLException {
        LocalDate start = periodStart(now.atZone(ZoneOffset.UTC).toLocalDate(), q.resetDay());
        Instant from = start.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = start.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant counted = countingStart(from, to, q.usageClearedAt());
        long[] bytes = TrafficRepository.usage(h, q.userId(), q.clientId(), Timestamps.format(counted), Timestamps.format(to));
        return new Usage(from, to, counted, bytes[0], bytes[1]);
    }

    /**
     * Where a period's usage starts counting: the period start, or, after a clear within the period,
     * the next full hour (UTC) after the clear. Not the clear itself: samples become hourly once rolled
     * up, and a window starting inside an hour would drop the rest of that hour at the rollup (usage
     * would shrink). So the bytes of the hour in which usage was cleared are forgiven too, and usage
     * reads 0 right after a clear. A clear in an earlier period has no effect on this one.
     */
    static Instant countingStart(Instant periodStart, Instant periodEnd, String usageClearedAt) {
        if (usageClearedAt == null) {
            return periodStart;
        }
        Instant cleared = Instant.parse(usageClearedAt);
        Instant hour = cleared.truncatedTo(ChronoUnit.HOURS);
        Instant next = hour.equals(cleared) ? hour : hour.plus(1, ChronoUnit.HOURS);
        return next.isBefore(periodStart) ? periodStart : next.isAfter(periodEnd) ? periodEnd : next;
    }

    /**
     * Every quota on {@code clientId} with its status at {@code now}, by user id: the {@code quotas}
     * block of a traffic report's answer (06-traffic.md §2.2), computed as {@link #status} computes it, so that
     * it always equals {@code GET …/quotas/{client}/status}; one read, so one consistent snapshot.
     */
    public List<QuotaJson.ClientQuota> statusesOfClient(String clientId, Instant now) {
        return store.read(h -> {
            List<QuotaJson.ClientQuota> out = new ArrayList<>();
            for (QuotaRepository.Row q : QuotaRepository.byClient(h, clientId)) {
                QuotaJson.Status s = status(h, q, now);
                out.add(new QuotaJson.ClientQuota(s.userId(), s.monthlyBytes(), s.usedBytes(), s.remainingBytes(), s.exceeded(),
                        s.action(), s.periodEnd()));
            }
            return out;
        });
    }

    /** The latest {@code resetDay} on or before {@code today}. */
    static LocalDate periodStart(LocalDate today, int resetDay) {
        LocalDate thisMonth = today.withDayOfMonth(resetDay);
        return today.getDayOfMonth() >= resetDay ? thisMonth : thisMonth.minusMonths(1);
    }

    /** Unix seconds of the start of the period the quota was created in: its days of month are the periods'. */
    static long billingAnchor(QuotaRepository.Row q) {
        LocalDate created = Instant.parse(q.createdAt()).atZone(ZoneOffset.UTC).toLocalDate();
        return periodStart(created, q.resetDay()).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }

    private static List<QuotaJson.View> views(Handle h, List<QuotaRepository.Row> rows, Instant now) throws SQLException {
        List<QuotaJson.View> out = new ArrayList<>();
        for (QuotaRepository.Row q : rows) {
            out.add(view(h, q, now));
        }
        return out;
    }

    private static QuotaJson.View view(Handle h, QuotaRepository.Row q, Instant now) throws SQLException {
        Usage u = usage(h, q, now);
        return new QuotaJson.View(q.userId(), q.clientId(), q.monthlyBytes(), q.resetDay(), q.action(), q.createdAt(),
                q.updatedAt(), clientName(h, q.clientId(), now), u.used(), u.start().getEpochSecond(), u.end().getEpochSecond(),
                q.monthlyBytes() - u.used(), u.exhausted(q), null, billingAnchor(q));
    }

    private static String clientName(Handle h, String clientId, Instant now) throws SQLException {
        return ClientRepository.find(h, clientId, now).map(ClientJson.View::clientName).orElse(null);
    }

    private static QuotaJson.View save(Handle h, String userId, String clientId, QuotaJson.Body b) throws SQLException {
        String now = Timestamps.now();
        QuotaRepository.upsert(h, userId, clientId, b.monthlyBytes(), b.resetDay(), b.action(), now);
        if (Boolean.TRUE.equals(b.clearPeriodUsage())) {
            QuotaRepository.clearUsage(h, userId, clientId, now);
        }
        return view(h, QuotaRepository.find(h, userId, clientId).orElseThrow(), Instant.parse(now));
    }

    private static void validate(QuotaJson.Body b) {
        if (b.monthlyBytes() <= 0) {
            throw ApiException.invalid("invalid_monthly_bytes", "monthly_bytes must be greater than 0");
        }
        if (b.resetDay() < 1 || b.resetDay() > 28) {
            throw ApiException.invalid("invalid_reset_day", "reset_day must lie between 1 and 28");
        }
        if (!b.action().equals("block") && !b.action().equals("notify")) {
            throw ApiException.invalid("invalid_action", "action must be \"block\" or \"notify\"");
        }
    }

    private static void requireUser(Handle h, String userId) throws SQLException {
        if (!UserRepository.exists(h, userId)) {
            throw ApiException.notFound("user");
        }
    }

    private static void requireClient(Handle h, String clientId) throws SQLException {
        if (!ClientRepository.exists(h, clientId)) {
            throw ApiException.notFound("client");
        }
    }
}
