package dev.onnxserving.web;

import dev.onnxserving.pipeline.ErrorKind;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.method.HandlerMethod;

/**
 * Documents the failures of every operation from the one error mapping: each kind the handler {@link Raises} with the
 * status {@link ErrorAnswers#status} gives it, and, for an operation with a request body, the body's own
 * failures (unreadable, too large, a content type it does not take). The body is {@code {"error": "..."}} under
 * {@code /v2} and problem details elsewhere, as the handler writes them. A status the controller documents itself
 * (a readiness 503 with its own body) is left as it is.
 */
@Component
class ErrorResponses implements OperationCustomizer {

    private static final String PROBLEM = "Problem";
    private static final String V2_ERROR = "v2.Error";
    private static final String SCHEMAS = "#/components/schemas/";

    @Override
    public Operation customize(Operation operation, HandlerMethod handler) {
        Map<HttpStatus, Failures> failures = new TreeMap<>();
        for (ErrorKind kind : raised(handler)) {
            add(failures, kind, describe(kind));
        }
        if (operation.getRequestBody() != null) {
            add(failures, ErrorKind.INVALID_INPUT, "unreadable body");
            add(failures, ErrorKind.PAYLOAD_TOO_LARGE, "body over serving.limits.max-request-size");
            add(failures, ErrorKind.UNSUPPORTED_MEDIA_TYPE, "a content type the operation does not take");
        }
        if (operation.getResponses() == null) {
            operation.responses(new ApiResponses());
        }
        boolean openInference = paths(handler).allMatch(ErrorAnswers::isOpenInferenceProtocol);
        failures.forEach((status, failure) -> operation
                .getResponses()
                .computeIfAbsent(Integer.toString(status.value()), code -> failure.response(openInference)));
        return operation;
    }

    private static void add(Map<HttpStatus, Failures> failures, ErrorKind kind, String description) {
        Failures failure = failures.computeIfAbsent(ErrorAnswers.status(kind), status -> new Failures());
        failure.descriptions.add(description);
        failure.retryAfter |= ErrorAnswers.headers(kind).containsHeader(HttpHeaders.RETRY_AFTER);
    }

    /** The failures that share a status: what they are, and whether any of them carries Retry-After. */
    private static final class Failures {
        private final List<String> descriptions = new ArrayList<>();
        private boolean retryAfter;

        ApiResponse response(boolean openInference) {
            MediaType body =
                    new MediaType().schema(new Schema<>().$ref(SCHEMAS + (openInference ? V2_ERROR : PROBLEM)));
            String mediaType = openInference
                    ? org.springframework.http.MediaType.APPLICATION_JSON_VALUE
                    : org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;
            ApiResponse response = new ApiResponse()
                    .description(String.join("; ", descriptions))
                    .content(new Content().addMediaType(mediaType, body));
            if (retryAfter) {
                response.addHeaderObject(
                        HttpHeaders.RETRY_AFTER,
                        new Header()
                                .description("seconds to wait before trying again")
                                .schema(new IntegerSchema()));
            }
            return response;
        }
    }

    private static Set<ErrorKind> raised(HandlerMethod handler) {
        return Stream.of(
                        AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(), Raises.class),
                        AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), Raises.class))
                .filter(Objects::nonNull)
                .flatMap(raises -> Arrays.stream(raises.value()))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** {@code NOT_READY} as {@code not ready}. */
    private static String describe(ErrorKind kind) {
        return kind.name().replace('_', ' ').toLowerCase(Locale.ROOT);
    }

    /** The paths the handler is mapped to, the controller's prefix included. */
    private static Stream<String> paths(HandlerMethod handler) {
        RequestMapping type = AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(), RequestMapping.class);
        RequestMapping method = AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), RequestMapping.class);
        List<String> prefixes = type == null || type.path().length == 0 ? List.of("") : List.of(type.path());
        List<String> suffixes = method == null || method.path().length == 0 ? List.of("") : List.of(method.path());
        return prefixes.stream().flatMap(prefix -> suffixes.stream().map(suffix -> prefix + suffix));
    }
}
