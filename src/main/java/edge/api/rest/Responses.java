package edge.api.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import edge.detect.CacheInfo;
import edge.model.CocoClasses;
import edge.detect.Detection;
import edge.detect.DetectionResult;
import edge.model.ModelInfo;

import java.util.List;
import java.util.Map;

/** The JSON shapes of the REST API that are not {@link DetectionResult} itself. */
final class Responses {

    private Responses() {
    }

    /** {@code POST /count}. */
    record CountResponse(Map<String, Integer> counts, int total, String report, ModelInfo model,
                         @JsonInclude(JsonInclude.Include.NON_NULL) CacheInfo cache) {
        static CountResponse of(DetectionResult result) {
            return new CountResponse(result.counts(), result.total(), result.report(), result.model(), result.cache());
        }
    }

    /** One entry of the COCO results format ({@code ?format=coco}); bbox is {@code [x, y, width, height]}. */
    record CocoDetection(long image_id, int category_id, float[] bbox, float score) {
    }

    static List<CocoDetection> coco(DetectionResult result, long imageId) {
        return result.detections().stream().map(d -> cocoDetection(d, imageId)).toList();
    }

    /** COCO's category id when the class is the COCO-80 class of that index, else the model's own class id. */
    private static CocoDetection cocoDetection(Detection d, long imageId) {
        int category = CocoClasses.isCocoClass(d.classId(), d.label()) ? CocoClasses.categoryId(d.classId()) : d.classId();
        float[] bbox = {d.box().x1(), d.box().y1(), d.box().width(), d.box().height()};
        return new CocoDetection(imageId, category, bbox, d.confidence());
    }
}
