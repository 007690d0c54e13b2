package dev.onnxserving.web;

import dev.onnxserving.pipeline.ErrorKind;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.PayloadTooLargeException;
import dev.onnxserving.pipeline.ServingException;
import dev.onnxserving.protocol.JsonProblems;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;

/**
 * The one place failures become HTTP answers: every failure is translated into an {@link ErrorKind} and a message,
 * and {@link ErrorAnswers} makes the answer of the path's shape. No stack trace, class name or file path ever reaches
 * a body; unexpected failures are logged here with their stack trace instead.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    private final long maxRequestSize;

    ApiExceptionHandler(WebLimitsProperties limits) {
        this.maxRequestSize = limits.maxRequestSize().toBytes();
    }

    @ExceptionHandler(ServingException.class)
    ResponseEntity<Object> serving(ServingException e, HttpServletRequest request) {
        HttpStatus status = ErrorAnswers.status(e.kind());
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
        return ErrorAnswers.answer(path(request), e.kind(), e.getMessage(), errors, new HttpHeaders());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, HttpServletRequest request) {
        log.error("{} {} failed unexpectedly", request.getMethod(), request.getRequestURI(), e);
        return answer(request, ErrorKind.INTERNAL, "internal error; the server log has the details");
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        HttpServletRequest servletRequest = servlet(request);
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ServingException serving) {
                return serving(serving, servletRequest);
            }
            if (cause instanceof JacksonException json) {
                return serving(JsonProblems.translate(json), servletRequest);
            }
        }
        String message = e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")
                ? "request body is missing; expected a JSON object"
                : "request body is not readable JSON";
        return answer(servletRequest, ErrorKind.INVALID_INPUT, message);
    }

    /** A body that is not well-formed {@code multipart/form-data} (no boundary, cut short, unreadable part). */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<Object> multipart(MultipartException e, HttpServletRequest request) {
        String cause =
                e.getMostSpecificCause() == e ? null : e.getMostSpecificCause().getMessage();
        return answer(
                request,
                ErrorKind.INVALID_INPUT,
                "malformed multipart/form-data body: " + e.getMessage() + (cause == null ? "" : " (" + cause + ")"));
    }

    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(
            MaxUploadSizeExceededException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        long limit = e.getMaxUploadSize() > 0 ? e.getMaxUploadSize() : maxRequestSize;
        return serving(new PayloadTooLargeException(limit), servlet(request));
    }

    /** A body of a media type the endpoint does not take: the answer lists those it takes. */
    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(
            HttpMediaTypeNotSupportedException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String sent = e.getContentType() == null
                ? "a body without Content-Type"
                : "Content-Type '" + e.getContentType() + "'";
        String accepted = e.getSupportedMediaTypes().stream()
                .map(MediaType::toString)
                .sorted()
                .distinct()
                .collect(Collectors.joining(", "));
        return answer(
                request,
                ErrorKind.UNSUPPORTED_MEDIA_TYPE,
                sent + " is not supported here; send one of: " + accepted,
                headers);
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(
            NoResourceFoundException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return answer(request, ErrorKind.NOT_FOUND, ContainerErrors.detail(404, path(servlet(request))), headers);
    }

    /** Spring MVC's other exceptions (405, 406, missing parameters ...): the kind of their status, their detail. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception e, Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = body instanceof ProblemDetail problem && problem.getDetail() != null
                ? problem.getDetail()
                : HttpStatus.valueOf(status.value()).getReasonPhrase();
        return answer(request, ErrorAnswers.kindOf(status.value()), detail, headers);
    }

    private static ResponseEntity<Object> answer(
            WebRequest request, ErrorKind kind, String detail, HttpHeaders headers) {
        return ErrorAnswers.answer(path(servlet(request)), kind, detail, List.of(), headers);
    }

    private static HttpServletRequest servlet(WebRequest request) {
        return ((ServletWebRequest) request).getRequest();
    }

    private static ResponseEntity<Object> answer(HttpServletRequest request, ErrorKind kind, String detail) {
        return ErrorAnswers.answer(path(request), kind, detail, List.of(), new HttpHeaders());
    }

    static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }
}
