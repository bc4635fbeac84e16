package edge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every {@code edge.*} key the service knows, read from the code itself: the {@code @ConfigMapping} interfaces in
 * {@code src/main/java/edge/config} give the names (SmallRye's kebab-case, {@code @WithName}, {@code @WithParentName},
 * maps), the types and the {@code @WithDefault} defaults; the meaning is the javadoc of the method in the source.
 * {@code edge-config/KEYS.md} is rendered from this ({@link ConfigKeysTest} fails when it is out of date), and the
 * profile and k3s tests check configuration files against {@link #knows(String)}.
 */
public final class ConfigKeys {

    /** A key; {@code <id>}, {@code <zone>}, {@code <name>} stand for names the operator chooses. */
    public record Key(String name, String type, String defaultValue, String meaning, String source) {

        /** Whether a concrete key ({@code edge.cameras.door.zones.entrance}) is this key. */
        boolean matches(String concrete) {
            String regex = Stream.of(name.split("\\.", -1))
                    .map(part -> part.startsWith("<") ? "[^.]+" : Pattern.quote(part))
                    .collect(Collectors.joining("\\."));
            return concrete.matches(regex);
        }
    }

    /** Map keys by mapping method: the placeholder the table shows. */
    private static final Map<String, String> PLACEHOLDERS = Map.of("all", "id", "zones", "zone");

    private static final Path SOURCES = Path.of("src/main/java/edge/config");
    private static final Path CLASSES = Path.of("target/classes/edge/config");

    private ConfigKeys() {
    }

    /** Every key, sorted by name. */
    public static List<Key> all() {
        Map<String, Key> keys = new LinkedHashMap<>();
        for (Class<?> mapping : mappings()) {
            String prefix = mapping.getAnnotation(ConfigMapping.class).prefix();
            walk(mapping, prefix, mapping, keys);
        }
        return keys.values().stream().sorted(Comparator.comparing(Key::name)).toList();
    }

    /** Whether the service reads this concrete key. */
    public static boolean knows(String key) {
        return all().stream().anyMatch(k -> k.matches(key));
    }

    /**
     * Whether an environment variable sets a key the service reads: SmallRye's mapping, every character other than
     * letters and digits becomes {@code _}, upper case ({@code EDGE_CAMERAS_DOOR_PASSWORD}).
     */
    public static boolean knowsEnv(String variable) {
        return all().stream().anyMatch(k -> variable.matches(Stream.of(k.name().split("\\.", -1))
                .map(part -> part.startsWith("<") ? "[A-Z0-9_]+" : part.replaceAll("[^A-Za-z0-9]", "_").toUpperCase())
                .collect(Collectors.joining("_"))));
    }

    /** The {@code @ConfigMapping} interfaces compiled from src/main/java/edge/config. */
    static List<Class<?>> mappings() {
        try (Stream<Path> files = Files.list(CLASSES)) {
            List<Class<?>> mappings = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".class") && !f.toString().contains("$"))
                    .sorted().toList()) {
                String name = "edge.config." + file.getFileName().toString().replace(".class", "");
                Class<?> type = Class.forName(name, false, ConfigKeys.class.getClassLoader());
                if (type.isInterface() && type.isAnnotationPresent(ConfigMapping.class)) {
                    mappings.add(type);
                }
            }
            if (mappings.isEmpty()) {
                throw new IllegalStateException("no @ConfigMapping interfaces in " + CLASSES.toAbsolutePath());
            }
            return mappings;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void walk(Class<?> group, String prefix, Class<?> root, Map<String, Key> keys) {
        List<Method> methods = Stream.of(group.getMethods())
                .filter(m -> Modifier.isAbstract(m.getModifiers()) && m.getParameterCount() == 0)
                .sorted(Comparator.comparing(Method::getName)).toList();
        for (Method method : methods) {
            String name = method.isAnnotationPresent(WithParentName.class) ? prefix
                    : prefix + "." + (method.isAnnotationPresent(WithName.class)
                    ? method.getAnnotation(WithName.class).value() : kebab(method.getName()));
            Type type = method.getGenericReturnType();
            if (type instanceof ParameterizedType map && map.getRawType() == Map.class) {
                String key = name + ".<" + PLACEHOLDERS.getOrDefault(method.getName(), "name") + ">";
                Type value = map.getActualTypeArguments()[1];
                if (value instanceof Class<?> valueClass && isGroup(valueClass)) {
                    walk(valueClass, key, root, keys);
                } else {
                    add(keys, key, simpleName(value), "none", method, root);
                }
            } else if (type instanceof Class<?> c && isGroup(c)) {
                walk(c, name, root, keys);
            } else {
                boolean optional = isOptional(type);
                String defaultValue = method.isAnnotationPresent(WithDefault.class)
                        ? "`" + method.getAnnotation(WithDefault.class).value() + "`"
                        : optional ? "none" : "required";
                add(keys, name, simpleName(type), defaultValue, method, root);
            }
        }
    }

    private static void add(Map<String, Key> keys, String name, String type, String defaultValue, Method method,
                            Class<?> root) {
        keys.put(name, new Key(name, type, defaultValue, javadoc(method), root.getSimpleName()));
    }

    private static boolean isGroup(Class<?> type) {
        return type.isInterface() && type.getName().startsWith("edge.config.");
    }

    private static boolean isOptional(Type type) {
        Type raw = type instanceof ParameterizedType p ? p.getRawType() : type;
        return raw == Optional.class || raw == OptionalInt.class || raw == OptionalLong.class
                || raw == OptionalDouble.class;
    }

    private static String simpleName(Type type) {
        if (type == OptionalInt.class) {
            return "int";
        }
        if (type == OptionalLong.class) {
            return "long";
        }
        if (type == OptionalDouble.class) {
            return "double";
        }
        if (type instanceof ParameterizedType p) {
            if (p.getRawType() == Optional.class) {
                return simpleName(p.getActualTypeArguments()[0]);
            }
            return ((Class<?>) p.getRawType()).getSimpleName() + Stream.of(p.getActualTypeArguments())
                    .map(ConfigKeys::simpleName).collect(Collectors.joining(", ", "<", ">"));
        }
        return ((Class<?>) type).getSimpleName();
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    /** The javadoc of the method in its source file, as one line of Markdown. */
    static String javadoc(Method method) {
        Class<?> top = method.getDeclaringClass();
        while (top.getEnclosingClass() != null) {
            top = top.getEnclosingClass();
        }
        String source;
        try {
            source = Files.readString(SOURCES.resolve(top.getSimpleName() + ".java"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The doc comment directly above "Type name();", inside the declaring (possibly nested) interface.
        int from = 0;
        if (method.getDeclaringClass() != top) {
            Matcher nested = Pattern.compile("interface\\s+" + method.getDeclaringClass().getSimpleName() + "\\b")
                    .matcher(source);
            if (nested.find()) {
                from = nested.end();
            }
        }
        Matcher m = Pattern.compile("/\\*\\*((?:(?!\\*/).)*)\\*/\\s*(?:@[\\w.]+(?:\\([^)]*\\))?\\s*)*[\\w<>,.? ]+\\s+"
                + Pattern.quote(method.getName()) + "\\(\\);", Pattern.DOTALL).matcher(source);
        if (!m.find(from)) {
            return "";
        }
        String text = m.group(1);
        // A match may start at an earlier comment and run over other members: keep only the last comment.
        int last = text.lastIndexOf("/**");
        if (last >= 0) {
            text = text.substring(last + 3);
        }
        return text.replaceAll("(?m)^\\s*\\*\\s?", " ")
                .replaceAll("\\{@(?:code|link)\\s+([^}]*)}", "`$1`")
                .replace("|", "\\|")
                .replaceAll("\\s+", " ").trim();
    }

    /** The Markdown of edge-config/KEYS.md. */
    public static String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Configuration keys\n\n")
                .append("Every `edge.*` key the service reads, with its type, default and meaning. **Generated** from the\n")
                .append("`@ConfigMapping` interfaces in `src/main/java/edge/config` (names, types and `@WithDefault` defaults by\n")
                .append("reflection, meanings from their javadoc) by `edge.config.ConfigKeysTest`, which fails when this file is\n")
                .append("out of date. Do not edit it; regenerate it with:\n\n")
                .append("```sh\nmvn -B test -Dtest=ConfigKeysTest -Dedge.keys.write=true\n```\n\n")
                .append("`<id>`, `<zone>` and `<name>` stand for names you choose (`edge.cameras.door.zones.entrance`). Any key\n")
                .append("can be set in a properties file named by `quarkus.config.locations` (the site profiles here, mounted by\n")
                .append("k3s from a ConfigMap), as a system property (`-Dedge.detect.conf=0.3`) or as an environment variable\n")
                .append("(`EDGE_DETECT_CONF=0.3`; dots and dashes become underscores). Later wins: application.properties, the\n")
                .append("profile, environment variables, system properties. \"none\" means unset; \"required\" applies\n")
                .append("once the enclosing entry exists (a camera needs its `url`).\n\n")
                .append("| key | type | default | meaning |\n|---|---|---|---|\n");
        for (Key key : all()) {
            md.append("| `").append(key.name()).append("` | ").append(key.type().replace("<", "&lt;").replace(">", "&gt;"))
                    .append(" | ").append(key.defaultValue()).append(" | ").append(key.meaning()).append(" |\n");
        }
        return md.toString();
    }
}
