package edge.deploy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without kubectl, the manifest tests fail under CI (a skip there would let a build pass with the overlays never
 * rendered) and are skipped, saying what was not checked, on a developer's machine.
 */
class KubectlRequiredTest {

    @Test
    void aMissingKubectlFailsUnderCiAndSaysWhy() {
        AssertionFailedError failure = assertThrows(AssertionFailedError.class,
                () -> K3sManifests.requireKubectl(false, Map.of("CI", "true"), "the overlays were not rendered"));
        assertTrue(failure.getMessage().contains("CI=true"), failure.getMessage());
        assertTrue(failure.getMessage().contains("the overlays were not rendered"), failure.getMessage());
        assertTrue(failure.getMessage().contains("Debian 12"), failure.getMessage());
    }

    @Test
    void aMissingKubectlSkipsOutsideCi() {
        for (Map<String, String> env : java.util.List.of(Map.<String, String>of(), Map.of("CI", "false"))) {
            TestAbortedException skipped = assertThrows(TestAbortedException.class,
                    () -> K3sManifests.requireKubectl(false, env, "the overlays were not rendered"));
            assertTrue(skipped.getMessage().contains("the overlays were not rendered"), skipped.getMessage());
        }
    }

    @Test
    void aPresentKubectlRunsEverywhere() {
        assertDoesNotThrow(() -> K3sManifests.requireKubectl(true, Map.of("CI", "true"), "x"));
        assertDoesNotThrow(() -> K3sManifests.requireKubectl(true, Map.of(), "x"));
    }

    @Test
    void anAbsentExecutableIsNotFound() {
        assertFalse(K3sManifests.kubectl("kubectl-that-is-not-installed-" + ProcessHandle.current().pid()));
    }
}
