package edge.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell blocks of a Markdown file and what the documentation check does with each. Every {@code ```sh} (or
 * {@code bash}, {@code shell}) block must be preceded by a marker comment, invisible on the rendered page:
 * <pre>
 * &lt;!-- check: run --&gt;                      run it (bash -euo pipefail, in the project folder)
 * &lt;!-- check: run expect="person 4" --&gt;    run it; its output must contain that text (or expect='"a": 1')
 * &lt;!-- check: start --&gt;                    it starts the service in the foreground: run it in the background
 *                                          and wait until /q/health/ready answers 200
 * &lt;!-- check: syntax WHY --&gt;               cannot run on one box (WHY says why): bash -n, and every
 *                                          "kubectl apply -k DIR" in it is rendered with kubectl kustomize
 * </pre>
 * A block without a marker is an error, so a new example cannot slip past the check.
 */
public final class DocBlocks {

    public enum Kind { RUN, START, SYNTAX, UNMARKED }

    /**
     * @param line   1-based line of the opening fence
     * @param expect text the output must contain (RUN), else null
     * @param why    the reason a SYNTAX block is not run, else null
     */
    public record Block(String file, int line, Kind kind, String expect, String why, String text) {
        public String where() {
            return file + ":" + line;
        }
    }

    private static final Pattern FENCE = Pattern.compile("^```\\s*(sh|bash|shell)\\s*$");
    private static final Pattern MARKER = Pattern.compile(
            "^<!--\\s*check:\\s*(run|start|syntax)(?:\\s+expect=(?:\"([^\"]*)\"|'([^']*)'))?\\s*(.*?)\\s*-->\\s*$");

    private DocBlocks() {
    }

    /** The shell blocks of {@code markdown} in document order; other fenced blocks are skipped whole. */
    public static List<Block> parse(String file, String markdown) {
        List<Block> blocks = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        String previous = "";
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String trimmed = line.strip();
            if (trimmed.startsWith("```")) {
                int open = i;
                StringBuilder text = new StringBuilder();
                for (i++; i < lines.length && !lines[i].strip().startsWith("```"); i++) {
                    text.append(lines[i].startsWith(indent(line)) ? lines[i].substring(indent(line).length())
                            : lines[i].strip()).append('\n');
                }
                if (FENCE.matcher(trimmed).matches()) {
                    blocks.add(block(file, open + 1, previous, text.toString()));
                }
                previous = "";
                continue;
            }
            if (!trimmed.isEmpty()) {
                previous = trimmed;
            }
        }
        return blocks;
    }

    private static Block block(String file, int line, String marker, String text) {
        Matcher m = MARKER.matcher(marker);
        if (!m.matches()) {
            return new Block(file, line, Kind.UNMARKED, null, null, text);
        }
        Kind kind = Kind.valueOf(m.group(1).toUpperCase());
        String why = kind == Kind.SYNTAX ? m.group(4) : null;
        String expect = m.group(2) != null ? m.group(2) : m.group(3);
        return new Block(file, line, kind, expect, why == null || why.isEmpty() ? null : why, text);
    }

    private static String indent(String line) {
        return line.substring(0, line.length() - line.stripLeading().length());
    }

    /** The folders of every {@code kubectl apply -k DIR} (and {@code kubectl kustomize DIR}) in a block. */
    public static List<String> kustomizations(String text) {
        List<String> dirs = new ArrayList<>();
        Matcher m = Pattern.compile("kubectl\\s+(?:apply\\s+-k|kustomize)\\s+(\\S+)").matcher(text);
        while (m.find()) {
            dirs.add(m.group(1));
        }
        return dirs;
    }
}
