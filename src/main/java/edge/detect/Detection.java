package edge.detect;

/** One detected object: its class, the model's confidence and its box in original image pixels. */
public record Detection(int classId, String label, float confidence, Box box) {
}
