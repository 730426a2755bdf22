package dev.portunus.maintenance;

import dev.portunus.api.Allow;
import dev.portunus.api.ApiException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.util.regex.Pattern;

/**
 * The backup routes of 07-scheduled-backups.md §4, superadmin only; every call is audited (see
 * {@code audit/AuditPolicy}, which names these read routes too: they hand out the whole store).
 */
@Path("/v1")
@Allow(Allow.Who.SUPERADMIN)
public class BackupsResource {

    /** Content type of artefacts and snapshots. */
    public static final String SQLITE = "application/vnd.sqlite3";
    /** The artefact's SHA-256 (hex), as in its {@code .sha256} sidecar. */
    public static final String SHA256_HEADER = "X-Portunus-Sha256";

    private static final Pattern EMPTY_OBJECT = Pattern.compile("\\s*(\\{\\s*\\})?\\s*");

    @Inject
    BackupsService backups;

    /** Takes no body: empty or {@code {}}; anything else 422 {@code unexpected_body}. */
    @POST
    @Path("/backups")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(String body) {
        if (body != null && !EMPTY_OBJECT.matcher(body).matches()) {
            throw ApiException.invalid("unexpected_body", "POST /v1/backups takes no body (send nothing, or {})");
        }
        return Response.status(201).entity(backups.create()).header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("/backups")
    @Produces(MediaType.APPLICATION_JSON)
    public Response list() {
        return Response.ok(backups.list()).header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("/backups/{name}")
    @Produces({SQLITE, MediaType.APPLICATION_JSON})
    public Response download(@PathParam("name") String name) {
        return stream(backups.artefact(name));
    }

    @GET
    @Path("/snapshot")
    @Produces({SQLITE, MediaType.APPLICATION_JSON})
    public Response snapshot() {
        return stream(backups.snapshot());
    }

    private static Response stream(BackupJson.Download d) {
        StreamingOutput body = out -> {
            try (InputStream in = d.body()) {
                in.transferTo(out);
            }
        };
        return Response.ok(body, SQLITE).header("Content-Length", d.bytes())
                .header("Content-Disposition", "attachment; filename=\"" + d.name() + "\"")
                .header(SHA256_HEADER, d.sha256()).header("Cache-Control", "no-store").build();
    }
}
