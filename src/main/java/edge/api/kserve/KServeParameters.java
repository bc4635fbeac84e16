package edge.api.kserve;

import edge.detect.DetectOptions;
import edge.detect.InvalidRequest;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The request parameters of the encoded-image mode: {@code conf}, {@code iou}, {@code max_det}, {@code classes}. */
final class KServeParameters {

    static final Set<String> KNOWN = Set.of("conf", "iou", "max_det", "classes");

    private KServeParameters() {
    }

    /** @param parameters values as Double, Long, String or Boolean (REST JSON and gRPC InferParameter alike) */
    static DetectOptions options(Map<String, Object> parameters) {
        Float conf = null;
        Float iou = null;
        Integer maxDet = null;
        List<String> classes = List.of();
        for (Map.Entry<String, Object> p : parameters.entrySet()) {
            switch (p.getKey()) {
                case "conf" -> conf = (float) number(p.getKey(), p.getValue());
                case "iou" -> iou = (float) number(p.getKey(), p.getValue());
                case "max_det" -> {
                    double v = number(p.getKey(), p.getValue());
                    if (v != Math.rint(v)) {
                        throw new InvalidRequest("parameter max_det must be a whole number, got " + p.getValue());
                    }
                    maxDet = (int) v;
                }
                case "classes" -> {
                    if (!(p.getValue() instanceof String s)) {
                        throw new InvalidRequest("parameter classes must be a string (comma list), got " + p.getValue());
                    }
                    classes = DetectOptions.splitClasses(s);
                }
                default -> {
                    // Other parameters (binary_data_output, sequence ids, ...) belong to other extensions: ignored.
                }
            }
        }
        return new DetectOptions(conf, iou, maxDet, classes);
    }

    private static double number(String name, Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new InvalidRequest("parameter " + name + " must be a number, got " + value);
    }
}
