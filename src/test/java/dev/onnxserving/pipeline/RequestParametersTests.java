package dev.onnxserving.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

class RequestParametersTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static RequestParameters parameters(String json) {
        return RequestParameters.of(JSON.readTree(json));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"top_k\": 2}                    | 2",
                "{\"top_k\": 1, \"note\": \"x\"}     | 1",
                "{\"other\": true}                  | ",
                "{}                                | "
            })
    void readsTheWholeNumberOrNothingWhenAbsent(String json, Integer expected) {
        assertThat(parameters(json).integer("top_k", 1)).isEqualTo(java.util.Optional.ofNullable(expected));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "null                   | /parameters: expected an object, got null",
                "[1]                    | /parameters: expected an object, got an array of 1",
                "{\"top_k\": null}        | /parameters/top_k: expected a string, number or boolean, got null",
                "{\"seed\": [1, 2]}       | /parameters/seed: expected a string, number or boolean, got an array of 2",
                "{\"x\": {\"y\": 1}}        | /parameters/x: expected a string, number or boolean, got an object"
            })
    void refusesWhatIsNotAParameterObjectNamingThePointer(String json, String message) {
        assertThatThrownBy(() -> parameters(json))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"top_k\": 0}     | /parameters/top_k: expected a whole number of at least 1, got 0",
                "{\"top_k\": 1.5}   | /parameters/top_k: expected a whole number of at least 1, got 1.5",
                "{\"top_k\": \"3\"}   | /parameters/top_k: expected a whole number of at least 1, got \"3\""
            })
    void refusesAValueOfTheWrongKindForItsGetter(String json, String message) {
        assertThatThrownBy(() -> parameters(json).integer("top_k", 1))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(message);
    }
}
