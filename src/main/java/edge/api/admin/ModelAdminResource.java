package edge.api.admin;

import edge.api.rest.ApiError;
import edge.registry.ModelRepository;
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
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** What the operator sees of and does with the model registry: status, pull now, roll back, pin. */
@Path("/models")
@AdminOnly
@Blocking
@Produces(MediaType.APPLICATION_JSON)
public class ModelAdminResource {

    /** {@code PUT /models/pin} body. */
    public record PinRequest(String digest) {
    }

    private final ModelRepository repository;

    public ModelAdminResource(ModelRepository repository) {
        this.repository = repository;
    }

    @GET
    public ModelRepository.Status status() {
        return repository.status();
    }

    /** Checks the followed tag now (also a digest refused before); answers when the check is done. */
    @POST
    @Path("/pull")
    public ModelRepository.PullResult pull() {
        return repository.pullNow();
    }

    /** Back to the version before the serving one, pinned there. */
    @POST
    @Path("/rollback")
    public ModelRepository.Status rollback() {
        return repository.rollback();
    }

    @PUT
    @Path("/pin")
    @Consumes(MediaType.APPLICATION_JSON)
    public ModelRepository.Status pin(PinRequest request) {
        return repository.pin(request == null ? null : request.digest());
    }

    /** Follows the tag again. */
    @DELETE
    @Path("/pin")
    public ModelRepository.Status unpin() {
        return repository.unpin();
    }

    @ServerExceptionMapper
    public Response conflict(ModelRepository.Conflict e) {
        return Response.status(409).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(e.getMessage(), 409))
                .build();
    }
}
