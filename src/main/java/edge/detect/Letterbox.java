package edge.detect;

/**
 * The geometry of Ultralytics' letterbox: scale the image to fit the model input keeping its aspect ratio, then
 * centre it with padding. Rounding follows Python's {@code round} (half to even), and the padding is split the way
 * Ultralytics splits it ({@code round(d - 0.1)} before, {@code round(d + 0.1)} after), so tensors match bit for bit.
 */
public record Letterbox(int srcWidth, int srcHeight, int dstWidth, int dstHeight, double scale,
                        int resizedWidth, int resizedHeight, int padLeft, int padTop) {

    public static Letterbox fit(int srcWidth, int srcHeight, int dstWidth, int dstHeight) {
        if (srcWidth <= 0 || srcHeight <= 0 || dstWidth <= 0 || dstHeight <= 0) {
            throw new IllegalArgumentException("sizes must be positive: " + srcWidth + "x" + srcHeight + " -> "
                    + dstWidth + "x" + dstHeight);
        }
        double scale = Math.min((double) dstHeight / srcHeight, (double) dstWidth / srcWidth);
        int resizedWidth = Math.max(1, (int) Math.rint(srcWidth * scale));
        int resizedHeight = Math.max(1, (int) Math.rint(srcHeight * scale));
        double dw = (dstWidth - resizedWidth) / 2.0;
        double dh = (dstHeight - resizedHeight) / 2.0;
        int padLeft = (int) Math.rint(dw - 0.1);
        int padTop = (int) Math.rint(dh - 0.1);
        return new Letterbox(srcWidth, srcHeight, dstWidth, dstHeight, scale, resizedWidth, resizedHeight,
                padLeft, padTop);
    }

    /** Maps a box from model-input pixels back to the original image, clipped to it. */
    public Box toSource(float x1, float y1, float x2, float y2) {
        return new Box(
                clip((x1 - padLeft) / scale, srcWidth),
                clip((y1 - padTop) / scale, srcHeight),
                clip((x2 - padLeft) / scale, srcWidth),
                clip((y2 - padTop) / scale, srcHeight));
    }

    private static float clip(double v, int max) {
        return (float) Math.min(Math.max(v, 0.0), max);
    }
}
