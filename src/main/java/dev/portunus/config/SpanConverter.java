package dev.portunus.config;

import java.time.Duration;
import org.eclipse.microprofile.config.spi.Converter;

/** Span settings ({@code 30m}, {@code 6h}, {@code 1d}) for {@link PortunusConfig}; the launcher validates with the same parser. */
public final class SpanConverter implements Converter<Duration> {

    @Override
    public Duration convert(String value) {
        Duration d = Setting.parseSpan(value);
        if (d == null) {
            throw new IllegalArgumentException("not a span (e.g. 30m, 6h, 1d): " + value);
        }
        return d;
    }
}
