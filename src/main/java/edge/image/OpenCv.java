package edge.image;

import org.jboss.logging.Logger;
import org.opencv.core.Core;

/**
 * Loads the OpenCV native library once per process: from {@code java.library.path} when it holds
 * {@code libopencv_java490.so} (the container image ships it there, unpacked at build time), else from the openpnp
 * jar, which unpacks its 65 MB library into the temp folder on every start (most of a second on a small box).
 */
public final class OpenCv {

    private static final Logger LOG = Logger.getLogger(OpenCv.class);

    private static volatile boolean loaded;

    private OpenCv() {
    }

    public static void ensureLoaded() {
        if (!loaded) {
            synchronized (OpenCv.class) {
                if (!loaded) {
                    load();
                    loaded = true;
                }
            }
        }
    }

    private static void load() {
        try {
            System.loadLibrary(Core.NATIVE_LIBRARY_NAME);
            LOG.debugf("OpenCV %s loaded from java.library.path", Core.NATIVE_LIBRARY_NAME);
        } catch (UnsatisfiedLinkError notOnLibraryPath) {
            nu.pattern.OpenCV.loadLocally();
            LOG.debugf("OpenCV %s unpacked from its jar and loaded", Core.NATIVE_LIBRARY_NAME);
        }
    }
}
