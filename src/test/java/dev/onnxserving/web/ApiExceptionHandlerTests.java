package dev.onnxserving.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.onnxserving.pipeline.CapacityExceededException;
import dev.onnxserving.pipeline.DeadlineExceededException;
import dev.onnxserving.pipeline.ForbiddenException;
import dev.onnxserving.pipeline.InferenceFailedException;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.ModelNotFoundException;
import dev.onnxserving.pipeline.ModelNotReadyException;
import dev.onnxserving.pipeline.ModelStateConflictException;
import dev.onnxserving.pipeline.PayloadTooLargeException;
import dev.onnxserving.pipeline.UnauthorizedException;
import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.WebSlice;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The one error handler in a web slice (no models, no ONNX Runtime): every failure kind gets its status, its
 * headers and the body shape of its protocol, RFC 9457 problems outside {@code /v2}, {@code {"error": ...}} under
 * it, and never a class name, stack trace or file path.
 */
@WebMvcTest(controllers = ApiExceptionHandlerTests.Failing.class)
@Import({ApiExceptionHandlerTests.Failing.class, WebSlice.class})
class ApiExceptionHandlerTests {

    private static final Map<String, Supplier<RuntimeException>> FAILURES = Map.ofEntries(
            Map.entry("invalid-input", () -> new InvalidInputException("/instances/0: expected a number, got \"x\"")),
            Map.entry(
                    "invalid-fields",
                    () -> new InvalidInputException(
                            "2 instances are invalid",
                            List.of(
                                    new InvalidInputException.FieldError("/instances/0/a", "expected a number"),
                                    new InvalidInputException.FieldError("/instances/1", "missing field 'b'")))),
            Map.entry("not-found", () -> new ModelNotFoundException("no model 'nope'; models: [iris]")),
            Map.entry("not-ready", () -> new ModelNotReadyException("model 'iris' has no version ready")),
            Map.entry("deadline", () -> new DeadlineExceededException("deadline of 5 ms passed in the queue")),
            Map.entry("capacity", () -> new CapacityExceededException("queue of iris/2 is full (3 requests)")),
            Map.entry("too-large", () -> new PayloadTooLargeException(1024)),
            Map.entry("conflict", () -> new ModelStateConflictException("version 3 of iris is not loaded")),
            Map.entry("unauthorized", () -> new UnauthorizedException("missing Authorization: Bearer <key>")),
            Map.entry("forbidden", () -> new ForbiddenException("the key is not the management key")),
            Map.entry("inference-failed", () -> new InferenceFailedException("the model failed to run")),
            Map.entry("unexpected", () -> new IllegalStateException("at /work/secret/Path.java:12")));

    @Autowired
    MockMvc mvc;

    /** Throws the failure its path names, under {@code /predict}-like paths and under {@code /v2}. */
    @RestController
    static class Failing {
        @GetMapping({"/fail/{failure}", "/v2/fail/{failure}"})
        void fail(@PathVariable String failure) {
            throw FAILURES.get(failure).get();
        }

        @PostMapping(
                path = {"/echo", "/v2/echo"},
                consumes = MediaType.APPLICATION_JSON_VALUE)
        JsonNode echo(@RequestBody JsonNode body) {
            return body;
        }
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("invalid-input", 400, null),
                Arguments.of("not-found", 404, null),
                Arguments.of("not-ready", 503, "1"),
                Arguments.of("deadline", 503, "1"),
                Arguments.of("capacity", 429, "1"),
                Arguments.of("too-large", 413, null),
                Arguments.of("conflict", 409, null),
                Arguments.of("unauthorized", 401, null),
                Arguments.of("forbidden", 403, null),
                Arguments.of("inference-failed", 500, null),
                Arguments.of("unexpected", 500, null));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("failures")
    void everyFailureIsAProblemWithItsStatusAndRetryAfterWhereRetryingHelps(
            String failure, int status, String retryAfter) throws Exception {
        MockHttpServletResponse response = send(get("/fail/" + failure));

        assertThat(response.getStatus()).isEqualTo(status);
        assertThat(response.getHeader("Retry-After")).isEqualTo(retryAfter);
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        JsonNode problem = Http.JSON.readTree(response.getContentAsString());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("type").asString()).startsWith("https://onnx-serving.dev/problems/");
        assertThat(problem.get("detail").asString()).isEqualTo(expectedDetail(failure));
        assertNoInternals(response);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("failures")
    void underV2EveryFailureIsAnErrorObjectWithTheSameStatusAndHeaders(String failure, int status, String retryAfter)
            throws Exception {
        MockHttpServletResponse response = send(get("/v2/fail/" + failure));

        assertThat(response.getStatus()).isEqualTo(status);
        assertThat(response.getHeader("Retry-After")).isEqualTo(retryAfter);
        assertThat(response.getContentType()).isEqualTo("application/json");
        JsonNode body = Http.JSON.readTree(response.getContentAsString());
        assertThat(body.propertyNames()).containsExactly("error");
        assertThat(body.get("error").asString()).isEqualTo(expectedDetail(failure));
        assertNoInternals(response);
    }

    @Test
    void anUnauthorizedAnswerNamesTheSchemeToUse() throws Exception {
        assertThat(send(get("/fail/unauthorized")).getHeader("WWW-Authenticate"))
                .isEqualTo("Bearer");
    }

    @Test
    void fieldErrorsOfInvalidInputAreListedInTheProblem() throws Exception {
        JsonNode problem = Http.JSON.readTree(send(get("/fail/invalid-fields")).getContentAsString());

        assertThat(problem.get("detail").asString()).isEqualTo("2 instances are invalid");
        assertThat(problem.get("errors").toString())
                .isEqualTo("[{\"pointer\":\"/instances/0/a\",\"detail\":\"expected a number\"},"
                        + "{\"pointer\":\"/instances/1\",\"detail\":\"missing field 'b'\"}]");
    }

    @Test
    void malformedJsonSaysWhereItBroke() throws Exception {
        MockHttpServletResponse response =
                send(post("/echo").contentType(MediaType.APPLICATION_JSON).content("{\"instances\": ["));

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(Http.JSON
                        .readTree(response.getContentAsString())
                        .get("detail")
                        .asString())
                .isEqualTo("malformed JSON at line 1, column 16: expected ']' to close the array, got the end of the"
                        + " body");
    }

    @Test
    void aMissingBodySaysWhatWasExpected() throws Exception {
        MockHttpServletResponse response = send(post("/echo").contentType(MediaType.APPLICATION_JSON));

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(Http.JSON
                        .readTree(response.getContentAsString())
                        .get("detail")
                        .asString())
                .isEqualTo("request body is missing; expected a JSON object");
    }

    @Test
    void springMvcRefusalsHaveTheSameShapes() throws Exception {
        MockHttpServletResponse wrongMethod = send(get("/echo"));
        MockHttpServletResponse wrongType =
                send(post("/v2/echo").contentType(MediaType.TEXT_PLAIN).content("hello"));

        assertThat(wrongMethod.getStatus()).isEqualTo(405);
        assertThat(wrongMethod.getContentType()).isEqualTo("application/problem+json");
        assertThat(Http.JSON
                        .readTree(wrongMethod.getContentAsString())
                        .get("detail")
                        .asString())
                .isNotBlank();
        assertThat(wrongType.getStatus()).isEqualTo(415);
        assertThat(Http.JSON
                        .readTree(wrongType.getContentAsString())
                        .get("error")
                        .asString())
                .isNotBlank();
    }

    private MockHttpServletResponse send(RequestBuilder request) throws Exception {
        return mvc.perform(request).andReturn().getResponse();
    }

    private static String expectedDetail(String failure) {
        return switch (failure) {
            case "unexpected" -> "internal error; the server log has the details";
            default -> FAILURES.get(failure).get().getMessage();
        };
    }

    private static void assertNoInternals(MockHttpServletResponse response) throws Exception {
        assertThat(response.getContentAsString()).doesNotContain("Exception", "\tat ", ".java", "/work/", "trace");
    }
}
