package edge.api.grpc;

import edge.api.grpc.v1.Box;
import edge.api.grpc.v1.CacheInfo;
import edge.api.grpc.v1.ClassCount;
import edge.api.grpc.v1.CountResponse;
import edge.api.grpc.v1.DetectResponse;
import edge.api.grpc.v1.Detection;
import edge.api.grpc.v1.ImageSize;
import edge.api.grpc.v1.ModelInfo;
import edge.api.grpc.v1.Timings;
import edge.detect.DetectionResult;

import java.util.List;
import java.util.Map;

/** {@link DetectionResult} as the messages of {@code edge.detection.v1}. */
final class ProtoMapping {

    private ProtoMapping() {
    }

    static DetectResponse detectResponse(DetectionResult result, String camera) {
        DetectResponse.Builder b = DetectResponse.newBuilder()
                .setCamera(camera)
                .addAllOrderedCounts(orderedCounts(result.counts()))
                .setModel(model(result.model()))
                .setImage(ImageSize.newBuilder().setWidth(result.image().width()).setHeight(result.image().height()))
                .putAllCounts(result.counts())
                .setTimings(timings(result.timings()))
                .setReport(result.report())
                .setTotal(result.total());
        if (result.cache() != null) {
            b.setCache(cache(result.cache()));
        }
        for (edge.detect.Detection d : result.detections()) {
            b.addDetections(Detection.newBuilder()
                    .setClassId(d.classId()).setLabel(d.label()).setConfidence(d.confidence())
                    .setBox(Box.newBuilder().setX1(d.box().x1()).setY1(d.box().y1())
                            .setX2(d.box().x2()).setY2(d.box().y2())));
        }
        return b.build();
    }

    static CountResponse countResponse(DetectionResult result, String camera) {
        CountResponse.Builder b = CountResponse.newBuilder()
                .putAllCounts(result.counts()).setTotal(result.total()).setReport(result.report())
                .setModel(model(result.model()))
                .addAllOrderedCounts(orderedCounts(result.counts()))
                .setTimings(timings(result.timings()))
                .setCamera(camera);
        if (result.cache() != null) {
            b.setCache(cache(result.cache()));
        }
        return b.build();
    }

    private static CacheInfo cache(edge.detect.CacheInfo info) {
        return CacheInfo.newBuilder().setHit(info.hit()).setAgeMs(info.ageMs()).setScene(info.scene()).build();
    }

    private static List<ClassCount> orderedCounts(Map<String, Integer> counts) {
        return counts.entrySet().stream()
                .map(e -> ClassCount.newBuilder().setLabel(e.getKey()).setCount(e.getValue()).build())
                .toList();
    }

    static ModelInfo model(edge.model.ModelInfo model) {
        return ModelInfo.newBuilder().setName(model.name()).setVersion(model.version()).setSha256(model.sha256())
                .build();
    }

    static Timings timings(DetectionResult.Timings t) {
        return Timings.newBuilder().setDecodeMs(t.decodeMs()).setPreprocessMs(t.preprocessMs())
                .setInferenceMs(t.inferenceMs()).setPostprocessMs(t.postprocessMs()).setTotalMs(t.totalMs()).build();
    }
}
