package edge.security;

import edge.config.StartupRefused;
import edge.config.ApiConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeysTest {

    private static ApiKeys keys(List<String> keys, boolean anonymous, String host) {
        ApiConfig config = new ApiConfig() {
            @Override
            public Optional<List<String>> keys() {
                return keys.isEmpty() ? Optional.empty() : Optional.of(keys);
            }

            @Override
            public boolean allowAnonymous() {
                return anonymous;
            }
        };
        return new ApiKeys(config, Optional.empty(), host);
    }

    @Test
    void withoutKeysOnlyALoopbackServiceStarts() {
        assertDoesNotThrow(() -> keys(List.of(), false, "127.0.0.1").onStart(null));
        assertDoesNotThrow(() -> keys(List.of(), false, "localhost").onStart(null));
        StartupRefused e = assertThrows(StartupRefused.class,
                () -> keys(List.of(), false, "0.0.0.0").onStart(null));
        assertTrue(e.getMessage().contains("EDGE_API_KEYS") && e.getMessage().contains("QUARKUS_HTTP_HOST=127.0.0.1")
                && e.getMessage().contains("EDGE_API_ALLOW_ANONYMOUS=true"), "the three ways out: " + e.getMessage());
        assertDoesNotThrow(() -> keys(List.of(), true, "0.0.0.0").onStart(null));
        assertDoesNotThrow(() -> keys(List.of("k"), false, "0.0.0.0").onStart(null));
    }

    @Test
    void aKeyMatchesWholeAndOnlyWhole() {
        ApiKeys keys = keys(List.of("secret-one", "secret-two"), false, "0.0.0.0");
        assertTrue(keys.accepts("secret-one", null));
        assertTrue(keys.accepts(null, "Bearer secret-two"));
        assertTrue(keys.accepts(null, "bearer secret-two"));
        assertFalse(keys.accepts("secret", null));
        assertFalse(keys.accepts("secret-one-and-more", null));
        assertFalse(keys.accepts(null, "Basic c2VjcmV0LW9uZQ=="));
        assertFalse(keys.accepts(null, null));
        assertTrue(keys(List.of(), false, "127.0.0.1").accepts(null, null), "no keys: open (loopback)");
    }
}
