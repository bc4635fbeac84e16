package edge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Post-processing defaults; every one of them can be overridden per request. */
@ConfigMapping(prefix = "edge.detect")
public interface DetectConfig {

    /** A candidate is kept when its best class score is above this. */
    @WithDefault("0.25")
    float conf();

    /** Class-aware NMS drops a box whose IoU with a better box of its class is above this. */
    @WithDefault("0.45")
    float iou();

    /** At most this many detections per image. */
    @WithDefault("300")
    int maxDet();

    /** The largest {@code maxDet} a request may ask for, so one request cannot ask for unbounded work. */
    @WithDefault("1000")
    int maxDetLimit();
}
