package dev.portunus.settings;

import dev.portunus.api.Allow;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET/PUT /v1/settings/advertised-endpoint} (06-traffic.md §3), superadmin only (else 403
 * {@code forbidden}). The PUT is a mutation like any other: audited, and CSRF-checked for cookie callers.
 */
@Path("/v1/settings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Allow(Allow.Who.SUPERADMIN)
public class SettingsResource {

    @Inject
    SettingsService settings;

    @GET
    @Path("advertised-endpoint")
    public SettingsJson.AdvertisedEndpoint advertisedEndpoint() {
        return settings.advertisedEndpoint();
    }

    @PUT
    @Path("advertised-endpoint")
    public SettingsJson.AdvertisedEndpoint setAdvertisedEndpoint(SettingsJson.AdvertisedEndpointUpdate body) {
        return settings.setAdvertisedEndpoint(body);
    }
}
