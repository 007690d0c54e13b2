package dev.onnxserving.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.pipeline.ServingException;
import dev.onnxserving.protocol.JsonProblems;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/** Jackson's failures in our own words: where, what was expected, what came; nothing of the library shows. */
class JsonProblemsTests {

    private static final JsonMapper STRICT = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(
                            StreamReadConstraints.builder().maxNestingDepth(4).build())
                    .build())
            .build();

    private static ServingException problemOf(byte[] json) {
        JacksonException e = catchThrowableOfType(JacksonException.class, () -> STRICT.readTree(json));
        assertThat(e).as("expected a parser failure").isNotNull();
        return JsonProblems.translate(e);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "{\"a\": 1 x}                    | malformed JSON at line 1, column 9: expected ',' or '}' after a field value, got 'x'",
                "{\"a\": [1 2]}                  | malformed JSON at line 1, column 10: expected ',' or ']' after an array element, got '2'",
                "{\"a\" 1}                       | malformed JSON at line 1, column 6: expected ':' after a field name, got '1'",
                "{a: 1}                          | malformed JSON at line 1, column 2: expected a field name in double quotes, got 'a'",
                "{\"a\": tru}                    | malformed JSON at line 1, column 7: expected a JSON value (string, number, array, object, true, false or null), got 'tru'",
                "{\"a\": [1, 2}                  | malformed JSON at line 1, column 12: expected ']' to close the array, got '}'",
                "{\"a\": 1                       | malformed JSON at line 1, column 8: expected '}' to close the object, got the end of the body",
                "{\"a\": \"abc                   | malformed JSON at line 1, column 11: expected '\"' to end the string, got the end of the body",
                "{\"a\": 01}                     | malformed JSON at line 1, column 8: expected a valid JSON number, got a number with a leading zero",
                "{\"a\": NaN}                    | malformed JSON at line 1, column 10: expected a JSON value (string, number, array, object, true, false or null), got 'NaN'",
                "{\"a\": 1}}                     | malformed JSON at line 1, column 9: expected the end of the body, got '}'",
                "{\"instances\": [], \"instances\": [1]} | /instances: duplicate key 'instances': a key may appear once",
                "{\"i\": [{\"x\": 1, \"x\": 2}]} | /i/0/x: duplicate key 'x': a key may appear once",
                "[[[[[1]]]]]                     | JSON nesting depth exceeds the limit of 4 (serving.limits.max-json-depth)"
            })
    void parserFailuresAreToldInOurWords(String json, String message) {
        ServingException problem = problemOf(json.getBytes(StandardCharsets.UTF_8));

        assertThat(problem).isInstanceOf(InvalidInputException.class).hasMessage(message);
        assertThat(problem.getMessage()).doesNotContain("Source", "StreamRead", "REDACTED", "code ");
    }

    @Test
    void aGzipBodyReadAsJsonNamesTheControlCharacter() {
        ServingException problem = problemOf(new byte[] {0x1f, (byte) 0x8b, 8, 0});

        assertThat(problem)
                .hasMessage("malformed JSON at line 1, column 1: expected a JSON value (string, number, array,"
                        + " object, true, false or null), got the control character 0x1f");
    }

    @Test
    void invalidUtf8IsNamedAsSuch() {
        ServingException problem = problemOf(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0x9c, '"', '}'});

        assertThat(problem)
                .hasMessageStartingWith("request body is not valid UTF-8 at line 1, column ")
                .hasMessageEndingWith(": byte 0x9c cannot start a character");
    }
}
