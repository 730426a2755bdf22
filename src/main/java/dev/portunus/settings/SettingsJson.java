package dev.portunus.settings;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

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
     * must be told apart; the value is kept as JSON so that a non-string is answered with the
     * contract's {@code invalid_type} (Jackson's own coercion failure reads as {@code invalid_value}).
     * Unknown and repeated fields are refused by the strict parser as everywhere.
     */
    public static final class AdvertisedEndpointUpdate {

        private JsonNode value;
        private boolean given;

        @JsonProperty("advertised_endpoint")
        public void setAdvertisedEndpoint(JsonNode value) {
            this.value = value;
            this.given = true;
        }

        /** False when the body did not name {@code advertised_endpoint} at all. */
        public boolean given() {
            return given;
        }

        /** True when the field is JSON {@code null}. */
        public boolean isNull() {
            return value == null || value.isNull();
        }

        /** True when the field is a JSON string. */
        public boolean isText() {
            return value != null && value.isTextual();
        }

        /** The string value; only meaningful when {@link #isText()}. */
        public String text() {
            return value.asText();
        }
    }
}
