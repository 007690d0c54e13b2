package dev.onnxserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.observability.ServingMetrics.Outcome;
import dev.onnxserving.pipeline.CapacityExceededException;
import dev.onnxserving.pipeline.DeadlineExceededException;
import dev.onnxserving.pipeline.ErrorKind;
import dev.onnxserving.pipeline.ForbiddenException;
import dev.onnxserving.pipeline.InferenceFailedException;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.ModelConfigurationException;
import dev.onnxserving.pipeline.ModelNotFoundException;
import dev.onnxserving.pipeline.ModelNotReadyException;
import dev.onnxserving.pipeline.ModelStateConflictException;
import dev.onnxserving.pipeline.PayloadTooLargeException;
import dev.onnxserving.pipeline.ServingException;
import dev.onnxserving.pipeline.ShuttingDownException;
import dev.onnxserving.pipeline.UnauthorizedException;
import dev.onnxserving.pipeline.UnsupportedMediaTypeException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;

/** Each serving exception says its kind; status, headers, body shape and metric outcome all follow from the kind. */
class ErrorAnswersTests {

    static Stream<Arguments> exceptions() {
        return Stream.of(
                Arguments.of(new InvalidInputException("x"), ErrorKind.INVALID_INPUT, 400, null, Outcome.CLIENT_ERROR),
                Arguments.of(new ModelNotFoundException("x"), ErrorKind.NOT_FOUND, 404, null, Outcome.CLIENT_ERROR),
                Arguments.of(new ModelNotReadyException("x"), ErrorKind.NOT_READY, 503, "1", Outcome.NOT_READY),
                Arguments.of(
                        new CapacityExceededException("x"), ErrorKind.CAPACITY_EXCEEDED, 429, "1", Outcome.REFUSED),
                Arguments.of(
                        new DeadlineExceededException("x"), ErrorKind.DEADLINE_EXCEEDED, 503, "1", Outcome.EXPIRED),
                Arguments.of(new ShuttingDownException(), ErrorKind.SHUTTING_DOWN, 503, "1", Outcome.NOT_READY),
                Arguments.of(new ModelStateConflictException("x"), ErrorKind.CONFLICT, 409, null, Outcome.CLIENT_ERROR),
                Arguments.of(
                        new PayloadTooLargeException(1), ErrorKind.PAYLOAD_TOO_LARGE, 413, null, Outcome.CLIENT_ERROR),
                Arguments.of(
                        new UnsupportedMediaTypeException("x"),
                        ErrorKind.UNSUPPORTED_MEDIA_TYPE,
                        415,
                        null,
                        Outcome.CLIENT_ERROR),
                Arguments.of(new UnauthorizedException("x"), ErrorKind.UNAUTHORIZED, 401, null, Outcome.CLIENT_ERROR),
                Arguments.of(new ForbiddenException("x"), ErrorKind.FORBIDDEN, 403, null, Outcome.CLIENT_ERROR),
                Arguments.of(
                        new ModelConfigurationException("x"),
                        ErrorKind.MODEL_MISCONFIGURED,
                        500,
                        null,
                        Outcome.SERVER_ERROR),
                Arguments.of(
                        new InferenceFailedException("x"),
                        ErrorKind.INFERENCE_FAILED,
                        500,
                        null,
                        Outcome.SERVER_ERROR));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("exceptions")
    void everyExceptionsKindDecidesStatusRetryAfterAndOutcome(
            ServingException e, ErrorKind kind, int status, String retryAfter, Outcome outcome) {
        ResponseEntity<Object> answer = ErrorAnswers.answer("/predict", e.kind(), "x", List.of(), new HttpHeaders());

        assertThat(e.kind()).isEqualTo(kind);
        assertThat(answer.getStatusCode().value()).isEqualTo(status);
        assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo(retryAfter);
        assertThat(Outcome.of(kind)).isEqualTo(outcome);
    }

    /** The container's errors know only a status: it maps back to a kind of that same status. */
    @ParameterizedTest
    @EnumSource(ErrorKind.class)
    void aStatusMapsBackToAKindOfTheSameStatus(ErrorKind kind) {
        int status = ErrorAnswers.status(kind).value();

        assertThat(ErrorAnswers.status(ErrorAnswers.kindOf(status)).value()).isEqualTo(status);
    }

    @Test
    void v2PathsGetTheProtocolsShapeOthersAProblemDocument() {
        ResponseEntity<Object> v2 =
                ErrorAnswers.answer("/v2/models/m/infer", ErrorKind.NOT_FOUND, "gone", List.of(), new HttpHeaders());
        ResponseEntity<Object> problem =
                ErrorAnswers.answer("/v2x", ErrorKind.NOT_FOUND, "gone", List.of(), new HttpHeaders());

        assertThat(v2.getBody()).isEqualTo(java.util.Map.of("error", "gone"));
        assertThat(v2.getHeaders().getContentType()).hasToString("application/json");
        assertThat(problem.getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(problem.getBody())
                .isEqualTo(java.util.Map.of(
                        "type", "https://onnx-serving.dev/problems/not-found",
                        "title", "Not Found",
                        "status", 404,
                        "detail", "gone",
                        "instance", "/v2x"));
    }

    @Test
    void anUnauthorizedAnswerAsksForABearerTokenAndAShutdownRefusalClosesTheConnection() {
        assertThat(ErrorAnswers.headers(ErrorKind.UNAUTHORIZED).getFirst(HttpHeaders.WWW_AUTHENTICATE))
                .isEqualTo("Bearer");
        assertThat(ErrorAnswers.headers(ErrorKind.SHUTTING_DOWN).getFirst(HttpHeaders.CONNECTION))
                .isEqualTo("close");
    }
}
