package dev.onnxserving.processors;

import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.InvalidInputException.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the problems of one request so a client learns about all of them at once. Keeps the first {@link #LIMIT}
 * and counts the rest. Not thread-safe: one instance per request.
 */
final class Problems {

    static final int LIMIT = 20;

    private final List<FieldError> errors = new ArrayList<>();
    private int count;

    void add(String pointer, String detail) {
        if (errors.size() < LIMIT) {
            errors.add(new FieldError(pointer, detail));
        }
        count++;
    }

    /**
     * @throws InvalidInputException listing the kept problems, with the first one and the total count as its message
     */
    void throwIfAny() {
        if (count == 0) {
            return;
        }
        FieldError first = errors.get(0);
        String more = count == 1 ? "" : " (and " + (count - 1) + (count == 2 ? " more problem)" : " more problems)");
        throw new InvalidInputException(first.pointer() + ": " + first.detail() + more, errors);
    }
}
