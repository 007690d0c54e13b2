package dev.onnxserving.runtime;

import java.util.regex.Pattern;

/** Makes ONNX Runtime's messages fit for clients: no file-system paths, no source locations, bounded length. */
final class RuntimeMessages {

    private static final Pattern PATH = Pattern.compile("(?:[A-Za-z]:)?(?:[/\\\\][\\w.+\\-]+){2,}(?::\\d+)?");
    private static final int MAX_LENGTH = 500;

    private RuntimeMessages() {}

    static String clean(String message) {
        if (message == null || message.isBlank()) {
            return "no details";
        }
        String cleaned = PATH.matcher(message)
                .replaceAll("<path>")
                .replaceAll("\\s+", " ")
                .trim();
        return cleaned.length() > MAX_LENGTH ? cleaned.substring(0, MAX_LENGTH) + "..." : cleaned;
    }
}
