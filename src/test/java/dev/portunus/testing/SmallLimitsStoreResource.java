package dev.portunus.testing;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link TempStoreResource} plus short throttling windows and a tiny audit queue, so lockout
 * recovery and queue drops are testable quickly. (A resource rather than a test profile: a profile
 * restart loses the SQLite driver registration that TempStoreResource needs in this suite.)
 */
public class SmallLimitsStoreResource extends TempStoreResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("portunus.throttle.max-failures", "3");
        config.put("portunus.throttle.window", "PT3S");
        config.put("portunus.throttle.lockout", "PT2S");
        config.put("portunus.audit.queue-capacity", "20");
        config.put("portunus.audit.admission-wait", "PT0.1S");
        return config;
    }
}
