package edge.detect;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a client asked for, before it is checked: null means "the configured default". Every API (REST query
 * parameters, gRPC fields, KServe parameters) builds one of these and lets {@link #resolve} judge it.
 *
 * @param classes class names or ids, as the client wrote them
 */
public record DetectOptions(Float conf, Float iou, Integer maxDet, List<String> classes) {

    public static final DetectOptions DEFAULTS = new DetectOptions(null, null, null, List.of());

    public DetectOptions {
        classes = classes == null ? List.of() : List.copyOf(classes);
    }

    /** Parses the REST form of the class filter: {@code person,bus} or {@code 0,5}. */
    public static List<String> splitClasses(String commaList) {
        List<String> out = new ArrayList<>();
        if (commaList != null) {
            for (String part : commaList.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        return out;
    }

    public DetectParams resolve(DetectDefaults defaults, List<String> classNames) {
        float c = conf == null ? defaults.conf() : conf;
        float i = iou == null ? defaults.iou() : iou;
        int m = maxDet == null ? defaults.maxDet() : maxDet;
        if (!(c >= 0f && c <= 1f)) {
            throw new InvalidRequest("conf must be between 0 and 1, got " + c);
        }
        if (!(i >= 0f && i <= 1f)) {
            throw new InvalidRequest("iou must be between 0 and 1, got " + i);
        }
        if (m < 1 || m > defaults.maxDetLimit()) {
            throw new InvalidRequest("maxDet must be between 1 and " + defaults.maxDetLimit() + ", got " + m);
        }
        return new DetectParams(c, i, m, classIds(classNames));
    }

    private Set<Integer> classIds(List<String> classNames) {
        Set<Integer> ids = new HashSet<>();
        for (String wanted : classes) {
            int byName = classNames.indexOf(wanted);
            if (byName >= 0) {
                ids.add(byName);
                continue;
            }
            try {
                int id = Integer.parseInt(wanted);
                if (id >= 0 && id < classNames.size()) {
                    ids.add(id);
                    continue;
                }
            } catch (NumberFormatException ignored) {
                // not an id either: reported below
            }
            throw new InvalidRequest("unknown class '" + wanted + "': the model knows " + classNames.size()
                    + " classes, by name (e.g. '" + classNames.get(0) + "') or by id 0.." + (classNames.size() - 1));
        }
        return ids;
    }

    /** The configured defaults and the ceiling on maxDet. */
    public record DetectDefaults(float conf, float iou, int maxDet, int maxDetLimit) {
    }
}
