package edge.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the pipeline needs to know about a YOLO detection model, read from the model itself: one float input
 * {@code [1|batch, 3, H, W]} and one float output {@code [1|batch, 4 + nc, N]} (cx, cy, w, h in input pixels, then nc
 * class scores). Nothing here assumes 640, 8400 or 80.
 *
 * @param anchors N when the model fixes it, else -1 (read from each output)
 * @param batchDynamic whether the batch dimension is symbolic, so several images can run in one call
 */
public record ModelContract(String inputName, int inputWidth, int inputHeight, String outputName, int anchors,
                            List<String> classNames, boolean batchDynamic) {

    public ModelContract {
        classNames = List.copyOf(classNames);
    }

    public int numClasses() {
        return classNames.size();
    }

    /** Rows of the output: 4 box values and one score per class. */
    public int channels() {
        return 4 + classNames.size();
    }

    /** One tensor as the model sees it: what was found, for messages. */
    public record TensorSpec(String name, String type, long[] shape) {
        @Override
        public String toString() {
            return name + ":" + type + Arrays.toString(shape);
        }
    }

    /**
     * Checks the tensors and metadata of a model against the YOLO detection layout.
     *
     * @throws IllegalArgumentException with what was expected and what was found
     */
    public static ModelContract of(List<TensorSpec> inputs, List<TensorSpec> outputs, Map<String, String> metadata) {
        String found = "found inputs " + inputs + " and outputs " + outputs;
        if (inputs.size() != 1 || outputs.size() != 1) {
            throw notYolo(found);
        }
        TensorSpec in = inputs.get(0);
        TensorSpec out = outputs.get(0);
        if (!"FLOAT".equals(in.type()) || !"FLOAT".equals(out.type()) || in.shape().length != 4
                || out.shape().length != 3 || in.shape()[1] != 3) {
            throw notYolo(found);
        }
        int[] hw = inputSize(in.shape(), metadata.get("imgsz"), found);
        long channels = out.shape()[1];
        if (channels < 5) {
            throw notYolo(found + " (the output has " + channels + " rows; YOLO has 4 box rows plus one per class)");
        }
        int nc = (int) (channels - 4);
        List<String> names = classNames(metadata.get("names"), nc);
        boolean batchDynamic = in.shape()[0] < 0 && out.shape()[0] < 0;
        if (!batchDynamic && (in.shape()[0] != 1 || out.shape()[0] != 1)) {
            throw notYolo(found + " (the batch dimension must be 1 or symbolic)");
        }
        int anchors = out.shape()[2] > 0 ? (int) out.shape()[2] : -1;
        return new ModelContract(in.name(), hw[1], hw[0], out.name(), anchors, names, batchDynamic);
    }

    private static IllegalArgumentException notYolo(String found) {
        return new IllegalArgumentException("not a YOLO detection model: expected one float input [1,3,H,W] and one "
                + "float output [1,4+nc,N]; " + found);
    }

    /** H and W from the input shape, or from the {@code imgsz} metadata when the model leaves them symbolic. */
    private static int[] inputSize(long[] shape, String imgsz, String found) {
        if (shape[2] > 0 && shape[3] > 0) {
            return new int[] {(int) shape[2], (int) shape[3]};
        }
        if (imgsz != null) {
            String[] parts = imgsz.replaceAll("[\\[\\]()\\s]", "").split(",");
            try {
                if (parts.length == 2) {
                    return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
                }
                if (parts.length == 1) {
                    int side = Integer.parseInt(parts[0]);
                    return new int[] {side, side};
                }
            } catch (NumberFormatException e) {
                // fall through to the refusal
            }
        }
        throw new IllegalArgumentException("the input size is symbolic and no usable 'imgsz' metadata says it ("
                + imgsz + "); " + found);
    }

    /**
     * Class names from the exporter's {@code names} metadata, a Python dict literal such as
     * {@code {0: 'person', 1: "o'clock"}}; COCO-80 names when it is absent and the model has 80 classes.
     */
    static List<String> classNames(String names, int nc) {
        if (names == null || names.isBlank()) {
            if (nc == CocoClasses.NAMES.size()) {
                return CocoClasses.NAMES;
            }
            List<String> generic = new ArrayList<>(nc);
            for (int i = 0; i < nc; i++) {
                generic.add("class" + i);
            }
            return generic;
        }
        TreeMap<Integer, String> parsed = parsePythonDict(names);
        boolean idsAreZeroToNc = parsed.size() == nc && parsed.firstKey() == 0 && parsed.lastKey() == nc - 1;
        if (!idsAreZeroToNc) {
            throw new IllegalArgumentException("the 'names' metadata lists " + parsed.size()
                    + " classes (ids " + parsed.keySet() + ") but the output has " + nc + " class rows");
        }
        return List.copyOf(parsed.values());
    }

    /** A small reader for {@code {int: 'str', ...}} as Python's repr writes it. */
    static TreeMap<Integer, String> parsePythonDict(String text) {
        TreeMap<Integer, String> out = new TreeMap<>();
        int i = skipSpaces(text, 0);
        i = expect(text, i, '{');
        i = skipSpaces(text, i);
        if (i < text.length() && text.charAt(i) == '}') {
            return out;
        }
        while (true) {
            i = skipSpaces(text, i);
            int keyStart = i;
            while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '-')) {
                i++;
            }
            int key;
            try {
                key = Integer.parseInt(text.substring(keyStart, i));
            } catch (NumberFormatException e) {
                throw badNames(text, keyStart);
            }
            i = expect(text, skipSpaces(text, i), ':');
            i = skipSpaces(text, i);
            if (i >= text.length() || (text.charAt(i) != '\'' && text.charAt(i) != '"')) {
                throw badNames(text, i);
            }
            char quote = text.charAt(i++);
            StringBuilder value = new StringBuilder();
            while (i < text.length() && text.charAt(i) != quote) {
                char ch = text.charAt(i++);
                if (ch == '\\' && i < text.length()) {
                    ch = text.charAt(i++);
                }
                value.append(ch);
            }
            i = expect(text, i, quote);
            out.put(key, value.toString());
            i = skipSpaces(text, i);
            if (i < text.length() && text.charAt(i) == ',') {
                i = skipSpaces(text, i + 1);
                if (i < text.length() && text.charAt(i) == '}') {
                    return out;
                }
                continue;
            }
            expect(text, i, '}');
            return out;
        }
    }

    private static int skipSpaces(String text, int i) {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int expect(String text, int i, char wanted) {
        if (i >= text.length() || text.charAt(i) != wanted) {
            throw badNames(text, i);
        }
        return i + 1;
    }

    private static IllegalArgumentException badNames(String text, int at) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return new IllegalArgumentException("the 'names' metadata is not a {id: 'name'} dict (at character " + at
                + "): " + shown);
    }
}
