package dev.onnxserving.protocol;

import dev.onnxserving.pipeline.ErrorKind;
import dev.onnxserving.pipeline.InvalidInputException.FieldError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * The one mapping from an {@link ErrorKind} to the status it is answered with, and the RFC 9457 problem document
 * every adapter answers a failure with outside the Open Inference Protocol.
 */
public final class Problems {

    private static final String PROBLEM_TYPE_BASE = "https://onnx-serving.dev/problems/";

    private Problems() {}

    public static HttpStatus status(ErrorKind kind) {
        return switch (kind) {
            case INVALID_INPUT -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case METHOD_NOT_ALLOWED -> HttpStatus.METHOD_NOT_ALLOWED;
            case NOT_ACCEPTABLE -> HttpStatus.NOT_ACCEPTABLE;
            case NOT_READY, DEADLINE_EXCEEDED, SHUTTING_DOWN -> HttpStatus.SERVICE_UNAVAILABLE;
            case CAPACITY_EXCEEDED -> HttpStatus.TOO_MANY_REQUESTS;
            case CONFLICT -> HttpStatus.CONFLICT;
            case PAYLOAD_TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
            case UNSUPPORTED_MEDIA_TYPE -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
            case EXPECTATION_FAILED -> HttpStatus.EXPECTATION_FAILED;
            case UNAUTHORIZED -> HttpStatus.UNAUTHORIZED;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case MODEL_MISCONFIGURED, INFERENCE_FAILED, INTERNAL -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    }

    /**
     * A problem document: type, title, status, detail, the instance when known and the field errors when any.
     *
     * @param instance the request's path inside the application, or {@code null}
     */
    public static Map<String, Object> document(
            String instance, ErrorKind kind, String detail, List<FieldError> errors) {
        HttpStatus status = status(kind);
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put(
                "type",
                PROBLEM_TYPE_BASE
                        + status.getReasonPhrase().toLowerCase(Locale.ROOT).replace(' ', '-'));
        problem.put("title", status.getReasonPhrase());
        problem.put("status", status.value());
        problem.put("detail", detail);
        if (instance != null) {
            problem.put("instance", instance);
        }
        if (!errors.isEmpty()) {
            problem.put("errors", errors);
        }
        return problem;
    }
}
