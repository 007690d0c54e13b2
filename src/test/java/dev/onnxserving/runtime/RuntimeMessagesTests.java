package dev.onnxserving.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RuntimeMessagesTests {

    @Test
    void removesPathsAndSourceLocations() {
        String cleaned = RuntimeMessages.clean("Load model from /srv/models/iris/2/model.onnx failed: at "
                + "/onnxruntime_src/onnxruntime/core/graph.cc:123 something");

        assertThat(cleaned)
                .isEqualTo("Load model from <path> failed: at <path> something")
                .doesNotContain("/srv");
    }

    @Test
    void boundsTheLengthAndFillsEmptyMessages() {
        assertThat(RuntimeMessages.clean("x".repeat(2000))).hasSize(503);
        assertThat(RuntimeMessages.clean(null)).isEqualTo("no details");
    }
}
