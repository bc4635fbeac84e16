package edge.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import edge.api.kserve.ModelNotFound;
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
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps every failure to a JSON {@link ApiError} with the status a client can act on. */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    /** Seconds a client should wait before retrying while no model is loaded. */
    static final int RETRY_AFTER_NO_MODEL_SECONDS = 5;

    static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(message, status)).build();
    }

    @ServerExceptionMapper
    public Response imageRejected(ImageRejected e) {
        int status = switch (e.reason()) {
            case EMPTY, UNDECODABLE -> 400;
            case UNSUPPORTED_FORMAT -> 415;
            case TOO_MANY_BYTES, TOO_MANY_PIXELS -> 413;
        };
        return error(status, e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalidRequest(InvalidRequest e) {
        return error(400, e.getMessage());
    }

    @ServerExceptionMapper
    public Response modelUnavailable(ModelUnavailable e) {
        Response r = error(503, "no model is being served: " + e.getMessage());
        return Response.fromResponse(r).header("Retry-After", RETRY_AFTER_NO_MODEL_SECONDS).build();
    }

    @ServerExceptionMapper
    public Response overloaded(Overloaded e) {
        return Response.fromResponse(error(429, e.getMessage())).header("Retry-After", e.retryAfterSeconds()).build();
    }

    @ServerExceptionMapper
    public Response queueTimeout(QueueTimeout e) {
        return error(503, e.getMessage());
    }

    @ServerExceptionMapper
    public Response modelNotFound(ModelNotFound e) {
        return error(404, e.getMessage());
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

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("Unexpected failure while answering a request", e);
        return error(500, "internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
}
