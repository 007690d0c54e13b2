package dev.onnxserving.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onnxserving.pipeline.InvalidInputException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutingTests {

    @Test
    void refusesANegativeWeightNamingTheVersion() {
        assertThatThrownBy(() -> new Routing(null, Map.of(2L, -1), null, Map.of(), null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("/weights/2: expected a weight of 0 or more, got -1");
    }

    @Test
    void refusesWeightsThatAreAllZero() {
        assertThatThrownBy(() -> new Routing(null, Map.of(2L, 0, 3L, 0), null, Map.of(), null))
                .hasMessageStartingWith("/weights: expected at least one weight above 0");
    }

    @Test
    void refusesALabelThatIsNotASafeName() {
        assertThatThrownBy(() -> new Routing(null, Map.of(), null, Map.of("../x", 2L), null))
                .hasMessageContaining("/labels")
                .hasMessageContaining("'../x'");
    }

    @Test
    void refusesAStickyHeaderThatIsNotAHeaderName() {
        assertThatThrownBy(() -> new Routing(null, Map.of(2L, 1), "X User", Map.of(), null))
                .hasMessageStartingWith("/sticky-header: expected an HTTP header name");
    }

    @Test
    void refusesAShadowFractionOutsideZeroToOne() {
        assertThatThrownBy(() -> new Routing.Shadow(3, 1.5))
                .hasMessage("/shadow/fraction: expected a number from 0 to 1, got 1.5");
    }

    @Test
    void listsEveryVersionItNames() {
        Routing routing =
                new Routing(1L, Map.of(2L, 90, 3L, 10), null, Map.of("canary", 4L), new Routing.Shadow(5, 0.1));
        assertThat(routing.referencedVersions()).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(routing.isSplit()).isTrue();
        assertThat(Routing.NONE.isSplit()).isFalse();
    }
}
