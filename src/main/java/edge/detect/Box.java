package edge.detect;

/** An axis-aligned box in pixels of the original image: top-left (x1, y1), bottom-right (x2, y2). */
public record Box(float x1, float y1, float x2, float y2) {

    public float width() {
        return x2 - x1;
    }

    public float height() {
        return y2 - y1;
    }

    public float area() {
        return Math.max(0f, x2 - x1) * Math.max(0f, y2 - y1);
    }

    public float iou(Box other) {
        float iw = Math.min(x2, other.x2) - Math.max(x1, other.x1);
        float ih = Math.min(y2, other.y2) - Math.max(y1, other.y1);
        if (iw <= 0 || ih <= 0) {
            return 0f;
        }
        float inter = iw * ih;
        return inter / (area() + other.area() - inter);
    }
}
