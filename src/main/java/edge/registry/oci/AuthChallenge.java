package edge.registry.oci;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One challenge of a {@code WWW-Authenticate} header (RFC 9110 section 11.6.1): a scheme and its parameters, as in
 * {@code Bearer realm="https://auth.example/token",service="registry",scope="repository:a/b:pull,push"}.
 *
 * @param scheme lower case ({@code basic}, {@code bearer}, ...)
 * @param params parameter names in lower case; quoted values unquoted and unescaped
 */
record AuthChallenge(String scheme, Map<String, String> params) {

    AuthChallenge {
        scheme = scheme.toLowerCase(Locale.ROOT);
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name.toLowerCase(Locale.ROOT)));
    }

    boolean is(String scheme) {
        return this.scheme.equalsIgnoreCase(scheme);
    }

    /** Every challenge in the given header values (a header may carry several, and may be repeated). */
    static List<AuthChallenge> parse(List<String> headerValues) {
        List<AuthChallenge> all = new ArrayList<>();
        for (String value : headerValues) {
            all.addAll(parse(value));
        }
        return all;
    }

    /**
     * Parses one header value. Lenient where servers are sloppy (spaces around {@code =} and commas, empty list
     * elements); a token68 credential ({@code Negotiate abc==}) is kept under the parameter name {@code ""}.
     */
    static List<AuthChallenge> parse(String header) {
        List<AuthChallenge> challenges = new ArrayList<>();
        Scanner s = new Scanner(header == null ? "" : header);
        s.skipSeparators();
        while (!s.atEnd()) {
            String scheme = s.token();
            if (scheme.isEmpty()) {
                // Not a token where a scheme must be: skip one character and try again rather than loop forever.
                s.pos++;
                s.skipSeparators();
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>();
            s.skipSpaces();
            // token68 right after the scheme: a token followed only by '=' padding, then a comma or the end.
            int mark = s.pos;
            String t68 = s.token68();
            if (!t68.isEmpty()) {
                s.skipSpaces();
                if (s.atEnd() || s.peek() == ',') {
                    params.put("", t68);
                } else {
                    s.pos = mark;
                }
            }
            if (params.isEmpty()) {
                // auth-params until a list element that is not name=value (the next challenge's scheme).
                while (true) {
                    s.skipSeparators();
                    int start = s.pos;
                    String name = s.token();
                    s.skipSpaces();
                    if (name.isEmpty() || s.atEnd() || s.peek() != '=') {
                        s.pos = start;
                        break;
                    }
                    s.pos++; // '='
                    s.skipSpaces();
                    String value = !s.atEnd() && s.peek() == '"' ? s.quoted() : s.token();
                    params.put(name.toLowerCase(Locale.ROOT), value);
                }
            }
            challenges.add(new AuthChallenge(scheme, params));
            s.skipSeparators();
        }
        return challenges;
    }

    private static final class Scanner {
        private final String text;
        private int pos;

        Scanner(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return pos >= text.length();
        }

        char peek() {
            return text.charAt(pos);
        }

        void skipSpaces() {
            while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
                pos++;
            }
        }

        void skipSeparators() {
            while (!atEnd() && (peek() == ' ' || peek() == '\t' || peek() == ',')) {
                pos++;
            }
        }

        String token() {
            int start = pos;
            while (!atEnd() && isTchar(peek())) {
                pos++;
            }
            return text.substring(start, pos);
        }

        String token68() {
            int start = pos;
            while (!atEnd() && (Character.isLetterOrDigit(peek()) || "-._~+/".indexOf(peek()) >= 0)) {
                pos++;
            }
            if (pos == start) {
                return "";
            }
            while (!atEnd() && peek() == '=') {
                pos++;
            }
            return text.substring(start, pos);
        }

        /** A quoted-string starting at the opening quote; an unterminated one runs to the end of the text. */
        String quoted() {
            StringBuilder out = new StringBuilder();
            pos++; // opening quote
            while (!atEnd()) {
                char c = text.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\' && !atEnd()) {
                    c = text.charAt(pos++);
                }
                out.append(c);
            }
            return out.toString();
        }

        private static boolean isTchar(char c) {
            return c < 128 && (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
        }
    }
}
