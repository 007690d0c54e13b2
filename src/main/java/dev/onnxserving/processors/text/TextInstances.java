package dev.onnxserving.processors.text;

import dev.onnxserving.pipeline.InvalidInputException.FieldError;
import dev.onnxserving.pipeline.JsonKinds;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Reads one text instance: a JSON string, or an uploaded file (a binary node) holding UTF-8 text. A text must be
 * valid Unicode (no unpaired surrogates, which JSON's {@code \\uD800} escapes can produce) and not empty.
 */
final class TextInstances {

    private TextInstances() {}

    /**
     * @return the text, or {@code null} after adding what is wrong with it to {@code errors}
     */
    static String read(JsonNode instance, String pointer, List<FieldError> errors) {
        String text;
        if (instance.isString()) {
            text = instance.asString();
        } else if (instance.isBinary()) {
            text = decodeUtf8(instance.binaryValue(), pointer, errors);
            if (text == null) {
                return null;
            }
        } else {
            errors.add(new FieldError(pointer, "expected a text (a JSON string), got " + JsonKinds.describe(instance)));
            return null;
        }
        if (text.isEmpty()) {
            errors.add(new FieldError(
                    pointer,
                    "expected a non-empty text, got " + (instance.isBinary() ? "an empty file" : "an empty string")));
            return null;
        }
        int surrogate = unpairedSurrogate(text);
        if (surrogate >= 0) {
            errors.add(new FieldError(
                    pointer,
                    "expected valid Unicode text, got an unpaired surrogate \\u"
                            + HexFormat.of().withUpperCase().toHexDigits(text.charAt(surrogate)) + " at character "
                            + surrogate));
            return null;
        }
        return text;
    }

    /** The index of the first surrogate that is not part of a high-low pair, or -1. */
    static int unpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    private static String decodeUtf8(byte[] bytes, String pointer, List<FieldError> errors) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate((int) Math.ceil(bytes.length * (double) decoder.maxCharsPerByte()));
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            errors.add(new FieldError(
                    pointer,
                    "expected UTF-8 text, got a file of " + bytes.length + " bytes that is not UTF-8 (byte 0x"
                            + HexFormat.of().toHexDigits(bytes[Math.min(offset, bytes.length - 1)]) + " at offset "
                            + offset + ")"));
            return null;
        }
        return out.flip().toString();
    }
}
