package edge.api.admin;

import edge.api.ApiDoc;
import edge.api.rest.ApiError;
import edge.registry.ModelRepository;
import edge.registry.RegistryStatus;
import edge.digest.Digest;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** What the operator sees of and does with the model registry: status, pull now, roll back, pin. */
@Path("/models")
@AdminOnly
@Blocking
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Models (admin)")
@SecurityRequirement(name = ApiDoc.ADMIN_KEY)
@APIResponse(responseCode = "401", ref = ApiDoc.UNAUTHORIZED)
public class ModelAdminResource {

    /** {@code PUT /models/pin} body. */
    public record PinRequest(@Schema(description = "sha256:<64 hex digits>", pattern = "^" + Digest.REGEX + "$")
                             String digest) {
    }

    private final ModelRepository repository;

    public ModelAdminResource(ModelRepository repository) {
        this.repository = repository;
    }

    @GET
    @Operation(summary = "The serving model, the followed tag, the versions in the store, the last pull")
    @APIResponse(responseCode = "200", description = "The registry status", content = @Content(
            mediaType = "application/json", schema = @Schema(implementation = RegistryStatus.Status.class)))
    public RegistryStatus.Status status() {
        return repository.status();
    }

    /** Checks the followed tag now (also a digest refused before); answers when the check is done. */
    @POST
    @Path("/pull")
    @Operation(summary = "Check the followed tag now", description = "Also a digest refused before; answers when the "
            + "check is done. outcome: updated, up-to-date, pinned, refused, still-refused or failed.")
    @APIResponse(responseCode = "200", description = "What the check did", content = @Content(
            mediaType = "application/json", schema = @Schema(implementation = RegistryStatus.PullResult.class)))
    @APIResponse(responseCode = "409", ref = ApiDoc.CONFLICT)
    public RegistryStatus.PullResult pull() {
        return repository.pullNow();
    }

    /** Back to the version before the serving one, pinned there. */
    @POST
    @Path("/rollback")
    @Operation(summary = "Back to the version before the serving one, pinned there")
    @APIResponse(responseCode = "200", description = "The registry status after the rollback", content = @Content(
            mediaType = "application/json", schema = @Schema(implementation = RegistryStatus.Status.class)))
    @APIResponse(responseCode = "409", ref = ApiDoc.CONFLICT)
    public RegistryStatus.Status rollback() {
        return repository.rollback();
    }

    @PUT
    @Path("/pin")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Serve a digest and stop following the tag",
            description = "From the store, else pulled from the registry and validated.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = PinRequest.class)))
    @APIResponse(responseCode = "200", description = "The registry status, pinned", content = @Content(
            mediaType = "application/json", schema = @Schema(implementation = RegistryStatus.Status.class)))
    @APIResponse(responseCode = "400", ref = ApiDoc.BAD_REQUEST)
    @APIResponse(responseCode = "409", ref = ApiDoc.CONFLICT)
    public RegistryStatus.Status pin(PinRequest request) {
        return repository.pin(request == null ? null : request.digest());
    }

    /** Follows the tag again. */
    @DELETE
    @Path("/pin")
    @Operation(summary = "Follow the tag again", description = "And check it at once.")
    @APIResponse(responseCode = "200", description = "The registry status, unpinned", content = @Content(
            mediaType = "application/json", schema = @Schema(implementation = RegistryStatus.Status.class)))
    @APIResponse(responseCode = "409", ref = ApiDoc.CONFLICT)
    public RegistryStatus.Status unpin() {
        return repository.unpin();
    }

    @ServerExceptionMapper
    public Response conflict(ModelRepository.Conflict e) {
        return Response.status(409).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(e.getMessage(), 409))
                .build();
    }
}
