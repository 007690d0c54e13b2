package dev.onnxserving.web;

import dev.onnxserving.pipeline.ErrorKind;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The error statuses the application's error mapping can answer with, for tests of the API documentation. */
public final class ErrorMapping {

    private ErrorMapping() {}

    /** The status of every {@link ErrorKind}, as the one error mapping answers it. */
    public static Set<Integer> statuses() {
        return Arrays.stream(ErrorKind.values())
                .map(kind -> ErrorAnswers.status(kind).value())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
