package edge.eval;

import edge.testing.Fixtures;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The accuracy command on coco128 through the service's own pipeline. An independent pipeline measured
 * mAP50-95 0.444 / mAP50 0.598 with this model; lower means a pre- or post-processing fault.
 */
@QuarkusMainTest
class EvalCommandTest {

    @Test
    void coco128ReachesTheReferenceAccuracy(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("eval", Fixtures.coco128().toString());
        String out = result.getOutput();
        assertEquals(0, result.exitCode(), out + result.getErrorOutput());
        assertTrue(out.contains("evaluated 128/128 images"), out);
        Matcher m = Pattern.compile("mAP50=([0-9.]+) mAP50-95=([0-9.]+)").matcher(out);
        assertTrue(m.find(), out);
        double map50 = Double.parseDouble(m.group(1));
        double map5095 = Double.parseDouble(m.group(2));
        assertTrue(map50 >= 0.585, "mAP50 " + map50);
        assertTrue(map5095 >= 0.435, "mAP50-95 " + map5095);
    }

    @Test
    void aFolderWithoutImagesIsAUsageError(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("eval", Fixtures.shared().resolve("nothing-here").toString());
        assertEquals(2, result.exitCode());
        assertTrue(result.getOutput().contains("no images/ folder"), result.getOutput());
    }
}
