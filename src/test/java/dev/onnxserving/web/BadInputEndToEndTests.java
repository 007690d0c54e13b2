package dev.onnxserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.ServingEndToEndTest;
import java.net.http.HttpRequest;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

/** Every client mistake gets a 4xx problem that says what was wrong; none gets a 5xx or leaks internals. */
@ServingEndToEndTest
class BadInputEndToEndTests {

    @Autowired
    Http http;

    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"instances\": [", 400, "malformed JSON"),
                Arguments.of(
                        "malformed JSON in our own words",
                        "{\n  \"instances\": [[5.1, 3.5, 1.4, 0.2]]\n  \"parameters\": {}\n}",
                        400,
                        "malformed JSON at line 3, column 3: expected ',' or '}' after a field value, got '\"'"),
                Arguments.of(
                        "a key twice",
                        "{\"instances\": [], \"instances\": [[5.1, 3.5, 1.4, 0.2]]}",
                        400,
                        "/instances: duplicate key 'instances': a key may appear once"),
                Arguments.of(
                        "a feature twice",
                        "{\"instances\": [{\"sepal_length\": 5.1, \"sepal_length\": 5.2, \"sepal_width\": 3.5,"
                                + " \"petal_length\": 1.4, \"petal_width\": 0.2}]}",
                        400,
                        "/instances/0/sepal_length: duplicate key 'sepal_length': a key may appear once"),
                Arguments.of(
                        "top_k null",
                        "{\"instances\": [[5.1, 3.5, 1.4, 0.2]], \"parameters\": {\"top_k\": null}}",
                        400,
                        "/parameters/top_k: expected a string, number or boolean, got null"),
                Arguments.of(
                        "parameters null",
                        "{\"instances\": [[5.1, 3.5, 1.4, 0.2]], \"parameters\": null}",
                        400,
                        "/parameters: expected an object, got null"),
                Arguments.of("not an object", "[1, 2]", 400, "expected a JSON object"),
                Arguments.of("instances missing", "{}", 400, "/instances: expected a non-empty array"),
                Arguments.of("instances not an array", "{\"instances\": {}}", 400, "got an object"),
                Arguments.of("instances empty", "{\"instances\": []}", 400, "expected at least one instance"),
                Arguments.of("unknown top-level field", "{\"instance\": []}", 400, "unknown field 'instance'"),
                Arguments.of(
                        "a string where a number goes",
                        "{\"instances\": [{\"sepal_length\": \"5.1\", \"sepal_width\": 3.5, \"petal_length\": 1.4,"
                                + " \"petal_width\": 0.2}]}",
                        400,
                        "/instances/0/sepal_length"),
                Arguments.of("the string NaN", "{\"instances\": [[\"NaN\", 3.5, 1.4, 0.2]]}", 400, "/instances/0/0"),
                Arguments.of("a bare NaN token", "{\"instances\": [[NaN, 3.5, 1.4, 0.2]]}", 400, "malformed JSON"),
                Arguments.of(
                        "a missing feature",
                        "{\"instances\": [{\"sepal_length\": 5.1, \"sepal_width\": 3.5, \"petal_length\": 1.4}]}",
                        400,
                        "/instances/0/petal_width"),
                Arguments.of(
                        "an unknown feature",
                        "{\"instances\": [{\"sepal_length\": 5.1, \"sepal_width\": 3.5, \"petal_length\": 1.4,"
                                + " \"petal_width\": 0.2, \"colour\": 1}]}",
                        400,
                        "colour"),
                Arguments.of("too few features", "{\"instances\": [[5.1, 3.5, 1.4]]}", 400, "/instances/0"),
                Arguments.of("too many features", "{\"instances\": [[5.1, 3.5, 1.4, 0.2, 9]]}", 400, "/instances/0"),
                Arguments.of(
                        "an array of the wrong shape",
                        "{\"instances\": [[[5.1, 3.5], [1.4, 0.2]]]}",
                        400,
                        "/instances/0"),
                Arguments.of("a number as instance", "{\"instances\": [5]}", 400, "/instances/0"),
                Arguments.of(
                        "top_k that is not a positive whole number",
                        "{\"instances\": [[5.1, 3.5, 1.4, 0.2]], \"parameters\": {\"top_k\": \"three\"}}",
                        400,
                        "/parameters/top_k"),
                Arguments.of(
                        "deeply nested JSON",
                        "{\"instances\": " + "[".repeat(5000) + "]".repeat(5000) + "}",
                        400,
                        "nesting depth"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void badBodiesAreClientErrorsNamingTheField(String what, String body, int status, String detail) {
        var response = http.postJson("/models/iris/predict", body);

        assertThat(response.status()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("status").intValue()).isEqualTo(status);
        assertThat(response.json().get("detail").asString()).contains(detail);
        assertNoInternals(response.text());
    }

    @Test
    void allFieldErrorsOfARequestAreListedWithPointers() {
        var response = http.postJson("/models/iris/predict", """
                {"instances": [
                  {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2},
                  {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4},
                  {"sepal_length": "x", "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}
                ]}
                """);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").findValuesAsString("pointer"))
                .contains("/instances/1/petal_width", "/instances/2/sepal_length");
    }

    static Stream<Arguments> unknownTargets() {
        return Stream.of(
                Arguments.of("/models/nope/predict", "no model 'nope'"),
                Arguments.of("/models/iris/versions/7/predict", "has no loaded version 7"),
                Arguments.of("/models/iris/versions/01/predict", "has no version '01'"),
                Arguments.of("/models/iris/versions/abc/predict", "has no version 'abc'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unknownTargets")
    void unknownModelsAndVersionsAreNotFound(String path, String detail) {
        var response = http.postJson(path, "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("detail").asString()).contains(detail);
    }

    @Test
    void anUnknownModelInTheListingIsNotFound() {
        var response = http.get("/models/nope");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aBodyLargerThanTheLimitIsRefusedWith413() {
        byte[] body = new byte[50 * 1024 * 1024];
        java.util.Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        body[body.length - 1] = '}';

        var response = http.post(
                "/models/iris/predict",
                HttpRequest.BodyPublishers.ofByteArray(body),
                java.util.Map.of("Content-Type", "application/json"));

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json().get("detail").asString()).contains("larger than the limit");
    }

    @Test
    void aBodyWithoutContentLengthIsCountedAsItStreams() {
        Supplier<java.io.InputStream> endless = () -> new java.io.InputStream() {
            private long left = 12L * 1024 * 1024;

            @Override
            public int read() {
                return left-- > 0 ? ' ' : -1;
            }
        };

        var response = http.post(
                "/models/iris/predict",
                HttpRequest.BodyPublishers.ofInputStream(endless),
                java.util.Map.of("Content-Type", "application/json"));

        assertThat(response.status()).isEqualTo(413);
    }

    @Test
    void aWrongContentTypeIs415() {
        var response = http.post(
                "/models/iris/predict",
                HttpRequest.BodyPublishers.ofString("sepal_length=5.1"),
                java.util.Map.of("Content-Type", "text/plain"));

        assertThat(response.status()).isEqualTo(415);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aMissingBodyIsABadRequest() {
        var response = http.post(
                "/models/iris/predict",
                HttpRequest.BodyPublishers.noBody(),
                java.util.Map.of("Content-Type", "application/json"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asString()).contains("request body is missing");
    }

    @Test
    void anUnknownPathIs404Problem() {
        var response = http.get("/no/such/path");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    static void assertNoInternals(String body) {
        assertThat(body).doesNotContain("Exception", "\tat ", "dev.onnxserving", "/work/", ".java");
    }
}
