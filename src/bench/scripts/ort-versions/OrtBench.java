import ai.onnxruntime.*;
import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Collections;

/**
 * Usage: OrtBench <label> <model.onnx> <imgsz> <intraThreads> <spin:default|0|1> <warmup> <iters> [image.jpg]
 * Prints one line: RESULT label=.. ort=.. model=.. intra=.. spin=.. median=.. p10=.. p90=.. mean=.. min=.. max=.. load_ms=..
 */
public class OrtBench {
    public static void main(String[] a) throws Exception {
        String label = a[0];
        String modelPath = a[1];
        int sz = Integer.parseInt(a[2]);
        int intra = Integer.parseInt(a[3]);
        String spin = a[4];
        int warm = Integer.parseInt(a[5]);
        int iters = Integer.parseInt(a[6]);
        String img = a.length > 7 ? a[7] : null;

        FloatBuffer fb = ByteBuffer.allocateDirect(3 * sz * sz * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        fill(fb, sz, img);

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long t0 = System.nanoTime();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(intra);
            so.setInterOpNumThreads(1);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (!spin.equals("default")) so.addConfigEntry("session.intra_op.allow_spinning", spin);
            try (OrtSession s = env.createSession(modelPath, so);
                 OnnxTensor t = OnnxTensor.createTensor(env, fb, new long[]{1, 3, sz, sz})) {
                double loadMs = (System.nanoTime() - t0) / 1e6;
                java.util.Map<String, OnnxTensor> in = Collections.singletonMap("images", t);
                for (int i = 0; i < warm; i++) try (OrtSession.Result r = s.run(in)) { }
                double[] ms = new double[iters];
                for (int i = 0; i < iters; i++) {
                    long st = System.nanoTime();
                    OrtSession.Result r = s.run(in);
                    ms[i] = (System.nanoTime() - st) / 1e6;
                    r.close();
                }
                double[] so2 = ms.clone();
                Arrays.sort(so2);
                double mean = Arrays.stream(ms).average().orElse(0);
                String model = new File(modelPath).getName().replace(".onnx", "");
                System.out.printf("RESULT label=%s ort=%s model=%s intra=%d spin=%s median=%.2f p10=%.2f p90=%.2f mean=%.2f min=%.2f max=%.2f load_ms=%.0f%n",
                        label, env.getVersion(), model, intra, spin, pct(so2, 50), pct(so2, 10), pct(so2, 90), mean, so2[0], so2[so2.length - 1], loadMs);
            }
        }
    }

    /** Linear-interpolated percentile on a sorted array. */
    static double pct(double[] s, double p) {
        double pos = p / 100.0 * (s.length - 1);
        int lo = (int) Math.floor(pos), hi = (int) Math.ceil(pos);
        return s[lo] + (s[hi] - s[lo]) * (pos - lo);
    }

    /** Letterbox the image to sz x sz with 114 grey padding, RGB, CHW, /255; grey only if no image. */
    static void fill(FloatBuffer fb, int sz, String img) throws Exception {
        int plane = sz * sz;
        float grey = 114f / 255f;
        for (int i = 0; i < 3 * plane; i++) fb.put(i, grey);
        if (img == null) return;
        BufferedImage src = ImageIO.read(new File(img));
        double r = Math.min((double) sz / src.getWidth(), (double) sz / src.getHeight());
        int nw = (int) Math.round(src.getWidth() * r), nh = (int) Math.round(src.getHeight() * r);
        int px = (sz - nw) / 2, py = (sz - nh) / 2;
        BufferedImage dst = new BufferedImage(nw, nh, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, nw, nh, null);
        g.dispose();
        for (int y = 0; y < nh; y++) for (int x = 0; x < nw; x++) {
            int rgb = dst.getRGB(x, y);
            int idx = (y + py) * sz + (x + px);
            fb.put(idx, ((rgb >> 16) & 255) / 255f);
            fb.put(plane + idx, ((rgb >> 8) & 255) / 255f);
            fb.put(2 * plane + idx, (rgb & 255) / 255f);
        }
    }
}
