package dev.onnxserving.pipeline;

import java.util.List;

/** The client sent something the model cannot take (HTTP 400). The message names the field, expectation and value. */
public class InvalidInputException extends ServingException {

    /**
     * One problem with one part of the request.
     *
     * @param pointer a JSON pointer into the request body, e.g. {@code /instances/3/petal_width}
     * @param detail what was expected and what came
     */
    public record FieldError(String pointer, String detail) {}

    private final List<FieldError> errors;

    public InvalidInputException(String message) {
        this(message, List.of());
    }

    public InvalidInputException(String message, List<FieldError> errors) {
        super(ErrorKind.INVALID_INPUT, message);
        this.errors = List.copyOf(errors);
    }

    /** A single problem at {@code pointer}; the message reads {@code <pointer>: <detail>}. */
    public static InvalidInputException at(String pointer, String detail) {
        return new InvalidInputException(pointer + ": " + detail, List.of(new FieldError(pointer, detail)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
