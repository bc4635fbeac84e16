package edge.api.rest;

import edge.api.ApiDoc;
import edge.detect.DetectionPipeline;
import edge.detect.DetectionResult;
import edge.detect.InvalidRequest;
import edge.image.Annotator;
import edge.image.ImageRejected;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * {@code POST /detect}, {@code /count} and {@code /annotate}. Each takes the image either as the raw body or as the
 * multipart field {@code image}; both forms end in the same pipeline call. Blocking: inference runs on a worker
 * thread, never on the I/O event loop.
 */
@Path("/")
@Blocking
@Tag(name = "Detection")
@SecurityRequirement(name = ApiDoc.API_KEY)
@SecurityRequirement(name = ApiDoc.BEARER)
@APIResponse(responseCode = "400", ref = ApiDoc.BAD_REQUEST)
@APIResponse(responseCode = "401", ref = ApiDoc.UNAUTHORIZED)
@APIResponse(responseCode = "413", ref = ApiDoc.PAYLOAD_TOO_LARGE)
@APIResponse(responseCode = "415", ref = ApiDoc.UNSUPPORTED_MEDIA_TYPE)
@APIResponse(responseCode = "429", ref = ApiDoc.TOO_MANY_REQUESTS)
@APIResponse(responseCode = "503", ref = ApiDoc.UNAVAILABLE)
public class DetectResource {

    static final String RAW_IMAGE_TYPES = "image/*";
    static final String IMAGE_FIELD = "image";
    private static final String IMAGE_DOC = "The image file (JPEG, PNG, BMP, WebP or TIFF)";

    private final DetectionPipeline pipeline;

    public DetectResource(DetectionPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @POST
    @Path("detect")
    @Consumes({RAW_IMAGE_TYPES, MediaType.APPLICATION_OCTET_STREAM})
    @Operation(summary = "Detect the objects in an image",
            description = "Boxes (original image pixels), classes and confidences by confidence, descending; counts "
                    + "of the classes present, most frequent first; timings. With format=coco: the COCO results list.")
    @APIResponse(responseCode = "200", description = "The detections (or, with format=coco, the COCO results list)",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(oneOf = {DetectionResult.class, Responses.CocoDetection[].class})))
    @RequestBody(required = true, description = "The image as the raw body, or as multipart/form-data with the "
            + "file in the field `image`", content = {
            @Content(mediaType = "image/jpeg", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/bmp", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/webp", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/tiff", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "application/octet-stream",
                    schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @Produces(MediaType.APPLICATION_JSON)
    public Object detect(byte[] body,
                         @Parameter(hidden = true) @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                         @BeanParam DetectQuery query) {
        return detect(rawImage(body, contentType), query);
    }

    @POST
    @Path("detect")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Detect the objects in an image",
            description = "Boxes (original image pixels), classes and confidences by confidence, descending; counts "
                    + "of the classes present, most frequent first; timings. With format=coco: the COCO results list.")
    @APIResponse(responseCode = "200", description = "The detections (or, with format=coco, the COCO results list)",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(oneOf = {DetectionResult.class, Responses.CocoDetection[].class})))
    @RequestBody(required = true, content = @Content(mediaType = "multipart/form-data"))
    @Produces(MediaType.APPLICATION_JSON)
    public Object detectMultipart(
            @RestForm(IMAGE_FIELD)
            @Schema(type = SchemaType.STRING, format = "binary", description = IMAGE_DOC) FileUpload image,
            @BeanParam DetectQuery query) {
        return detect(multipartImage(image), query);
    }

    @POST
    @Path("count")
    @Consumes({RAW_IMAGE_TYPES, MediaType.APPLICATION_OCTET_STREAM})
    @Operation(summary = "Count the objects in an image",
            description = "Counts per class and the report line (classes by count, then name).")
    @APIResponse(responseCode = "200", description = "The counts",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = Responses.CountResponse.class)))
    @RequestBody(required = true, description = "The image as the raw body, or as multipart/form-data with the "
            + "file in the field `image`", content = {
            @Content(mediaType = "image/jpeg", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/bmp", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/webp", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/tiff", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "application/octet-stream",
                    schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @Produces(MediaType.APPLICATION_JSON)
    public Responses.CountResponse count(byte[] body,
                                         @Parameter(hidden = true) @HeaderParam(HttpHeaders.CONTENT_TYPE)
                                         String contentType,
                                         @BeanParam DetectQuery query) {
        return Responses.CountResponse.of(pipeline.detect(rawImage(body, contentType), query.options(), query.origin()));
    }

    @POST
    @Path("count")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Count the objects in an image",
            description = "Counts per class and the report line (classes by count, then name).")
    @APIResponse(responseCode = "200", description = "The counts",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = Responses.CountResponse.class)))
    @RequestBody(required = true, content = @Content(mediaType = "multipart/form-data"))
    @Produces(MediaType.APPLICATION_JSON)
    public Responses.CountResponse countMultipart(
            @RestForm(IMAGE_FIELD)
            @Schema(type = SchemaType.STRING, format = "binary", description = IMAGE_DOC) FileUpload image,
            @BeanParam DetectQuery query) {
        return Responses.CountResponse.of(pipeline.detect(multipartImage(image), query.options(), query.origin()));
    }

    @POST
    @Path("annotate")
    @Consumes({RAW_IMAGE_TYPES, MediaType.APPLICATION_OCTET_STREAM})
    @Produces({"image/jpeg", "image/png"})
    @Operation(summary = "Draw the detections on the image",
            description = "The image with boxes, labels and confidences drawn: JPEG, or PNG when Accept asks for PNG "
                    + "only.")
    @APIResponse(responseCode = "200", description = "The annotated image", content = {
            @Content(mediaType = "image/jpeg", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "406", description = "Accept names neither image/jpeg nor image/png",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @RequestBody(required = true, description = "The image as the raw body, or as multipart/form-data with the "
            + "file in the field `image`", content = {
            @Content(mediaType = "image/jpeg", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/bmp", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/webp", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/tiff", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "application/octet-stream",
                    schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    public Response annotate(byte[] body,
                             @Parameter(hidden = true) @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                             @Parameter(hidden = true) @HeaderParam(HttpHeaders.ACCEPT) String accept,
                             @BeanParam DetectQuery query) {
        return annotate(rawImage(body, contentType), accept, query);
    }

    @POST
    @Path("annotate")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces({"image/jpeg", "image/png"})
    @Operation(summary = "Draw the detections on the image",
            description = "The image with boxes, labels and confidences drawn: JPEG, or PNG when Accept asks for PNG "
                    + "only.")
    @APIResponse(responseCode = "200", description = "The annotated image", content = {
            @Content(mediaType = "image/jpeg", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "406", description = "Accept names neither image/jpeg nor image/png",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))
    @RequestBody(required = true, content = @Content(mediaType = "multipart/form-data"))
    public Response annotateMultipart(
            @RestForm(IMAGE_FIELD)
            @Schema(type = SchemaType.STRING, format = "binary", description = IMAGE_DOC) FileUpload image,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.ACCEPT) String accept, @BeanParam DetectQuery query) {
        return annotate(multipartImage(image), accept, query);
    }

    private Object detect(byte[] image, DetectQuery query) {
        boolean coco = query.coco();
        DetectionResult result = pipeline.detect(image, query.options(), query.origin());
        return coco ? Responses.coco(result, query.cocoImageId()) : result;
    }

    private Response annotate(byte[] image, String accept, DetectQuery query) {
        Annotator.Encoding encoding = prefersPng(accept) ? Annotator.Encoding.PNG : Annotator.Encoding.JPEG;
        DetectionPipeline.Annotated annotated = pipeline.annotate(image, query.options(), query.origin(), encoding);
        return Response.ok(annotated.image(), annotated.mediaType()).build();
    }

    /** PNG only when the client asks for it and not for JPEG as well; JPEG is smaller for photos. */
    static boolean prefersPng(String accept) {
        return accept != null && accept.contains("image/png") && !accept.contains("image/jpeg");
    }

    private byte[] rawImage(byte[] body, String contentType) {
        if (contentType != null && contentType.toLowerCase().startsWith("image/svg")) {
            throw new ImageRejected(ImageRejected.Reason.UNSUPPORTED_FORMAT,
                    "SVG is a vector format and is not supported; send JPEG, PNG, BMP, WebP or TIFF");
        }
        pipeline.decoder().checkByteCount(body == null ? 0 : body.length);
        return body;
    }

    private byte[] multipartImage(FileUpload upload) {
        if (upload == null || upload.uploadedFile() == null) {
            throw new InvalidRequest("the multipart body has no file field '" + IMAGE_FIELD + "'");
        }
        pipeline.decoder().checkByteCount(upload.size());
        try {
            return Files.readAllBytes(upload.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the uploaded image", e);
        }
    }
}
