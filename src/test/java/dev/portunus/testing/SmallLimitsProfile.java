package dev.portunus.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Short throttling windows and a tiny audit queue, so lockout recovery and drops are testable quickly. */
public class SmallLimitsProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("portunus.throttle.max-failures", "3", "portunus.throttle.window", "PT3S",
                "portunus.throttle.lockout", "PT2S", "portunus.audit.queue-capacity", "20");
    }
}
