package edge.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import edge.api.Failure;
import edge.api.ModelNotFound;
import edge.detect.InvalidRequest;
import edge.image.ImageRejected;
import edge.model.ModelUnavailable;
import edge.scheduler.Overloaded;
import edge.scheduler.QueueTimeout;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps every failure to a JSON {@link ApiError} with the status a client can act on. */
public class ErrorMapper {

    static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(message, status)).build();
    }

    /** The request path's failures: the status and words of {@link Failure}'s table, shared with gRPC. */
    @ServerExceptionMapper({ImageRejected.class, InvalidRequest.class, ModelUnavailable.class, Overloaded.class,
            QueueTimeout.class, ModelNotFound.class})
    public Response failure(RuntimeException e) {
        return response(Failure.of(e));
    }

    static Response response(Failure failure) {
        Response.ResponseBuilder r = Response.status(failure.http()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(failure.message(), failure.http()));
        failure.retryAfter().ifPresent(seconds -> r.header("Retry-After", seconds));
        return r.build();
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return error(400, "malformed JSON: " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException e) {
        return error(415, "unsupported Content-Type: send the image as the raw body (image/jpeg, image/png, "
                + "image/bmp, image/webp, image/tiff or application/octet-stream) or as multipart/form-data with "
                + "the file in the field 'image'");
    }

    @ServerExceptionMapper
    public Response notAcceptable(NotAcceptableException e) {
        return error(406, "cannot answer in the requested Accept type: " + e.getMessage());
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        // A body that Jackson cannot read arrives here as a bare 400 with the parse error as its cause.
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException json) {
                return malformedJson(json);
            }
        }
        return error(e.getResponse().getStatus(), e.getMessage());
    }

    /** Anything else: 500 with an error id; the details go to the log only ({@link Failure}). */
    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        return response(Failure.of(e));
    }
}
