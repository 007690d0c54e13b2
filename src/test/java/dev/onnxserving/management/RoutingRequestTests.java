package dev.onnxserving.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onnxserving.deployment.VersionPolicy;
import dev.onnxserving.pipeline.InvalidInputException;
import dev.onnxserving.registry.Routing;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class RoutingRequestTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode json(String text) {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void readsTheFullShapeOfTheContract() {
        RoutingRequest request = RoutingRequest.from(json("{'default': '2', 'weights': {'2': 90, '3': 10},"
                + " 'sticky-header': 'X-User-Id', 'labels': {'stable': '2', 'canary': 3},"
                + " 'shadow': {'version': '3', 'fraction': 0.1}, 'versions': 'latest:2'}"));
        assertThat(request.routing())
                .isEqualTo(new Routing(
                        2L,
                        Map.of(2L, 90, 3L, 10),
                        "X-User-Id",
                        Map.of("stable", 2L, "canary", 3L),
                        new Routing.Shadow(3, 0.1)));
        assertThat(request.policy()).isEqualTo(new VersionPolicy.Latest(2));
    }

    @Test
    void readsAnEmptyObjectAsNoRouting() {
        RoutingRequest request = RoutingRequest.from(json("{}"));
        assertThat(request.routing()).isEqualTo(Routing.NONE);
        assertThat(request.policy()).isNull();
    }

    @Test
    void namesAnUnknownField() {
        assertThatThrownBy(() -> RoutingRequest.from(json("{'weight': {'2': 1}}")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("/weight: unknown field 'weight'");
    }

    @Test
    void namesAVersionThatIsNotANumber() {
        assertThatThrownBy(() -> RoutingRequest.from(json("{'labels': {'stable': '../2'}}")))
                .hasMessageStartingWith("/labels/stable: expected a version number such as \"2\", got");
        assertThatThrownBy(() -> RoutingRequest.from(json("{'weights': {'02': 1}}")))
                .hasMessage("/weights/02: expected a version number as key, got '02'");
    }

    @Test
    void namesAWeightThatIsNotAWholeNumber() {
        assertThatThrownBy(() -> RoutingRequest.from(json("{'weights': {'2': 0.5}}")))
                .hasMessageStartingWith("/weights/2: expected a whole number of 0 or more, got");
    }

    @Test
    void namesAPolicyItCannotRead() {
        assertThatThrownBy(() -> RoutingRequest.from(json("{'versions': 'newest'}")))
                .hasMessageStartingWith("/versions: expected 'latest'");
    }
}
