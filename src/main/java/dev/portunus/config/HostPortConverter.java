package dev.portunus.config;

import org.eclipse.microprofile.config.spi.Converter;

/** {@code host:port} settings for {@link PortunusConfig}; the same parser the launcher validates with. */
public final class HostPortConverter implements Converter<HostPort> {

    @Override
    public HostPort convert(String value) {
        return HostPort.parse(value);
    }
}
