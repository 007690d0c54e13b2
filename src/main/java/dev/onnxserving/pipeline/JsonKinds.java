package dev.onnxserving.pipeline;

import tools.jackson.databind.JsonNode;

/** Names JSON values for error messages: "a string", "an array of 3", "an object", never the whole value. */
public final class JsonKinds {

    private static final int SHOWN_CHARACTERS = 40;

    private JsonKinds() {}

    public static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isArray()) {
            return "an array of " + node.size();
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isString()) {
            String text = node.asString();
            return text.length() > SHOWN_CHARACTERS
                    ? "a string of " + text.length() + " characters"
                    : "the string \"" + text + "\"";
        }
        if (node.isBinary()) {
            return "a file of " + node.binaryValue().length + " bytes";
        }
        if (node.isBoolean()) {
            return "the boolean " + node.booleanValue();
        }
        return "the number " + node;
    }
}
