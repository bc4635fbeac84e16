package edge;

import edge.config.StartupRefused;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The last line of a failed start names what is wrong in the refusal's own words. */
class EdgeMainTest {

    @Test
    void theRefusalAnywhereInTheCausesIsWhatIsPrinted() {
        Throwable wrapped = new RuntimeException("Failed to start quarkus",
                new IllegalStateException("observer failed", new StartupRefused("no keys. Three ways out: ...")));
        assertEquals("edge-detector did not start: no keys. Three ways out: ...", EdgeMain.refusal(wrapped));
    }

    @Test
    void otherwiseTheInnermostCause() {
        Throwable wrapped = new RuntimeException("outer", new IllegalArgumentException("port 80: permission denied"));
        assertEquals("edge-detector did not start: port 80: permission denied", EdgeMain.refusal(wrapped));
        assertEquals("edge-detector did not start: java.lang.NullPointerException",
                EdgeMain.refusal(new NullPointerException()));
    }
}
