package edge.api.rest;

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
public class DetectResource {

    static final String RAW_IMAGE_TYPES = "image/*";
    static final String IMAGE_FIELD = "image";

    private final DetectionPipeline pipeline;

    public DetectResource(DetectionPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @POST
    @Path("detect")
    @Consumes({RAW_IMAGE_TYPES, MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    public Object detect(byte[] body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                         @BeanParam DetectQuery query) {
        return detect(rawImage(body, contentType), query);
    }

    @POST
    @Path("detect")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    public Object detectMultipart(@RestForm(IMAGE_FIELD) FileUpload image, @BeanParam DetectQuery query) {
        return detect(multipartImage(image), query);
    }

    @POST
    @Path("count")
    @Consumes({RAW_IMAGE_TYPES, MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    public Responses.CountResponse count(byte[] body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                                         @BeanParam DetectQuery query) {
        return Responses.CountResponse.of(pipeline.detect(rawImage(body, contentType), query.options(), query.scene()));
    }

    @POST
    @Path("count")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    public Responses.CountResponse countMultipart(@RestForm(IMAGE_FIELD) FileUpload image, @BeanParam DetectQuery query) {
        return Responses.CountResponse.of(pipeline.detect(multipartImage(image), query.options(), query.scene()));
    }

    @POST
    @Path("annotate")
    @Consumes({RAW_IMAGE_TYPES, MediaType.APPLICATION_OCTET_STREAM})
    @Produces({"image/jpeg", "image/png"})
    public Response annotate(byte[] body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                             @HeaderParam(HttpHeaders.ACCEPT) String accept, @BeanParam DetectQuery query) {
        return annotate(rawImage(body, contentType), accept, query);
    }

    @POST
    @Path("annotate")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces({"image/jpeg", "image/png"})
    public Response annotateMultipart(@RestForm(IMAGE_FIELD) FileUpload image,
                                      @HeaderParam(HttpHeaders.ACCEPT) String accept, @BeanParam DetectQuery query) {
        return annotate(multipartImage(image), accept, query);
    }

    private Object detect(byte[] image, DetectQuery query) {
        boolean coco = query.coco();
        DetectionResult result = pipeline.detect(image, query.options(), query.scene());
        return coco ? Responses.coco(result, query.cocoImageId()) : result;
    }

    private Response annotate(byte[] image, String accept, DetectQuery query) {
        Annotator.Encoding encoding = prefersPng(accept) ? Annotator.Encoding.PNG : Annotator.Encoding.JPEG;
        DetectionPipeline.Annotated annotated = pipeline.annotate(image, query.options(), query.scene(), encoding);
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
