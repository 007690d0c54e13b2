package dev.onnxserving.repository.oci;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One challenge of a {@code WWW-Authenticate} header: {@code Bearer realm="...",service="...",scope="..."} or {@code
 * Basic realm="..."}.
 *
 * @param scheme the authentication scheme, lower case ({@code bearer}, {@code basic})
 * @param parameters its parameters by lower-case name, values unquoted
 */
record Challenge(String scheme, Map<String, String> parameters) {

    Challenge {
        parameters = Map.copyOf(parameters);
    }

    boolean isBearer() {
        return scheme.equals("bearer");
    }

    boolean isBasic() {
        return scheme.equals("basic");
    }

    Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name));
    }

    /** The first bearer challenge among the headers' values, else the first basic one. */
    static Optional<Challenge> select(List<String> headerValues) {
        List<Challenge> challenges =
                headerValues.stream().flatMap(value -> parse(value).stream()).toList();
        return challenges.stream()
                .filter(Challenge::isBearer)
                .findFirst()
                .or(() -> challenges.stream().filter(Challenge::isBasic).findFirst());
    }

    /** Every challenge in one header value (RFC 9110 §11.6.1); a malformed rest is ignored. */
    static List<Challenge> parse(String header) {
        List<Challenge> challenges = new java.util.ArrayList<>();
        Cursor cursor = new Cursor(header);
        while (cursor.skipSeparators()) {
            String scheme = cursor.token();
            if (scheme.isEmpty()) {
                break;
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            while (cursor.skipSeparators()) {
                int mark = cursor.position;
                String name = cursor.token();
                cursor.skipSpaces();
                if (name.isEmpty() || !cursor.take('=')) {
                    cursor.position = mark; // the next challenge's scheme
                    break;
                }
                cursor.skipSpaces();
                parameters.put(name.toLowerCase(Locale.ROOT), cursor.value());
            }
            challenges.add(new Challenge(scheme.toLowerCase(Locale.ROOT), parameters));
        }
        return challenges;
    }

    private static final class Cursor {
        private final String text;
        private int position;

        Cursor(String text) {
            this.text = text;
        }

        /** Skips spaces and commas; false at the end. */
        boolean skipSeparators() {
            while (position < text.length() && (text.charAt(position) == ',' || text.charAt(position) == ' ')) {
                position++;
            }
            return position < text.length();
        }

        void skipSpaces() {
            while (position < text.length() && text.charAt(position) == ' ') {
                position++;
            }
        }

        boolean take(char expected) {
            if (position < text.length() && text.charAt(position) == expected) {
                position++;
                return true;
            }
            return false;
        }

        String token() {
            int start = position;
            while (position < text.length() && " ,=\"".indexOf(text.charAt(position)) < 0) {
                position++;
            }
            return text.substring(start, position);
        }

        String value() {
            if (!take('"')) {
                return token();
            }
            StringBuilder value = new StringBuilder();
            while (position < text.length() && text.charAt(position) != '"') {
                char c = text.charAt(position++);
                if (c == '\\' && position < text.length()) {
                    c = text.charAt(position++);
                }
                value.append(c);
            }
            take('"');
            return value.toString();
        }
    }
}
