package edge.api.rest;

import edge.api.ApiDoc;
import edge.camera.Camera;
import edge.camera.CameraCount;
import edge.camera.CameraService;
import edge.camera.Zone;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.jboss.resteasy.reactive.RestStreamElementType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the configured cameras see: their latest counts, frames and a live stream of updates. */
@Path("/")
@Tag(name = "Cameras")
@SecurityRequirement(name = ApiDoc.API_KEY)
@SecurityRequirement(name = ApiDoc.BEARER)
@APIResponse(responseCode = "401", ref = ApiDoc.UNAUTHORIZED)
public class CameraResource {

    /** One entry of {@code GET /cameras}. */
    public record CameraStatus(String id, String source, String interval, boolean healthy, String status,
                               Instant lastFrameAt, String lastError, int failuresInRow, long frameSeq,
                               Map<String, List<float[]>> zones, CameraCount latest) {
    }

    private final CameraService cameras;

    public CameraResource(CameraService cameras) {
        this.cameras = cameras;
    }

    /** The latest counts of a camera: 404 for an unknown one, 503 while it has no frame yet. */
    @GET
    @Path("count")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The latest counts of a configured camera",
            description = "Counts, zones and detections of the camera's latest counted frame (POST /count counts "
                    + "an image you send).")
    @APIResponse(responseCode = "200", description = "The latest counts",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = CameraCount.class)))
    @APIResponse(responseCode = "400", description = "No ?camera=",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", ref = ApiDoc.NOT_FOUND)
    @APIResponse(responseCode = "503", description = "The camera has no counted frame yet; the message says why",
            headers = @Header(name = "Retry-After", description = "Seconds to wait: the camera's interval",
                    schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    public Response count(@Parameter(description = "The camera id (edge.cameras.<id>.*)", required = true)
                          @QueryParam("camera") String id) {
        if (id == null || id.isBlank()) {
            return ErrorMapper.error(400, "GET /count needs ?camera=ID (the latest counts of a configured camera; "
                    + "POST an image to /count to count it)");
        }
        Camera camera = find(id);
        CameraCount latest = camera.latest();
        if (latest == null) {
            String why = camera.lastError() == null ? "waiting for its first frame" : camera.lastError();
            return Response.fromResponse(ErrorMapper.error(503, "camera " + id + " has no counted frame yet: " + why))
                    .header("Retry-After", Math.max(1, camera.interval().toSeconds())).build();
        }
        return Response.ok(cameras.aged(latest)).build();
    }

    @GET
    @Path("cameras")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Every configured camera",
            description = "Status (ok, waiting, failing), last frame time, last error, zones and latest counts.")
    @APIResponse(responseCode = "200", description = "The cameras", content = @Content(mediaType = "application/json",
            schema = @Schema(type = SchemaType.ARRAY, implementation = CameraStatus.class)))
    public List<CameraStatus> list() {
        return cameras.cameras().stream().map(this::status).toList();
    }

    private CameraStatus status(Camera c) {
        Map<String, List<float[]>> zones = new LinkedHashMap<>();
        for (Zone zone : c.zones()) {
            zones.put(zone.name(), zone.points());
        }
        CameraCount latest = c.latest();
        return new CameraStatus(c.id(), c.source(), c.interval().toString(), c.status() != Camera.Status.FAILING,
                c.status().name().toLowerCase(), c.lastFrameAt(), c.lastError(), c.failuresInRow(),
                latest == null ? 0 : latest.frameSeq(), zones, latest == null ? null : cameras.aged(latest));
    }

    /** The frame the latest counts are of, as the camera sent it. */
    @GET
    @Path("cameras/{id}/frame")
    @Operation(summary = "The frame the latest counts are of",
            description = "As the camera sent it; Cache-Control: no-store.")
    @APIResponse(responseCode = "200", description = "The frame", content = {
            @Content(mediaType = "image/jpeg", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "404", ref = ApiDoc.NOT_FOUND)
    @APIResponse(responseCode = "503", description = "The camera has no frame yet",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    public Response frame(@Parameter(description = "The camera id") @PathParam("id") String id) {
        Camera camera = find(id);
        byte[] frame = camera.latestFrame();
        if (frame == null) {
            return ErrorMapper.error(503, "camera " + id + " has no frame yet");
        }
        return Response.ok(frame).type(mediaType(frame)).header("Cache-Control", "no-store").build();
    }

    /**
     * Server-Sent Events: {@code event: count} with the latest counts at once, then one per counted frame; each event
     * is only {@code id:} (the frameSeq), {@code event:} and {@code data:} (the JSON) lines. The JSON comes from the
     * stream element type, not from the event: Quarkus REST writes a non-standard {@code content-type:} line for an
     * event whose media type is set.
     */
    @GET
    @Path("cameras/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Live counts of a camera (Server-Sent Events)",
            description = "event: count, id: the frame number, data: the latest counts as JSON (the schema below): "
                    + "at once, then one event per counted frame.")
    @APIResponse(responseCode = "200", description = "The event stream; each event's data is a CameraCount",
            content = @Content(mediaType = "text/event-stream", schema = @Schema(implementation = CameraCount.class)))
    @APIResponse(responseCode = "404", ref = ApiDoc.NOT_FOUND)
    public Multi<OutboundSseEvent> events(@Parameter(description = "The camera id") @PathParam("id") String id,
                                          @Context Sse sse) {
        Camera camera = find(id);
        return cameras.updates(camera).map(count -> sse.newEventBuilder().name("count")
                .id(Long.toString(count.frameSeq())).data(CameraCount.class, count).build());
    }

    private Camera find(String id) {
        return cameras.camera(id).orElseThrow(() -> new NotFoundException("no camera '" + id + "'; configured: "
                + cameras.cameras().stream().map(Camera::id).toList()));
    }

    /** JPEG unless the magic bytes say PNG (file:// demo cameras may replay PNGs). */
    private static String mediaType(byte[] frame) {
        return frame.length > 3 && (frame[0] & 0xff) == 0x89 && frame[1] == 'P' && frame[2] == 'N' ? "image/png"
                : "image/jpeg";
    }
}
