package edge.bench;

import edge.detect.DetectParams;
import edge.detect.Detection;
import edge.detect.Preprocessor;
import edge.detect.YoloDecoder;
import edge.image.Frame;
import edge.image.ImageDecoder;
import edge.image.ImageLimits;
import edge.image.OpenCv;
import edge.model.LoadedModel;
import edge.model.ModelLoader;
import edge.scene.SceneMatcher;
import edge.scene.Thumbnail;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Issue 5: chooses the thresholds of the scene cache ({@link SceneMatcher}) on recurring-scene sequences made from
 * real images. For every base image (bus.jpg, zidane.jpg and the first 8 labelled coco128 images) it makes, with a
 * fixed seed, 50 "static" frames (JPEG re-encoding at quality 60-95, Gaussian noise sigma 1-3, brightness +-4 %), 14
 * "event" frames (a real person / car / bottle crop pasted at 1.5-5 % of the frame, then the static perturbations)
 * and 6 "removal" frames (a labelled object of at least 1.5 % covered by a patch copied from elsewhere in the same
 * image, then the static perturbations). Every frame's thumbnail is compared with the base's (the cached scene),
 * and a fresh inference on the frame says whether a cache hit would have been stale (its detections differ from
 * the base's). It sweeps the thresholds, names the best setting, and measures the matcher's latency against
 * {@code session.run} side by side.
 *
 * <pre>mvn -q -B package -DskipTests
 * mvn -q -B -Pbench verify -Dbench.main=edge.bench.SceneCacheBenchmark -Dbench.args="[MODEL [SEED [DUMP_DIR]]]"</pre>
 *
 * Defaults: ../shared/models/yolov8n-int8-dynamic.onnx, seed 5; with DUMP_DIR the first event and removal frame of
 * every base are written there as JPEG for a visual check.
 */
public final class SceneCacheBenchmark {

    static final int STATIC_FRAMES = 50;
    static final int PASTE_FRAMES = 14;
    static final int REMOVAL_FRAMES = 6;
    static final int COCO_BASES = 8;
    static final double MIN_OBJECT_FRACTION = 0.015;
    static final double MAX_PASTE_FRACTION = 0.05;
    static final Set<Integer> PASTE_CLASSES = Set.of(0, 2, 39); // person, car, bottle
    static final int MIN_CROP_SIDE = 32;
    static final double IOU_MATCH = 0.5;
    static final DetectParams PARAMS = new DetectParams(0.25f, 0.45f, 300, Set.of());

    static final double[] MIN_CORRELATIONS = {0.90, 0.93, 0.95, 0.97, 0.98};
    static final double[] MAX_BLOCK_DIFFERENCES = {0.15, 0.2, 0.25, 0.3, 0.4, 0.5};
    static final int[] MAX_FINGERPRINT_BITS = {8, 12, 16};

    enum Kind { STATIC, EVENT, REMOVAL }

    /** An object in pixels of its image: a label or, for bus/zidane, a fresh detection. */
    record Obj(int classId, Rect box) {
        double area() {
            return (double) box.width * box.height;
        }
    }

    record Base(String name, Mat bgr, List<Obj> objects, List<Detection> detections, Thumbnail thumbnail) {
        int width() {
            return bgr.cols();
        }

        int height() {
            return bgr.rows();
        }
    }

    /** A crop that can be pasted: a labelled (or, for bus/zidane, detected) person, car or bottle. */
    record CropSource(String image, Path path, int classId, Rect box) {
    }

    record Sample(int base, Kind kind, int index, String what, Thumbnail thumbnail, boolean differs, String diffNote,
                  float diffConfidence, SceneMatcher.Comparison raw) {
        boolean event() {
            return kind != Kind.STATIC;
        }
    }

    record Setting(int ci, int bi, int fi, double minCorrelation, double maxBlock, int maxBits, boolean[] hits,
                   int staticHits, int pasteHits, int removalHits, int stale, int staleStatic, int staleEvent) {
        int eventHits() {
            return pasteHits + removalHits;
        }

        boolean passes() {
            return eventHits() == 0 && stale == 0;
        }

        SceneMatcher matcher() {
            return new SceneMatcher(minCorrelation, maxBlock, maxBits);
        }

        String label() {
            return String.format(Locale.ROOT, "(%.2f, %.2f, %d)", minCorrelation, maxBlock, maxBits);
        }
    }

    private final LoadedModel model;
    private final List<String> classNames;
    private final ImageDecoder decoder = new ImageDecoder(new ImageLimits(1L << 28, 1L << 28));
    private final ByteBuffer chw;
    private final int inputWidth;
    private final int inputHeight;

    private SceneCacheBenchmark(LoadedModel model) {
        this.model = model;
        this.classNames = model.contract().classNames();
        this.inputWidth = model.contract().inputWidth() > 0 ? model.contract().inputWidth() : 640;
        this.inputHeight = model.contract().inputHeight() > 0 ? model.contract().inputHeight() : 640;
        this.chw = ByteBuffer.allocateDirect(Preprocessor.bytes(inputWidth, inputHeight)).order(ByteOrder.nativeOrder());
    }

    public static void main(String[] args) throws Exception {
        Path modelPath = Path.of(args.length > 0 ? args[0] : "../shared/models/yolov8n-int8-dynamic.onnx");
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 5L;
        Optional<Path> dump = args.length > 2 ? Optional.of(Path.of(args[2])) : Optional.empty();
        Path shared = modelPath.toAbsolutePath().getParent().getParent();
        OpenCv.ensureLoaded();
        LoadedModel model = new ModelLoader(2).load(modelPath, Optional.empty());
        try {
            new SceneCacheBenchmark(model).run(shared, modelPath, seed, dump);
        } finally {
            model.retire();
        }
    }

    private void run(Path shared, Path modelPath, long seed, Optional<Path> dump) throws Exception {
        long start = System.nanoTime();
        Path images = shared.resolve("data/images");
        Path coco = shared.resolve("data/coco128");
        if (dump.isPresent()) {
            Files.createDirectories(dump.get());
        }

        // Base images: bus, zidane (objects = a fresh detection), and the first 8 labelled coco128 images.
        List<Base> bases = new ArrayList<>();
        for (String name : List.of("bus.jpg", "zidane.jpg")) {
            Mat bgr = read(images.resolve(name));
            List<Detection> dets = detect(bgr);
            List<Obj> objects = dets.stream().map(d -> new Obj(d.classId(), rect(d.box(), bgr))).toList();
            bases.add(new Base(name, bgr, objects, dets, thumbnail(Files.readAllBytes(images.resolve(name)))));
        }
        List<Path> labelled;
        try (Stream<Path> files = Files.list(coco.resolve("images"))) {
            labelled = files.filter(p -> p.toString().endsWith(".jpg"))
                    .filter(p -> Files.exists(labelFile(coco, p)))
                    .sorted().toList();
        }
        for (Path p : labelled.subList(0, COCO_BASES)) {
            Mat bgr = read(p);
            bases.add(new Base(p.getFileName().toString(), bgr, labels(labelFile(coco, p), bgr), detect(bgr),
                    thumbnail(Files.readAllBytes(p))));
        }

        // Crops to paste: person / car / bottle boxes of every labelled coco128 image, and bus/zidane persons.
        List<CropSource> crops = new ArrayList<>();
        for (Path p : labelled) {
            Mat bgr = read(p);
            for (Obj o : labels(labelFile(coco, p), bgr)) {
                if (PASTE_CLASSES.contains(o.classId()) && o.box().width >= MIN_CROP_SIDE
                        && o.box().height >= MIN_CROP_SIDE) {
                    crops.add(new CropSource(p.getFileName().toString(), p, o.classId(), o.box()));
                }
            }
            bgr.release();
        }
        for (int b = 0; b < 2; b++) {
            Base base = bases.get(b);
            for (Detection d : base.detections()) {
                Rect r = rect(d.box(), base.bgr());
                if (d.classId() == 0 && d.confidence() >= 0.5f && r.width >= MIN_CROP_SIDE && r.height >= MIN_CROP_SIDE) {
                    crops.add(new CropSource(base.name(), images.resolve(base.name()), 0, r));
                }
            }
        }
        System.err.printf(Locale.ROOT, "bases: %d, crop sources: %s%n", bases.size(),
                crops.stream().collect(Collectors.groupingBy(c -> classNames.get(c.classId()), TreeMap::new,
                        Collectors.counting())));

        // Frames: thumbnail once, compare once with a matcher that accepts everything (for the raw figures; the
        // sweep calls compare again per setting), fresh inference once.
        SceneMatcher everything = new SceneMatcher(-1.0, Double.MAX_VALUE, 64);
        List<Sample> samples = new ArrayList<>();
        List<byte[]> latencyFrames = new ArrayList<>();
        List<List<Thumbnail>> latencyStores = new ArrayList<>();
        for (int b = 0; b < bases.size(); b++) {
            Base base = bases.get(b);
            Random rnd = new Random(seed * 1_000_003L + b);
            List<Thumbnail> store = new ArrayList<>();
            for (int i = 0; i < STATIC_FRAMES + PASTE_FRAMES + REMOVAL_FRAMES; i++) {
                Kind kind = i < STATIC_FRAMES ? Kind.STATIC
                        : i < STATIC_FRAMES + PASTE_FRAMES ? Kind.EVENT : Kind.REMOVAL;
                Mat scene = base.bgr().clone();
                String what = switch (kind) {
                    case STATIC -> "static";
                    case EVENT -> paste(scene, base, crops, rnd);
                    case REMOVAL -> cover(scene, base, i - STATIC_FRAMES - PASTE_FRAMES, rnd);
                };
                byte[] jpeg = perturb(scene, rnd);
                scene.release();
                if (dump.isPresent() && (i == STATIC_FRAMES || i == STATIC_FRAMES + PASTE_FRAMES)) {
                    Files.write(dump.get().resolve(base.name().replace(".jpg", "") + "-" + kind + ".jpg"), jpeg);
                }
                try (Frame frame = decoder.decode(jpeg)) {
                    Thumbnail thumbnail = thumbnail(jpeg);
                    List<Detection> dets = detect(frame.bgr());
                    Diff diff = diff(base.detections(), dets);
                    samples.add(new Sample(b, kind, i, what, thumbnail, diff.differs(), diff.note(), diff.confidence(),
                            everything.compare(base.thumbnail(), thumbnail)));
                    if (kind == Kind.STATIC && store.size() < 8) {
                        store.add(thumbnail);
                    }
                    if (i == 0) {
                        latencyFrames.add(jpeg);
                    }
                }
            }
            latencyStores.add(store);
            System.err.printf(Locale.ROOT, "%s done (%.0f s)%n", base.name(), (System.nanoTime() - start) / 1e9);
        }

        printBases(bases);
        printDistributions(samples);
        List<Setting> settings = sweep(bases, samples);
        Setting best = printSweep(settings, bases.size());
        printPerBase(bases, samples, best);
        printHardest(bases, samples, best);
        printStaticFlips(bases, samples);
        latency(images.resolve("bus.jpg"), latencyFrames, latencyStores, best);
        System.out.printf(Locale.ROOT, "%nmodel %s, seed %d, %d frames, total %.0f s%n", modelPath.getFileName(), seed,
                samples.size(), (System.nanoTime() - start) / 1e9);

        bases.forEach(b -> b.bgr().release());
    }

    // ---- frame generation ----------------------------------------------------------------------------------------

    /** Brightness x (1 +- 4 %), Gaussian noise sigma 1-3 (clipped to 0..255), then JPEG at quality 60-95. */
    static byte[] perturb(Mat bgr, Random rnd) {
        double gain = 1.0 + (rnd.nextDouble() * 2 - 1) * 0.04;
        double sigma = 1.0 + 2.0 * rnd.nextDouble();
        int quality = 60 + rnd.nextInt(36);
        Mat floats = new Mat();
        Mat noise = new Mat(bgr.rows(), bgr.cols() * 3, CvType.CV_32F);
        Mat out = new Mat();
        MatOfByte encoded = new MatOfByte();
        MatOfInt options = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, quality);
        try {
            bgr.convertTo(floats, CvType.CV_32FC3, gain, 0.0);
            Core.setRNGSeed(rnd.nextInt());
            Core.randn(noise, 0.0, sigma);
            Mat noise3 = noise.reshape(3, bgr.rows());
            Core.add(floats, noise3, floats);
            noise3.release();
            floats.convertTo(out, CvType.CV_8UC3); // rounds and saturates to 0..255
            if (!Imgcodecs.imencode(".jpg", out, encoded, options)) {
                throw new IllegalStateException("JPEG encoding failed");
            }
            return encoded.toArray();
        } finally {
            floats.release();
            noise.release();
            out.release();
            encoded.release();
            options.release();
        }
    }

    /** Pastes a real person / car / bottle crop of another image at 1.5-5 % of the frame area, aspect kept. */
    private String paste(Mat scene, Base base, List<CropSource> crops, Random rnd) {
        List<Integer> classes = PASTE_CLASSES.stream().sorted()
                .filter(c -> crops.stream().anyMatch(s -> s.classId() == c && !s.image().equals(base.name())))
                .toList();
        int classId = classes.get(rnd.nextInt(classes.size()));
        List<CropSource> pool = crops.stream()
                .filter(s -> s.classId() == classId && !s.image().equals(base.name())).toList();
        CropSource source = pool.get(rnd.nextInt(pool.size()));
        double fraction = MIN_OBJECT_FRACTION + rnd.nextDouble() * (MAX_PASTE_FRACTION - MIN_OBJECT_FRACTION);
        int w = base.width();
        int h = base.height();
        double scale = Math.sqrt(fraction * w * h / ((double) source.box().width * source.box().height));
        scale = Math.min(scale, Math.min((double) w / source.box().width, (double) h / source.box().height));
        int pw = Math.max(1, (int) Math.round(source.box().width * scale));
        int ph = Math.max(1, (int) Math.round(source.box().height * scale));
        int x = rnd.nextInt(w - pw + 1);
        int y = rnd.nextInt(h - ph + 1);
        Mat image = read(source.path());
        Mat crop = image.submat(source.box());
        Mat resized = new Mat();
        Imgproc.resize(crop, resized, new Size(pw, ph), 0, 0, scale < 1 ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR);
        Mat target = scene.submat(new Rect(x, y, pw, ph));
        resized.copyTo(target);
        target.release();
        resized.release();
        crop.release();
        image.release();
        return String.format(Locale.ROOT, "+%s from %s, %.1f %% at (%d,%d)", classNames.get(classId),
                source.image().replace(".jpg", ""), 100.0 * pw * ph / (w * h), x, y);
    }

    /**
     * Covers one labelled object of at least 1.5 % of the frame with a same-sized patch copied from another place of
     * the same image, chosen to overlap the object (and then the other objects) as little as possible. Objects for
     * which a disjoint patch exists are preferred; the 6 removals go round the eligible objects in a random order.
     */
    private String cover(Mat scene, Base base, int k, Random rnd) {
        int w = base.width();
        int h = base.height();
        List<Obj> eligible = base.objects().stream().filter(o -> o.area() >= MIN_OBJECT_FRACTION * w * h).toList();
        if (eligible.isEmpty()) {
            eligible = base.objects().stream().sorted(Comparator.comparingDouble(Obj::area).reversed()).limit(1).toList();
        }
        List<Obj> coverable = eligible.stream().filter(o -> disjointPatchExists(o.box(), w, h)).toList();
        List<Obj> candidates = new ArrayList<>(coverable.isEmpty() ? eligible : coverable);
        // the same order for the 6 removals of a base: shuffle with a seed derived from the base's random stream
        // only once (k == 0), then reuse it
        if (k == 0) {
            removalOrder = new ArrayList<>(candidates);
            Collections.shuffle(removalOrder, rnd);
        }
        Obj target = removalOrder.get(k % removalOrder.size());
        Rect t = target.box();
        Rect best = null;
        double bestScore = Double.MAX_VALUE;
        for (int n = 0; n < 400; n++) {
            Rect r = new Rect(rnd.nextInt(w - t.width + 1), rnd.nextInt(h - t.height + 1), t.width, t.height);
            double score = 10 * overlap(r, t);
            for (Obj o : base.objects()) {
                if (o != target) {
                    score += overlap(r, o.box());
                }
            }
            if (score < bestScore) {
                bestScore = score;
                best = r;
            }
        }
        Mat patch = base.bgr().submat(best);
        Mat dst = scene.submat(t);
        patch.copyTo(dst);
        patch.release();
        dst.release();
        double selfOverlap = overlap(best, t) / target.area();
        return String.format(Locale.ROOT, "-%s %.1f %%%s", classNames.get(target.classId()),
                100.0 * target.area() / (w * h),
                selfOverlap > 0 ? String.format(Locale.ROOT, " (patch overlaps it by %.0f %%)", 100 * selfOverlap) : "");
    }

    private List<Obj> removalOrder;

    static boolean disjointPatchExists(Rect t, int w, int h) {
        return t.x >= t.width || w - (t.x + t.width) >= t.width || t.y >= t.height || h - (t.y + t.height) >= t.height;
    }

    static double overlap(Rect a, Rect b) {
        int iw = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
        int ih = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
        return iw <= 0 || ih <= 0 ? 0 : (double) iw * ih;
    }

    // ---- detection -------------------------------------------------------------------------------------------------

    private List<Detection> detect(Mat bgr) throws Exception {
        Frame frame = new Frame(bgr); // not closed: the caller owns the pixels
        Preprocessor.Prepared prepared = Preprocessor.prepare(frame, inputWidth, inputHeight, chw);
        LoadedModel.RawOutput output = model.run(prepared.chw(), 1);
        return YoloDecoder.decode(output.image(0), output.anchors(), classNames, PARAMS, prepared.letterbox());
    }

    record Diff(boolean differs, String note, float confidence) {
    }

    /**
     * Whether the fresh detections differ from the base's: a different count for some class, or a base box with no
     * same-class box at IoU >= 0.5 (matched one to one, greedily by IoU). The note names the unmatched boxes; the
     * confidence is the highest among them (how far from borderline the difference is).
     */
    static Diff diff(List<Detection> base, List<Detection> fresh) {
        boolean[] usedFresh = new boolean[fresh.size()];
        boolean[] usedBase = new boolean[base.size()];
        List<double[]> pairs = new ArrayList<>();
        for (int i = 0; i < base.size(); i++) {
            for (int j = 0; j < fresh.size(); j++) {
                if (base.get(i).classId() == fresh.get(j).classId()) {
                    double iou = base.get(i).box().iou(fresh.get(j).box());
                    if (iou >= IOU_MATCH) {
                        pairs.add(new double[] {iou, i, j});
                    }
                }
            }
        }
        pairs.sort((p, q) -> Double.compare(q[0], p[0]));
        for (double[] p : pairs) {
            int i = (int) p[1];
            int j = (int) p[2];
            if (!usedBase[i] && !usedFresh[j]) {
                usedBase[i] = true;
                usedFresh[j] = true;
            }
        }
        List<String> notes = new ArrayList<>();
        float confidence = 0;
        for (int i = 0; i < base.size(); i++) {
            if (!usedBase[i]) {
                notes.add(String.format(Locale.ROOT, "-%s %.2f", base.get(i).label(), base.get(i).confidence()));
                confidence = Math.max(confidence, base.get(i).confidence());
            }
        }
        for (int j = 0; j < fresh.size(); j++) {
            if (!usedFresh[j]) {
                notes.add(String.format(Locale.ROOT, "+%s %.2f", fresh.get(j).label(), fresh.get(j).confidence()));
                confidence = Math.max(confidence, fresh.get(j).confidence());
            }
        }
        return new Diff(!notes.isEmpty(), String.join(", ", notes), confidence);
    }

    // ---- sweep -----------------------------------------------------------------------------------------------------

    private static List<Setting> sweep(List<Base> bases, List<Sample> samples) {
        List<Setting> settings = new ArrayList<>();
        for (int ci = 0; ci < MIN_CORRELATIONS.length; ci++) {
            for (int bi = 0; bi < MAX_BLOCK_DIFFERENCES.length; bi++) {
                for (int fi = 0; fi < MAX_FINGERPRINT_BITS.length; fi++) {
                    SceneMatcher matcher = new SceneMatcher(MIN_CORRELATIONS[ci], MAX_BLOCK_DIFFERENCES[bi],
                            MAX_FINGERPRINT_BITS[fi]);
                    boolean[] hits = new boolean[samples.size()];
                    int staticHits = 0;
                    int pasteHits = 0;
                    int removalHits = 0;
                    int staleStatic = 0;
                    int staleEvent = 0;
                    for (int s = 0; s < samples.size(); s++) {
                        Sample sample = samples.get(s);
                        hits[s] = matcher.compare(bases.get(sample.base()).thumbnail(), sample.thumbnail()).same();
                        if (!hits[s]) {
                            continue;
                        }
                        switch (sample.kind()) {
                            case STATIC -> staticHits++;
                            case EVENT -> pasteHits++;
                            case REMOVAL -> removalHits++;
                        }
                        if (sample.differs()) {
                            if (sample.event()) {
                                staleEvent++;
                            } else {
                                staleStatic++;
                            }
                        }
                    }
                    settings.add(new Setting(ci, bi, fi, MIN_CORRELATIONS[ci], MAX_BLOCK_DIFFERENCES[bi],
                            MAX_FINGERPRINT_BITS[fi], hits, staticHits, pasteHits, removalHits,
                            staleStatic + staleEvent, staleStatic, staleEvent));
                }
            }
        }
        return settings;
    }

    /** L1 distance in grid steps to the nearest setting that fails {@code ok}; large when none fails. */
    private static int margin(Setting s, List<Setting> all, Predicate<Setting> ok) {
        int m = 99;
        for (Setting o : all) {
            if (!ok.test(o)) {
                m = Math.min(m, Math.abs(o.ci() - s.ci()) + Math.abs(o.bi() - s.bi()) + Math.abs(o.fi() - s.fi()));
            }
        }
        return m;
    }

    private Setting printSweep(List<Setting> settings, int baseCount) {
        long staticCount = (long) baseCount * STATIC_FRAMES;
        long pasteCount = (long) baseCount * PASTE_FRAMES;
        long removalCount = (long) baseCount * REMOVAL_FRAMES;
        Predicate<Setting> strict = Setting::passes;
        Predicate<Setting> eventsOnly = s -> s.eventHits() == 0 && s.staleEvent() == 0;
        Map<Setting, Integer> strictMargin = new java.util.HashMap<>();
        Map<Setting, Integer> eventMargin = new java.util.HashMap<>();
        for (Setting s : settings) {
            strictMargin.put(s, margin(s, settings, strict));
            eventMargin.put(s, margin(s, settings, eventsOnly));
        }
        List<Setting> sorted = new ArrayList<>(settings);
        sorted.sort(Comparator.<Setting>comparingInt(s -> s.passes() ? 0 : 1)
                .thenComparing(Comparator.<Setting>comparingInt(s -> s.passes() ? -s.staticHits() : 0))
                .thenComparingInt(s -> s.passes() ? 0 : s.eventHits() + s.stale())
                .thenComparingInt(s -> -s.staticHits())
                .thenComparingInt(s -> -strictMargin.get(s)));

        System.out.printf(Locale.ROOT, "%n## Threshold sweep (%d settings; %d static, %d paste-event, %d removal frames)%n%n",
                settings.size(), staticCount, pasteCount, removalCount);
        System.out.println("Goals: static hit rate >= 90 %, 0 hits on event+removal frames, 0 stale hits. "
                + "stale = hits on frames whose fresh detections differ from the base's (split: on static frames / on "
                + "event+removal frames). margin = grid steps (L1) to the nearest setting that fails the zero goals.");
        System.out.println();
        System.out.println("| minCorrelation | maxBlockDifference | maxFingerprintBits | static hit rate | event hits "
                + "(paste + removal) | stale hits (static / event) | both zero goals | margin |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Setting s : sorted) {
            System.out.printf(Locale.ROOT, "| %.2f | %.2f | %d | %.1f %% (%d/%d) | %d (%d + %d) | %d (%d / %d) | %s | %s |%n",
                    s.minCorrelation(), s.maxBlock(), s.maxBits(), 100.0 * s.staticHits() / staticCount,
                    s.staticHits(), staticCount, s.eventHits(), s.pasteHits(), s.removalHits(), s.stale(),
                    s.staleStatic(), s.staleEvent(), s.passes() ? "**yes**" : "no",
                    s.passes() ? String.valueOf(strictMargin.get(s)) : "-");
        }

        Setting strictBest = pick(settings, strict, strictMargin);
        Setting eventBest = pick(settings, eventsOnly, eventMargin);
        System.out.println();
        if (strictBest != null) {
            System.out.printf(Locale.ROOT, "Best setting (strict: 0 event hits, 0 stale hits, max static hit rate, "
                            + "then most margin): minCorrelation=%.2f maxBlockDifference=%.2f maxFingerprintBits=%d -> "
                            + "static %.1f %%, margin %d%n", strictBest.minCorrelation(), strictBest.maxBlock(),
                    strictBest.maxBits(), 100.0 * strictBest.staticHits() / staticCount, strictMargin.get(strictBest));
        } else {
            System.out.println("Best setting (strict): none meets both zero goals.");
        }
        if (eventBest != null) {
            System.out.printf(Locale.ROOT, "Best setting (0 event/removal hits, stale hits only on static frames "
                            + "whose fresh detections flip): minCorrelation=%.2f maxBlockDifference=%.2f "
                            + "maxFingerprintBits=%d -> static %.1f %%, stale on static frames %d, margin %d%n",
                    eventBest.minCorrelation(), eventBest.maxBlock(), eventBest.maxBits(),
                    100.0 * eventBest.staticHits() / staticCount, eventBest.staleStatic(), eventMargin.get(eventBest));
        }
        return strictBest != null && 100.0 * strictBest.staticHits() / staticCount >= 90 || eventBest == null
                ? strictBest : eventBest;
    }

    /** Max static hits among settings passing {@code ok}; ties: most margin, then nearest the tied group's centre. */
    private static Setting pick(List<Setting> settings, Predicate<Setting> ok, Map<Setting, Integer> margins) {
        List<Setting> passing = settings.stream().filter(ok).toList();
        if (passing.isEmpty()) {
            return null;
        }
        int top = passing.stream().mapToInt(Setting::staticHits).max().getAsInt();
        List<Setting> tied = passing.stream().filter(s -> s.staticHits() == top).toList();
        int bestMargin = tied.stream().mapToInt(margins::get).max().getAsInt();
        List<Setting> widest = tied.stream().filter(s -> margins.get(s) == bestMargin).toList();
        double cc = tied.stream().mapToInt(Setting::ci).average().orElse(0);
        double cb = tied.stream().mapToInt(Setting::bi).average().orElse(0);
        double cf = tied.stream().mapToInt(Setting::fi).average().orElse(0);
        return widest.stream().min(Comparator.comparingDouble(s -> Math.abs(s.ci() - cc) + Math.abs(s.bi() - cb)
                + Math.abs(s.fi() - cf))).orElseThrow();
    }

    // ---- reports ---------------------------------------------------------------------------------------------------

    private void printBases(List<Base> bases) {
        System.out.println();
        System.out.println("## Base images (cached scenes)");
        System.out.println();
        System.out.println("| base | size | objects (labels; bus/zidane: fresh detection) | fresh detections at conf 0.25 |");
        System.out.println("|---|---|---|---|");
        for (Base b : bases) {
            String objects = b.objects().stream().map(o -> String.format(Locale.ROOT, "%s %.1f%%",
                    classNames.get(o.classId()), 100 * o.area() / (b.width() * b.height()))).collect(Collectors.joining(", "));
            String dets = b.detections().stream().map(d -> String.format(Locale.ROOT, "%s %.2f", d.label(),
                    d.confidence())).collect(Collectors.joining(", "));
            System.out.printf(Locale.ROOT, "| %s | %dx%d | %s | %s |%n", b.name(), b.width(), b.height(), objects, dets);
        }
    }

    private static void printDistributions(List<Sample> samples) {
        System.out.println();
        System.out.println("## Raw comparison figures against the base thumbnail (min / p5 / median / p95 / max)");
        System.out.println();
        System.out.println("| frames | n | fingerprint bits | correlation | worstBlock |");
        System.out.println("|---|---|---|---|---|");
        Map<String, Predicate<Sample>> groups = new java.util.LinkedHashMap<>();
        groups.put("static", s -> s.kind() == Kind.STATIC);
        groups.put("static, fresh detections equal", s -> s.kind() == Kind.STATIC && !s.differs());
        groups.put("static, fresh detections differ", s -> s.kind() == Kind.STATIC && s.differs());
        groups.put("paste event", s -> s.kind() == Kind.EVENT);
        groups.put("paste event, detections differ", s -> s.kind() == Kind.EVENT && s.differs());
        groups.put("paste event, detections equal", s -> s.kind() == Kind.EVENT && !s.differs());
        groups.put("removal", s -> s.kind() == Kind.REMOVAL);
        groups.put("removal, detections differ", s -> s.kind() == Kind.REMOVAL && s.differs());
        groups.put("removal, detections equal", s -> s.kind() == Kind.REMOVAL && !s.differs());
        for (var g : groups.entrySet()) {
            List<Sample> group = samples.stream().filter(g.getValue()).toList();
            if (group.isEmpty()) {
                System.out.printf("| %s | 0 | | | |%n", g.getKey());
                continue;
            }
            System.out.printf(Locale.ROOT, "| %s | %d | %s | %s | %s |%n", g.getKey(), group.size(),
                    summary(group, s -> s.raw().fingerprintBits(), "%.0f"),
                    summary(group, s -> s.raw().correlation(), "%.4f"),
                    summary(group, s -> s.raw().worstBlock(), "%.3f"));
        }
    }

    private static String summary(List<Sample> group, ToDoubleFunction<Sample> f, String format) {
        double[] v = group.stream().mapToDouble(f).sorted().toArray();
        return Stream.of(v[0], pct(v, 5), pct(v, 50), pct(v, 95), v[v.length - 1])
                .map(x -> String.format(Locale.ROOT, format, x)).collect(Collectors.joining(" / "));
    }

    private static double pct(double[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private void printPerBase(List<Base> bases, List<Sample> samples, Setting best) {
        if (best == null) {
            return;
        }
        System.out.printf(Locale.ROOT, "%n## Per base image at %s%n%n", best.label());
        System.out.println("| base | static hits /50 | event hits /20 (paste /14 + removal /6) | stale hits | "
                + "static frames whose fresh detections differ | static: min corr / max worstBlock / max bits | "
                + "events: max corr / min worstBlock / min bits |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int b = 0; b < bases.size(); b++) {
            int staticHits = 0;
            int paste = 0;
            int removal = 0;
            int stale = 0;
            int flips = 0;
            double sMinCorr = 9;
            double sMaxWorst = 0;
            int sMaxBits = 0;
            double eMaxCorr = -9;
            double eMinWorst = 99;
            int eMinBits = 99;
            for (int s = 0; s < samples.size(); s++) {
                Sample sample = samples.get(s);
                if (sample.base() != b) {
                    continue;
                }
                boolean hit = best.hits()[s];
                if (sample.kind() == Kind.STATIC) {
                    staticHits += hit ? 1 : 0;
                    flips += sample.differs() ? 1 : 0;
                    sMinCorr = Math.min(sMinCorr, sample.raw().correlation());
                    sMaxWorst = Math.max(sMaxWorst, sample.raw().worstBlock());
                    sMaxBits = Math.max(sMaxBits, sample.raw().fingerprintBits());
                } else {
                    paste += hit && sample.kind() == Kind.EVENT ? 1 : 0;
                    removal += hit && sample.kind() == Kind.REMOVAL ? 1 : 0;
                    eMaxCorr = Math.max(eMaxCorr, sample.raw().correlation());
                    eMinWorst = Math.min(eMinWorst, sample.raw().worstBlock());
                    eMinBits = Math.min(eMinBits, sample.raw().fingerprintBits());
                }
                stale += hit && sample.differs() ? 1 : 0;
            }
            System.out.printf(Locale.ROOT, "| %s | %d | %d (%d + %d) | %d | %d | %.4f / %.3f / %d | %.4f / %.3f / %d |%n",
                    bases.get(b).name(), staticHits, paste + removal, paste, removal, stale, flips, sMinCorr, sMaxWorst,
                    sMaxBits, eMaxCorr, eMinWorst, eMinBits);
        }
    }

    private void printHardest(List<Base> bases, List<Sample> samples, Setting best) {
        System.out.printf(Locale.ROOT, "%n## The 12 event/removal frames closest to their base (smallest worstBlock)%n%n");
        System.out.println("| base | frame | change | fingerprint bits | correlation | worstBlock | fresh detections differ | "
                + (best == null ? "" : "hit at " + best.label() + " |"));
        System.out.println("|---|---|---|---|---|---|---|" + (best == null ? "" : "---|"));
        List<Integer> order = new ArrayList<>();
        for (int s = 0; s < samples.size(); s++) {
            if (samples.get(s).event()) {
                order.add(s);
            }
        }
        order.sort(Comparator.comparingDouble(s -> samples.get(s).raw().worstBlock()));
        for (int s : order.subList(0, Math.min(12, order.size()))) {
            Sample x = samples.get(s);
            System.out.printf(Locale.ROOT, "| %s | %s %d | %s | %d | %.4f | %.3f | %s | %s%n", bases.get(x.base()).name(),
                    x.kind().name().toLowerCase(Locale.ROOT), x.index(), x.what(), x.raw().fingerprintBits(),
                    x.raw().correlation(), x.raw().worstBlock(), x.differs() ? "yes: " + x.diffNote() : "no",
                    best == null ? "" : (best.hits()[s] ? "**HIT**" : "miss") + " |");
        }
    }

    private void printStaticFlips(List<Base> bases, List<Sample> samples) {
        List<Sample> flips = samples.stream().filter(s -> s.kind() == Kind.STATIC && s.differs()).toList();
        long statics = samples.stream().filter(s -> s.kind() == Kind.STATIC).count();
        System.out.printf(Locale.ROOT, "%n## Static frames whose fresh detections differ from the base's: %d of %d%n%n",
                flips.size(), statics);
        if (flips.isEmpty()) {
            return;
        }
        double[] conf = flips.stream().mapToDouble(Sample::diffConfidence).sorted().toArray();
        System.out.printf(Locale.ROOT, "Highest confidence among the unmatched boxes of each such frame: min %.2f, "
                + "median %.2f, max %.2f; %d of %d under 0.35, %d under 0.50.%n%n", conf[0], pct(conf, 50),
                conf[conf.length - 1], Arrays.stream(conf).filter(c -> c < 0.35).count(), conf.length,
                Arrays.stream(conf).filter(c -> c < 0.50).count());
        Map<String, List<Sample>> byBase = new java.util.LinkedHashMap<>();
        for (Sample s : flips) {
            byBase.computeIfAbsent(bases.get(s.base()).name(), k -> new ArrayList<>()).add(s);
        }
        System.out.println("| base | frames | unmatched boxes (- only in base, + only in frame), counted over the frames |");
        System.out.println("|---|---|---|");
        for (var e : byBase.entrySet()) {
            Map<String, Long> notes = e.getValue().stream().flatMap(s -> Arrays.stream(s.diffNote().split(", ")))
                    .map(n -> n.replaceAll(" [0-9.]+$", ""))
                    .collect(Collectors.groupingBy(n -> n, TreeMap::new, Collectors.counting()));
            String confs = e.getValue().stream().map(s -> String.format(Locale.ROOT, "%.2f", s.diffConfidence()))
                    .sorted().distinct().limit(8).collect(Collectors.joining(" "));
            System.out.printf(Locale.ROOT, "| %s | %d | %s (max unmatched confidence per frame: %s) |%n", e.getKey(),
                    e.getValue().size(), notes, confs);
        }
    }

    // ---- latency ---------------------------------------------------------------------------------------------------

    private static int[] size(byte[] jpeg) {
        edge.image.ImageHeader h = edge.image.ImageHeader.read(jpeg);
        return new int[] {h.width(), h.height()};
    }

    /** The service's own hit path: a reduced-scale grey decode of the JPEG, then the thumbnail. */
    private Thumbnail thumbnail(byte[] jpeg) {
        try (ImageDecoder.Preview preview = decoder.preview(jpeg)) {
            return Thumbnail.ofGrey(preview.grey());
        }
    }

    private void latency(Path busJpg, List<byte[]> frames, List<List<Thumbnail>> stores, Setting best)
            throws Exception {
        // Worst case for the matcher: the 8 stored thumbnails are of the same scene, so every fingerprint passes and
        // every comparison runs in full.
        SceneMatcher matcher = best != null ? best.matcher() : new SceneMatcher(0.95, 0.3, 12);
        Preprocessor.Prepared prepared;
        try (Frame bus = decoder.decode(Files.readAllBytes(busJpg))) {
            prepared = Preprocessor.prepare(bus, inputWidth, inputHeight);
        }
        int rounds = 6;
        int perFrame = 3;
        int runsPerRound = 20;
        List<Double> thumb = new ArrayList<>();
        List<Double> match = new ArrayList<>();
        List<Double> total = new ArrayList<>();
        List<List<Double>> perSize = new ArrayList<>();
        frames.forEach(f -> perSize.add(new ArrayList<>()));
        List<Double> run = new ArrayList<>();
        long sink = 0;
        for (int i = 0; i < runsPerRound; i++) { // warm-up
            model.run(prepared.chw(), 1);
            sink += thumbnail(frames.get(i % frames.size())).fingerprint();
        }
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < perFrame * frames.size(); i++) {
                int b = i % frames.size();
                long t0 = System.nanoTime();
                Thumbnail t = thumbnail(frames.get(b));
                long t1 = System.nanoTime();
                for (Thumbnail stored : stores.get(b)) {
                    sink += matcher.compare(stored, t).same() ? 1 : 0;
                }
                long t2 = System.nanoTime();
                thumb.add((t1 - t0) / 1e6);
                match.add((t2 - t1) / 1e6);
                total.add((t2 - t0) / 1e6);
                perSize.get(b).add((t2 - t0) / 1e6);
            }
            for (int i = 0; i < runsPerRound; i++) {
                long t0 = System.nanoTime();
                model.run(prepared.chw(), 1);
                run.add((System.nanoTime() - t0) / 1e6);
            }
        }
        double totalMedian = LatencyBenchmark.median(total);
        double runMedian = LatencyBenchmark.median(run);
        int largest = 0;
        for (int b = 1; b < frames.size(); b++) {
            if (LatencyBenchmark.median(perSize.get(b)) > LatencyBenchmark.median(perSize.get(largest))) {
                largest = b;
            }
        }
        double largestMedian = LatencyBenchmark.median(perSize.get(largest));
        System.out.printf(Locale.ROOT, "%n## Latency (%d rounds, alternating %d matcher calls and %d session.run calls)%n%n",
                rounds, perFrame * frames.size(), runsPerRound);
        System.out.println("| preview decode + thumbnail median (ms) | 8 x compare median (ms) | thumbnail + 8 compares median (ms) "
                + "(p90) | slowest frame size: median (ms) | session.run median (ms) (p90) | ratio (all frames) | "
                + "ratio (slowest frame size) |");
        System.out.println("|---|---|---|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| %.3f | %.3f | %.3f (%.3f) | %dx%d: %.3f | %.1f (%.1f) | **%.4f** | %.4f |%n",
                LatencyBenchmark.median(thumb), LatencyBenchmark.median(match), totalMedian,
                LatencyBenchmark.percentile(total, 90), size(frames.get(largest))[0], size(frames.get(largest))[1],
                largestMedian, runMedian, LatencyBenchmark.percentile(run, 90), totalMedian / runMedian,
                largestMedian / runMedian);
        System.out.printf(Locale.ROOT, "(frames: the first static frame of each of the %d bases, sizes %s, each "
                        + "compared with 8 stored static thumbnails of its own scene so that every comparison runs in "
                        + "full; session.run on the letterboxed bus.jpg tensor; goal ratio <= 0.05; sink %d)%n",
                frames.size(), frames.stream().map(j -> size(j)[0] + "x" + size(j)[1]).collect(Collectors.joining(", ")),
                sink);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private Mat read(Path path) {
        try (Frame frame = decoder.decode(Files.readAllBytes(path))) {
            return frame.bgr().clone();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path labelFile(Path coco, Path image) {
        return coco.resolve("labels").resolve(image.getFileName().toString().replace(".jpg", ".txt"));
    }

    private static List<Obj> labels(Path file, Mat bgr) {
        try {
            List<Obj> objects = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 5) {
                    continue;
                }
                double cx = Double.parseDouble(f[1]) * bgr.cols();
                double cy = Double.parseDouble(f[2]) * bgr.rows();
                double w = Double.parseDouble(f[3]) * bgr.cols();
                double h = Double.parseDouble(f[4]) * bgr.rows();
                objects.add(new Obj(Integer.parseInt(f[0]), clip(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, bgr)));
            }
            return objects;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Rect rect(edge.detect.Box box, Mat bgr) {
        return clip(box.x1(), box.y1(), box.x2(), box.y2(), bgr);
    }

    private static Rect clip(double x1, double y1, double x2, double y2, Mat bgr) {
        int a = (int) Math.max(0, Math.round(x1));
        int b = (int) Math.max(0, Math.round(y1));
        int c = (int) Math.min(bgr.cols(), Math.round(x2));
        int d = (int) Math.min(bgr.rows(), Math.round(y2));
        return new Rect(a, b, Math.max(1, c - a), Math.max(1, d - b));
    }

}
