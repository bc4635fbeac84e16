package edge.camera;

import edge.detect.Box;

import java.util.ArrayList;
import java.util.List;

/**
 * A named polygon in normalised image coordinates (0..1, origin top-left). A detection is in the zone when the
 * bottom-centre of its box is: where an object stands on the floor, not where its head is.
 */
public record Zone(String name, List<float[]> points) {

    public Zone {
        if (points.size() < 3) {
            throw new IllegalArgumentException("zone '" + name + "' needs at least 3 points, has " + points.size());
        }
        points = List.copyOf(points);
    }

    /** Parses {@code "0,0 0.5,0 0.5,1 0,1"}. */
    public static Zone parse(String name, String polygon) {
        List<float[]> points = new ArrayList<>();
        for (String pair : polygon.trim().split("\\s+")) {
            String[] xy = pair.split(",");
            try {
                if (xy.length != 2) {
                    throw new NumberFormatException();
                }
                float x = Float.parseFloat(xy[0]);
                float y = Float.parseFloat(xy[1]);
                if (x < 0 || x > 1 || y < 0 || y > 1) {
                    throw new IllegalArgumentException("zone '" + name + "': point " + pair
                            + " is outside 0..1 (coordinates are fractions of the image width and height)");
                }
                points.add(new float[] {x, y});
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("zone '" + name + "': '" + pair + "' is not a point x,y; write "
                        + "the polygon as 'x,y x,y x,y ...' in 0..1", e);
            }
        }
        return new Zone(name, points);
    }

    /** Whether the box's bottom-centre, in an image of the given size, lies inside (even-odd rule). */
    public boolean contains(Box box, int width, int height) {
        float px = (box.x1() + box.x2()) / 2f / width;
        float py = box.y2() / height;
        boolean inside = false;
        for (int i = 0, j = points.size() - 1; i < points.size(); j = i++) {
            float[] a = points.get(i);
            float[] b = points.get(j);
            if ((a[1] > py) != (b[1] > py) && px < (b[0] - a[0]) * (py - a[1]) / (b[1] - a[1]) + a[0]) {
                inside = !inside;
            }
        }
        return inside;
    }
}
