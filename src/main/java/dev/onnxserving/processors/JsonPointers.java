package dev.onnxserving.processors;

/** Builds RFC 6901 JSON pointers into a request body. */
final class JsonPointers {

    private JsonPointers() {}

    /** {@code /instances/3}. */
    static String instance(int index) {
        return "/instances/" + index;
    }

    /** {@code base} followed by one reference token, escaped so that names with {@code /} or {@code ~} stay intact. */
    static String append(String base, String token) {
        return base + "/" + token.replace("~", "~0").replace("/", "~1");
    }

    static String append(String base, int index) {
        return base + "/" + index;
    }
}
