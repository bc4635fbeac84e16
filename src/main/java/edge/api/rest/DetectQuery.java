package edge.api.rest;

import edge.detect.DetectOptions;
import edge.detect.DetectionPipeline;
import edge.detect.InvalidRequest;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The query parameters shared by {@code /detect}, {@code /count} and {@code /annotate}. They are read as text and
 * parsed here so that a typo answers 400 with a reason instead of JAX-RS' silent 404.
 */
public class DetectQuery {

    @QueryParam("conf")
    @Parameter(description = "Confidence threshold (default edge.detect.conf, 0.25)",
            schema = @Schema(type = SchemaType.NUMBER, minimum = "0", maximum = "1"))
    String conf;

    @QueryParam("iou")
    @Parameter(description = "IoU threshold of non-maximum suppression (default edge.detect.iou, 0.45)",
            schema = @Schema(type = SchemaType.NUMBER, minimum = "0", maximum = "1"))
    String iou;

    @QueryParam("maxDet")
    @Parameter(description = "At most this many detections, 1..edge.detect.max-det-limit (default edge.detect.max-det)",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1"))
    String maxDet;

    /** Comma list of class names or ids. */
    @QueryParam("classes")
    @Parameter(description = "Only these classes: comma list of class names or ids", example = "person,bus",
            schema = @Schema(type = SchemaType.STRING))
    String classes;

    /** {@code coco} for the COCO results list on {@code /detect}. */
    @QueryParam("format")
    @Parameter(description = "POST /detect only: coco for the COCO results list", schema = @Schema(
            type = SchemaType.STRING, enumeration = {"json", "coco"}, defaultValue = "json"))
    String format;

    /** The camera the frame comes from: the scene-cache scope. */
    @QueryParam("camera")
    @Parameter(description = "The camera the image comes from: the scene cache's scope",
            schema = @Schema(type = SchemaType.STRING))
    String camera;

    /** {@code false} bypasses the scene cache. */
    @QueryParam("cache")
    @Parameter(description = "false bypasses the scene cache", schema = @Schema(type = SchemaType.BOOLEAN))
    String cache;

    /** The {@code image_id} written into COCO results. */
    @QueryParam("imageId")
    @Parameter(description = "POST /detect with format=coco: the image_id written into the results (default 0)",
            schema = @Schema(type = SchemaType.INTEGER))
    String imageId;

    DetectOptions options() {
        return new DetectOptions(parseFloat("conf", conf), parseFloat("iou", iou), parseInt("maxDet", maxDet),
                DetectOptions.splitClasses(classes));
    }

    DetectionPipeline.Origin origin() {
        Boolean useCache = null;
        if (cache != null && !cache.isBlank()) {
            if (!cache.equals("true") && !cache.equals("false")) {
                throw new InvalidRequest("cache must be true or false, got '" + cache + "'");
            }
            useCache = Boolean.valueOf(cache);
        }
        return new DetectionPipeline.Origin(camera, useCache);
    }

    boolean coco() {
        if (format == null || format.isBlank() || format.equals("json")) {
            return false;
        }
        if (format.equals("coco")) {
            return true;
        }
        throw new InvalidRequest("format must be 'json' (default) or 'coco', got '" + format + "'");
    }

    long cocoImageId() {
        Integer id = parseInt("imageId", imageId);
        return id == null ? 0 : id;
    }

    private static Float parseFloat(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Float.parseFloat(value);
        } catch (NumberFormatException e) {
            throw new InvalidRequest(name + " must be a number, got '" + value + "'");
        }
    }

    private static Integer parseInt(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new InvalidRequest(name + " must be a whole number, got '" + value + "'");
        }
    }
}
