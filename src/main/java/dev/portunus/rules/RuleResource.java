package dev.portunus.rules;

import dev.portunus.api.CallerContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** {@code /v1/rules}: owners see and change their own rules; a superadmin sees all. */
@Path("/v1/rules")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RuleResource {

    @Inject
    CallerContext callers;

    @Inject
    RuleService rules;

    @POST
    public Response create(RuleJson.Create body) {
        return Response.status(201).entity(rules.create(callers.caller(), body)).build();
    }

    @GET
    public List<RuleJson.View> list(@QueryParam("client") String client, @QueryParam("owner") String owner) {
        return rules.list(callers.caller(), emptyToNull(client), emptyToNull(owner));
    }

    @GET
    @Path("{id}")
    public RuleJson.View get(@PathParam("id") String id) {
        return rules.get(callers.caller(), id);
    }

    @PUT
    @Path("{id}")
    public RuleJson.View update(@PathParam("id") String id, RuleJson.Update body) {
        return rules.updateRateLimit(callers.caller(), id, body);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        rules.delete(callers.caller(), id);
        return Response.noContent().build();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
