package edge.registry.oci;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The WWW-Authenticate parser, on the shapes registries and their token services send. */
class AuthChallengeTest {

    @Test
    void bearerWithACommaInsideAQuotedScope() {
        List<AuthChallenge> challenges = AuthChallenge.parse("Bearer realm=\"https://auth.example.test/token\","
                + "service=\"registry.example.test\",scope=\"repository:edge/models:pull,push\"");
        assertEquals(1, challenges.size());
        AuthChallenge c = challenges.get(0);
        assertEquals("bearer", c.scheme());
        assertEquals(Map.of("realm", "https://auth.example.test/token", "service", "registry.example.test",
                "scope", "repository:edge/models:pull,push"), c.params());
    }

    @Test
    void severalChallengesSpacesCaseAndEscapes() {
        List<AuthChallenge> challenges = AuthChallenge.parse(
                "Basic realm=\"say \\\"hi\\\", please\" , charset=UTF-8, BEARER Realm = \"http://127.0.0.1/t\" ,"
                        + " error=\"insufficient_scope\"");
        assertEquals(2, challenges.size(), challenges.toString());
        assertTrue(challenges.get(0).is("Basic"));
        assertEquals("say \"hi\", please", challenges.get(0).param("realm").orElseThrow());
        assertEquals("UTF-8", challenges.get(0).param("charset").orElseThrow());
        assertTrue(challenges.get(1).is("bearer"));
        assertEquals("http://127.0.0.1/t", challenges.get(1).param("REALM").orElseThrow());
        assertEquals("insufficient_scope", challenges.get(1).param("error").orElseThrow());
    }

    @Test
    void repeatedHeadersToken68AndBareSchemes() {
        List<AuthChallenge> challenges = AuthChallenge.parse(List.of("Negotiate abc+/de==, Basic", "Bearer"));
        assertEquals(3, challenges.size(), challenges.toString());
        assertEquals("negotiate", challenges.get(0).scheme());
        assertEquals("abc+/de==", challenges.get(0).param("").orElseThrow());
        assertEquals(Map.of(), challenges.get(1).params());
        assertEquals("bearer", challenges.get(2).scheme());
    }

    @Test
    void malformedInputDoesNotThrowOrLoop() {
        assertEquals(List.of(), AuthChallenge.parse(""));
        assertEquals(List.of(), AuthChallenge.parse((String) null));
        assertEquals(List.of(), AuthChallenge.parse(" , ,"));
        List<AuthChallenge> unterminated = AuthChallenge.parse("Bearer realm=\"https://x/t, service=a");
        assertEquals("https://x/t, service=a", unterminated.get(0).param("realm").orElseThrow());
        assertEquals("bearer", AuthChallenge.parse("@@ Bearer realm=x").get(0).scheme());
    }
}
