package dev.portunus.settings;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** Wire shapes of {@code /v1/settings} (06-traffic.md §3). */
public final class SettingsJson {

    private SettingsJson() {
    }

    /**
     * {@code GET /v1/settings/advertised-endpoint} and the answer to its {@code PUT}. Every field is
     * always present ({@code null} when unset): the web UI reads the first four by name.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"override", "effective", "source", "diagnostic", "san_covered", "warning"})
    public record AdvertisedEndpoint(String override, String effective, String source, String diagnostic, Boolean sanCovered,
            String warning) {
    }

    /**
     * {@code PUT /v1/settings/advertised-endpoint} body {@code {"advertised_endpoint": "<host:port>" | null}}.
     * A class, not a record, because an absent field (refused) and an explicit {@code null} (clears)
     * must be told apart; strict parsing still refuses unknown fields and non-strings.
     */
    public static final class AdvertisedEndpointUpdate {

        private String value;
        private boolean given;

        @JsonProperty("advertised_endpoint")
        public void setAdvertisedEndpoint(String value) {
            this.value = value;
            this.given = true;
        }

        /** The new override; null or empty clears it. */
        public String value() {
            return value;
        }

        /** False when the body did not name {@code advertised_endpoint} at all. */
        public boolean given() {
            return given;
        }
    }
}
