package dev.onnxserving.web;

import dev.onnxserving.pipeline.ErrorKind;
import dev.onnxserving.pipeline.InvalidInputException.FieldError;
import dev.onnxserving.protocol.Problems;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The one mapping from an {@link ErrorKind} to an HTTP answer: status, {@code Retry-After} and
 * {@code WWW-Authenticate}, and the body shape of the path, {@code {"error": "..."}} under {@code /v2} (the Open
 * Inference Protocol's) and an RFC 9457 problem document everywhere else.
 */
final class ErrorAnswers {

    static final String RETRY_AFTER_SECONDS = "1";

    private ErrorAnswers() {}

    static HttpStatus status(ErrorKind kind) {
        return Problems.status(kind);
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
        HttpHeaders all = headers(kind);
        all.addAll(headers);
        return ResponseEntity.status(status(kind))
                .headers(all)
                .contentType(contentType(path))
                .body(body(path, kind, detail, errors));
    }

    /** The headers every answer of this kind carries. */
    static HttpHeaders headers(ErrorKind kind) {
        HttpHeaders headers = new HttpHeaders();
        switch (kind) {
            case NOT_READY, DEADLINE_EXCEEDED, CAPACITY_EXCEEDED ->
                headers.set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
            case SHUTTING_DOWN -> {
                headers.set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
                headers.set(HttpHeaders.CONNECTION, "close");
            }
            case UNAUTHORIZED -> headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            default -> {}
        }
        return headers;
    }

    static MediaType contentType(String path) {
        return isOpenInferenceProtocol(path) ? MediaType.APPLICATION_JSON : MediaType.APPLICATION_PROBLEM_JSON;
    }

    /** {@code {"error": detail}} under {@code /v2}, else an RFC 9457 problem document. */
    static Map<String, Object> body(String path, ErrorKind kind, String detail, List<FieldError> errors) {
        if (isOpenInferenceProtocol(path)) {
            return Map.of("error", detail);
        }
        return Problems.document(path, kind, detail, errors);
    }

    static boolean isOpenInferenceProtocol(String path) {
        return path != null && (path.equals("/v2") || path.startsWith("/v2/"));
    }
}
