package dev.onnxserving.web;

import dev.onnxserving.pipeline.ErrorKind;
import dev.onnxserving.pipeline.InvalidInputException.FieldError;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * The one mapping from an {@link ErrorKind} to an HTTP answer: status, {@code Retry-After} and
 * {@code WWW-Authenticate}, and the body shape of the path, {@code {"error": "..."}} under {@code /v2} (the Open
 * Inference Protocol's) and an RFC 9457 problem document everywhere else.
 */
final class ErrorAnswers {

    static final String RETRY_AFTER_SECONDS = "1";
    private static final String PROBLEM_TYPE_BASE = "https://onnx-serving.dev/problems/";

    private ErrorAnswers() {}

    static HttpStatus status(ErrorKind kind) {
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

    /** The kind an answer of this status stands for, when only a status is known (the container's own errors). */
    static ErrorKind kindOf(int status) {
        for (ErrorKind kind : ErrorKind.values()) {
            if (status(kind).value() == status) {
                return kind;
            }
        }
        return status >= 400 && status < 500 ? ErrorKind.INVALID_INPUT : ErrorKind.INTERNAL;
    }

    /**
     * @param path the request's path inside the application, which decides the body's shape
     * @param headers extra headers (e.g. {@code Allow}); the kind's own are added
     */
    static ResponseEntity<Object> answer(
            String path, ErrorKind kind, String detail, List<FieldError> errors, HttpHeaders headers) {
        HttpStatus status = status(kind);
        HttpHeaders all = new HttpHeaders();
        all.putAll(headers);
        switch (kind) {
            case NOT_READY, DEADLINE_EXCEEDED, SHUTTING_DOWN, CAPACITY_EXCEEDED ->
                all.set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
            case UNAUTHORIZED -> all.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            default -> {}
        }
        if (isOpenInferenceProtocol(path)) {
            return ResponseEntity.status(status)
                    .headers(all)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("error", detail));
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(PROBLEM_TYPE_BASE + slug(status)));
        problem.setTitle(status.getReasonPhrase());
        if (!errors.isEmpty()) {
            problem.setProperty("errors", errors);
        }
        return ResponseEntity.status(status)
                .headers(all)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    static boolean isOpenInferenceProtocol(String path) {
        return path != null && (path.equals("/v2") || path.startsWith("/v2/"));
    }

    private static String slug(HttpStatus status) {
        return status.getReasonPhrase().toLowerCase(Locale.ROOT).replace(' ', '-');
    }
}
