package dev.portunus.quotas;

import dev.portunus.api.ApiException;
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
import java.util.List;

/** Monthly traffic quotas per (user, client) and their usage in the current period. */
@ApplicationScoped
public class QuotaService {

    @Inject
    Store store;

    public List<QuotaJson.View> listByUser(String userId) {
        return store.read(h -> {
            requireUser(h, userId);
            return QuotaRepository.byUser(h, userId);
        });
    }

    public List<QuotaJson.View> listByClient(String clientId) {
        return store.read(h -> {
            requireClient(h, clientId);
            return QuotaRepository.byClient(h, clientId);
        });
    }

    public QuotaJson.View get(String userId, String clientId) {
        return store.read(h -> QuotaRepository.find(h, userId, clientId)).orElseThrow(() -> ApiException.notFound("quota"));
    }

    /** Create or replace; absent optional fields take their defaults (reset_day 1, action block). */
    public QuotaJson.View put(String userId, String clientId, QuotaJson.Body body) {
        QuotaJson.Body b = body == null ? new QuotaJson.Body(null, null, null) : body;
        if (b.monthlyBytes() == null) {
            throw ApiException.invalid("invalid_monthly_bytes", "monthly_bytes is required");
        }
        QuotaJson.Body full = new QuotaJson.Body(b.monthlyBytes(), b.resetDay() == null ? 1 : b.resetDay(),
                b.action() == null ? "block" : b.action());
        validate(full);
        return store.write(h -> {
            requireUser(h, userId);
            requireClient(h, clientId);
            return save(h, userId, clientId, full);
        });
    }

    /** Changes only the fields given; 404 when no quota exists yet. */
    public QuotaJson.View patch(String userId, String clientId, QuotaJson.Body body) {
        QuotaJson.Body b = body == null ? new QuotaJson.Body(null, null, null) : body;
        return store.write(h -> {
            QuotaJson.View old = QuotaRepository.find(h, userId, clientId).orElseThrow(() -> ApiException.notFound("quota"));
            QuotaJson.Body merged = new QuotaJson.Body(b.monthlyBytes() == null ? old.monthlyBytes() : b.monthlyBytes(),
                    b.resetDay() == null ? old.resetDay() : b.resetDay(), b.action() == null ? old.action() : b.action());
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

    public QuotaJson.Status status(String userId, String clientId, Instant now) {
        return store.read(h -> {
            QuotaJson.View q = QuotaRepository.find(h, userId, clientId).orElseThrow(() -> ApiException.notFound("quota"));
            LocalDate start = periodStart(now.atZone(ZoneOffset.UTC).toLocalDate(), q.resetDay());
            String from = Timestamps.format(start.atStartOfDay(ZoneOffset.UTC).toInstant());
            String to = Timestamps.format(start.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant());
            long[] usage = TrafficRepository.usage(h, userId, clientId, from, to);
            long used = usage[0] + usage[1];
            return new QuotaJson.Status(userId, clientId, q.monthlyBytes(), q.resetDay(), q.action(), from, to,
                    usage[0], usage[1], used, Math.max(0, q.monthlyBytes() - used), used >= q.monthlyBytes());
        });
    }

    /**
     * Every quota on {@code clientId} with its status at {@code now}, by user id: the {@code quotas}
     * block of a traffic report's answer (06-traffic.md §2.2), computed by {@link #status} so that it
     * always equals {@code GET …/quotas/{client}/status}. A quota deleted meanwhile is left out.
     */
    public List<QuotaJson.ClientQuota> statusesOfClient(String clientId, Instant now) {
        List<QuotaJson.ClientQuota> out = new java.util.ArrayList<>();
        for (QuotaJson.View q : store.read(h -> QuotaRepository.byClient(h, clientId))) {
            try {
                QuotaJson.Status s = status(q.userId(), clientId, now);
                out.add(new QuotaJson.ClientQuota(s.userId(), s.monthlyBytes(), s.usedBytes(), s.remainingBytes(), s.exceeded(),
                        s.action(), s.periodEnd()));
            } catch (ApiException gone) {
                // deleted between the two reads
            }
        }
        return out;
    }

    /** The latest {@code resetDay} on or before {@code today}. */
    static LocalDate periodStart(LocalDate today, int resetDay) {
        LocalDate thisMonth = today.withDayOfMonth(resetDay);
        return today.getDayOfMonth() >= resetDay ? thisMonth : thisMonth.minusMonths(1);
    }

    private static QuotaJson.View save(Handle h, String userId, String clientId, QuotaJson.Body b) throws SQLException {
        QuotaRepository.upsert(h, userId, clientId, b.monthlyBytes(), b.resetDay(), b.action(), Timestamps.now());
        return QuotaRepository.find(h, userId, clientId).orElseThrow();
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
