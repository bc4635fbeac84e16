package edge.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The parts of a Dockerfile the test reads: the last USER of the final stage and the LABELs, ARG defaults filled in. */
record Dockerfile(String uid, String gid, Map<String, String> labels) {

    private static final Pattern LABEL = Pattern.compile("([A-Za-z0-9._/-]+)=(\"((?:[^\"\\\\]|\\\\.)*)\"|\\S+)");
    private static final Pattern ARG_REFERENCE = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}|\\$([A-Za-z0-9_]+)");

    static Dockerfile read(Path file) throws IOException {
        // Instructions: comments dropped, continuation lines joined.
        String text = Files.readString(file).replaceAll("(?m)^\\s*#.*\\n", "").replaceAll("\\\\\\n", " ");
        Map<String, String> args = new HashMap<>();
        Map<String, String> labels = new HashMap<>();
        String user = null;
        for (String line : text.split("\n")) {
            String[] instruction = line.strip().split("\\s+", 2);
            if (instruction.length < 2) {
                continue;
            }
            switch (instruction[0].toUpperCase()) {
                case "FROM" -> {
                    labels.clear();
                    user = null;
                }
                case "ARG" -> {
                    String[] arg = instruction[1].split("=", 2);
                    args.put(arg[0], arg.length > 1 ? arg[1].replaceAll("^\"|\"$", "") : "");
                }
                case "LABEL" -> {
                    Matcher label = LABEL.matcher(instruction[1]);
                    while (label.find()) {
                        String value = label.group(3) != null ? label.group(3) : label.group(2);
                        labels.put(label.group(1), substitute(value, args));
                    }
                }
                case "USER" -> user = substitute(instruction[1].strip(), args);
                default -> { }
            }
        }
        assertNotNull(user, file + " declares no USER: the image would run as root");
        String[] ids = user.split(":", 2);
        return new Dockerfile(ids[0], ids.length > 1 ? ids[1] : "", labels);
    }

    private static String substitute(String value, Map<String, String> args) {
        Matcher reference = ARG_REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (reference.find()) {
            String name = reference.group(1) != null ? reference.group(1) : reference.group(2);
            reference.appendReplacement(out, Matcher.quoteReplacement(args.getOrDefault(name, reference.group())));
        }
        return reference.appendTail(out).toString();
    }
}
