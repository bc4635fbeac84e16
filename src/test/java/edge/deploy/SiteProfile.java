package edge.deploy;

import edge.testing.CameraServer;
import edge.testing.Fixtures;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service as a site runs it: {@code quarkus.config.locations} names the site's profile, as k3s does with the
 * mounted ConfigMap. The file loaded is a copy of edge-config/SITE/site.properties in target/site-profiles/ in which
 * only the lines that cannot work here are replaced, each marked "test stand-in": the model path becomes the shared
 * dynamic model (the profile's /models/seed.onnx is provisioned on real boxes), every camera URL becomes a local fake
 * camera (an MJPEG stream for MJPEG cameras, a JPEG snapshot otherwise, instead of addresses on the site network),
 * and the registry URL is commented out (no registry here; without it the store and the public key are not used).
 * Everything else (workers, threads, queue, limits, cache, intervals, classes, zones) is the profile's own. The
 * stand-ins are written into the file rather than given as test overrides because values from
 * {@code quarkus.config.locations} take precedence over a test profile's overrides.
 */
public abstract class SiteProfile implements QuarkusTestProfile {

    private static final Pattern CAMERA_URL = Pattern.compile("edge\\.cameras\\.([^.]+)\\.url");

    /** The folder under edge-config/. */
    protected abstract String site();

    static Path file(String site) {
        return Path.of("edge-config", site, "site.properties").toAbsolutePath();
    }

    static Properties load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** Camera ids of a profile, sorted. */
    static List<String> cameras(Properties profile) {
        TreeSet<String> ids = new TreeSet<>();
        for (String key : profile.stringPropertyNames()) {
            Matcher m = CAMERA_URL.matcher(key);
            if (m.matches()) {
                ids.add(m.group(1));
            }
        }
        return List.copyOf(ids);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(SiteWithStandIns.class, Map.of("site", site())));
    }

    /** Starts the fake cameras and writes the profile copy that the service loads. */
    public static class SiteWithStandIns implements QuarkusTestResourceLifecycleManager {
        private CameraServer server;
        private String site;

        @Override
        public void init(Map<String, String> args) {
            site = args.get("site");
        }

        @Override
        public Map<String, String> start() {
            server = CameraServer.start();
            try {
                Path copy = Path.of("target", "site-profiles", site, "site.properties").toAbsolutePath();
                Files.createDirectories(copy.getParent());
                List<String> lines = new ArrayList<>();
                for (String line : Files.readAllLines(file(site))) {
                    lines.add(standIn(line));
                }
                Files.write(copy, lines);
                return Map.of("quarkus.config.locations", copy.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The line itself, or a comment saying what the profile had followed by the stand-in. */
        private String standIn(String line) {
            String marker = "# test stand-in, the profile says: " + line + "\n";
            if (line.startsWith("edge.model.path=")) {
                return marker + "edge.model.path=" + Fixtures.model(Fixtures.DYNAMIC).toAbsolutePath();
            }
            if (line.startsWith("edge.registry.url=")) {
                return marker.strip();
            }
            Matcher camera = Pattern.compile("(edge\\.cameras\\.[^.]+\\.url)=(.*)").matcher(line);
            if (camera.matches()) {
                boolean mjpeg = camera.group(2).endsWith(".mjpg") || camera.group(2).contains("mjpeg");
                return marker + camera.group(1) + "=" + server.url(mjpeg ? "/mjpeg" : "/bus.jpg");
            }
            return line;
        }

        @Override
        public void stop() {
            if (server != null) {
                server.close();
            }
        }
    }

    public static class FactoryGateway extends SiteProfile {
        @Override
        protected String site() {
            return "factory-gateway";
        }
    }

    public static class Store extends SiteProfile {
        @Override
        protected String site() {
            return "store";
        }
    }
}
