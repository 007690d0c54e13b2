package dev.onnxserving.processors.image;

import dev.onnxserving.pipeline.JsonKinds;
import java.util.Base64;
import tools.jackson.databind.JsonNode;

/**
 * Reads the bytes of one image instance: {@code {"b64": "<base64 of the file>"}} in JSON, or an uploaded file (a
 * binary node). Base64 is the standard alphabet; padding is optional, whitespace (line breaks of wrapped base64)
 * is skipped, and a data URL prefix such as {@code data:image/png;base64,} is accepted.
 */
final class ImageInstances {

    static final String FIELD = "b64";
    static final String EXPECTED = "an object {\"b64\": \"<base64 of a PNG or JPEG file>\"}";

    private static final String DATA_URL = "data:";
    private static final String BASE64_MARKER = ";base64,";

    private ImageInstances() {}

    /**
     * @param pointer the instance's JSON pointer
     * @throws Problem naming the part of the instance that is wrong
     */
    static byte[] read(JsonNode instance, String pointer) throws Problem {
        if (instance.isBinary()) {
            return instance.binaryValue();
        }
        if (!instance.isObject()) {
            throw new Problem(pointer, "expected " + EXPECTED + ", got " + JsonKinds.describe(instance));
        }
        for (String name : instance.propertyNames()) {
            if (!name.equals(FIELD)) {
                throw new Problem(
                        pointer + "/" + name.replace("~", "~0").replace("/", "~1"),
                        "unknown field, expected only '" + FIELD + "'");
            }
        }
        JsonNode value = instance.get(FIELD);
        String at = pointer + "/" + FIELD;
        if (value == null) {
            throw new Problem(at, "missing field, expected the base64 of a PNG or JPEG file");
        }
        if (!value.isString()) {
            throw new Problem(at, "expected a base64 string, got " + JsonKinds.describe(value));
        }
        try {
            return decodeBase64(value.asString());
        } catch (BadImageException e) {
            throw new Problem(at, e.getMessage());
        }
    }

    static byte[] decodeBase64(String text) throws BadImageException {
        int start = 0;
        if (text.startsWith(DATA_URL)) {
            int marker = text.indexOf(BASE64_MARKER);
            if (marker < 0) {
                throw new BadImageException("expected base64, got a data URL that is not base64 (no ';base64,')");
            }
            start = marker + BASE64_MARKER.length();
        }
        StringBuilder compact = new StringBuilder(text.length() - start);
        int padding = 0;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                continue;
            }
            boolean alphabet =
                    (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
            if (c == '=') {
                padding++;
            } else if (!alphabet || padding > 0) {
                throw new BadImageException("expected base64 (A-Z, a-z, 0-9, '+', '/', '=' padding), got "
                        + (alphabet ? "'" + c + "' after the '=' padding" : describe(c)) + " at position " + i);
            }
            compact.append(c);
        }
        if (compact.isEmpty()) {
            throw new BadImageException("expected base64 of a PNG or JPEG file, got an empty string");
        }
        int data = compact.length() - padding;
        if (padding > 2 || data % 4 == 1 || (padding > 0 && compact.length() % 4 != 0)) {
            throw new BadImageException("expected base64, got " + compact.length()
                    + " base64 characters that do not make whole bytes (truncated or mis-padded)");
        }
        try {
            return Base64.getDecoder().decode(compact.toString());
        } catch (IllegalArgumentException e) {
            throw new BadImageException("expected base64, got text the base64 decoder refuses");
        }
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7F ? "the character '" + c + "'" : String.format("the character U+%04X", (int) c);
    }

    /** One instance is wrong at {@link #pointer()}. */
    static final class Problem extends Exception {

        private final String pointer;

        Problem(String pointer, String detail) {
            super(detail, null, false, false);
            this.pointer = pointer;
        }

        String pointer() {
            return pointer;
        }
    }
}
