package dev.onnxserving.web;

import dev.onnxserving.pipeline.CapacityExceededException;
import dev.onnxserving.pipeline.DeadlineExceededException;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.ModelNotFoundException;
import dev.onnxserving.pipeline.ModelNotReadyException;
import dev.onnxserving.pipeline.ModelStateConflictException;
import dev.onnxserving.pipeline.ServingException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;

/**
 * The one place failures become HTTP answers. {@code /v2} paths answer {@code {"error": "..."}} as the Open
 * Inference Protocol requires; everything else answers RFC 9457 problem details. No stack trace, class name or
 * file path ever reaches a body; unexpected failures are logged here with their stack trace instead.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    static final String RETRY_AFTER_SECONDS = "1";
    private static final String PROBLEM_TYPE_BASE = "https://onnx-serving.dev/problems/";

    private final long maxRequestSize;

    ApiExceptionHandler(WebLimitsProperties limits) {
        this.maxRequestSize = limits.maxRequestSize().toBytes();
    }

    @ExceptionHandler(ServingException.class)
    ResponseEntity<Object> serving(ServingException e, HttpServletRequest request) {
        HttpStatus status = statusOf(e);
        HttpHeaders headers = new HttpHeaders();
        if (status == HttpStatus.SERVICE_UNAVAILABLE || status == HttpStatus.TOO_MANY_REQUESTS) {
            headers.set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        if (status == HttpStatus.UNAUTHORIZED) {
            headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        if (status == HttpStatus.INTERNAL_SERVER_ERROR) {
            log.error("{} {} failed: {}", request.getMethod(), request.getRequestURI(), e.getMessage(), e.getCause());
        } else if (status.is5xxServerError()) {
            log.warn(
                    "{} {} answered {}: {}",
                    request.getMethod(),
                    request.getRequestURI(),
                    status.value(),
                    e.getMessage());
        }
        List<InvalidInputException.FieldError> errors =
                e instanceof InvalidInputException invalid ? invalid.errors() : List.of();
        return answer(request, status, e.getMessage(), errors, headers);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, HttpServletRequest request) {
        log.error("{} {} failed unexpectedly", request.getMethod(), request.getRequestURI(), e);
        return answer(
                request,
                HttpStatus.INTERNAL_SERVER_ERROR,
                "internal error; the server log has the details",
                List.of(),
                new HttpHeaders());
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        HttpServletRequest servletRequest = ((ServletWebRequest) request).getRequest();
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof PayloadTooLargeException tooLarge) {
                return serving(tooLarge, servletRequest);
            }
            if (cause instanceof StreamConstraintsException limit) {
                return answer(
                        servletRequest,
                        HttpStatus.BAD_REQUEST,
                        "request body exceeds a JSON limit: " + limit.getOriginalMessage(),
                        List.of(),
                        new HttpHeaders());
            }
            if (cause instanceof JacksonException json) {
                String problem = json.getOriginalMessage() != null
                                && json.getOriginalMessage().startsWith("Invalid UTF-8")
                        ? "request body is not valid UTF-8: "
                        : "malformed JSON: ";
                return answer(
                        servletRequest,
                        HttpStatus.BAD_REQUEST,
                        problem + json.getOriginalMessage() + location(json),
                        List.of(),
                        new HttpHeaders());
            }
        }
        String message = e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")
                ? "request body is missing; expected a JSON object"
                : "request body is not readable JSON";
        return answer(servletRequest, HttpStatus.BAD_REQUEST, message, List.of(), new HttpHeaders());
    }

    /** A body that is not well-formed {@code multipart/form-data} (no boundary, cut short, unreadable part). */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<Object> multipart(MultipartException e, HttpServletRequest request) {
        String cause =
                e.getMostSpecificCause() == e ? null : e.getMostSpecificCause().getMessage();
        return answer(
                request,
                HttpStatus.BAD_REQUEST,
                "malformed multipart/form-data body: " + e.getMessage() + (cause == null ? "" : " (" + cause + ")"),
                List.of(),
                new HttpHeaders());
    }

    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(
            MaxUploadSizeExceededException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        HttpServletRequest servletRequest = ((ServletWebRequest) request).getRequest();
        long limit = e.getMaxUploadSize() > 0 ? e.getMaxUploadSize() : maxRequestSize;
        return answer(
                servletRequest,
                HttpStatus.CONTENT_TOO_LARGE,
                "request body is larger than the limit of " + limit + " bytes (serving.limits.max-request-size)",
                List.of(),
                new HttpHeaders());
    }

    /** Spring MVC's own exceptions (405, 406, 415, no handler ...): same shapes, Spring's own wording. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception e, Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        HttpServletRequest servletRequest = ((ServletWebRequest) request).getRequest();
        String detail = body instanceof ProblemDetail problem && problem.getDetail() != null
                ? problem.getDetail()
                : HttpStatus.valueOf(status.value()).getReasonPhrase();
        return answer(servletRequest, HttpStatus.valueOf(status.value()), detail, List.of(), headers);
    }

    private static ResponseEntity<Object> answer(
            HttpServletRequest request,
            HttpStatus status,
            String detail,
            List<InvalidInputException.FieldError> errors,
            HttpHeaders headers) {
        if (isOpenInferenceProtocol(request)) {
            return ResponseEntity.status(status)
                    .headers(headers)
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
                .headers(headers)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    static boolean isOpenInferenceProtocol(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals("/v2") || path.startsWith("/v2/");
    }

    static HttpStatus statusOf(ServingException e) {
        if (e instanceof InvalidInputException) {
            return HttpStatus.BAD_REQUEST;
        }
        if (e instanceof ModelNotFoundException) {
            return HttpStatus.NOT_FOUND;
        }
        if (e instanceof ModelNotReadyException || e instanceof DeadlineExceededException) {
            return HttpStatus.SERVICE_UNAVAILABLE;
        }
        if (e instanceof CapacityExceededException) {
            return HttpStatus.TOO_MANY_REQUESTS;
        }
        if (e instanceof PayloadTooLargeException) {
            return HttpStatus.CONTENT_TOO_LARGE;
        }
        if (e instanceof ModelStateConflictException) {
            return HttpStatus.CONFLICT;
        }
        if (e instanceof UnauthorizedException) {
            return HttpStatus.UNAUTHORIZED;
        }
        if (e instanceof ForbiddenException) {
            return HttpStatus.FORBIDDEN;
        }
        return HttpStatus.INTERNAL_SERVER_ERROR;
    }

    private static String slug(HttpStatus status) {
        return status.getReasonPhrase().toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
    }

    private static String location(JacksonException e) {
        var location = e.getLocation();
        return location == null || location.getLineNr() < 0
                ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
