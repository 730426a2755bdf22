package dev.portunus.clients;

import dev.portunus.api.Allow;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /v1/client-enrollments}: a one-time code, the enrollment {@code uri} (frozen to the
 * advertised endpoint effective now, 06-traffic.md §3) and the command a client operator pastes.
 */
@Path("/v1/client-enrollments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Allow(Allow.Who.SUPERADMIN)
public class EnrollmentResource {

    @Inject
    ClientService clients;

    @POST
    public Response create(ClientJson.EnrollmentRequest body) {
        return Response.status(201).entity(clients.createEnrollment(body)).build();
    }
}
