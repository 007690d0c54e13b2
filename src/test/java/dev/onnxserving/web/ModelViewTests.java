package dev.onnxserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.registry.ModelOrigin;
import dev.onnxserving.registry.ModelStatus;
import dev.onnxserving.testing.Http;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** How {@code /models} shows where a sourced model and each of its versions come from. */
class ModelViewTests {

    @Test
    void showsTheSourceLocationLastSyncFailureAndEachVersionsDigest() {
        ModelOrigin origin = new ModelOrigin(
                "s3://bucket/models/iris",
                Optional.of(Instant.parse("2026-12-04T21:00:00Z")),
                Optional.of("unreachable: connection refused"),
                Map.of(2L, new ModelOrigin.CachedVersion("s3://bucket/models/iris", "sha256:abc")));

        ModelStatus iris = ModelsControllerTests.IRIS;
        ModelStatus sourced = new ModelStatus(
                iris.name(),
                iris.description(),
                iris.preprocessor(),
                iris.postprocessor(),
                iris.policy(),
                iris.defaultVersion(),
                iris.versions(),
                iris.routing(),
                iris.refusedConfiguration(),
                Optional.of(origin));

        JsonNode view = Http.JSON.valueToTree(ModelView.of(sourced));

        assertThat(view.path("source").path("location").asString()).isEqualTo("s3://bucket/models/iris");
        assertThat(view.path("source").path("last_sync").asString()).isEqualTo("2026-12-04T21:00:00Z");
        assertThat(view.path("source").path("failure").asString()).isEqualTo("unreachable: connection refused");
        assertThat(view.path("versions").get(1).path("digest").asString()).isEqualTo("sha256:abc");
        assertThat(view.path("versions").get(1).path("source").asString()).isEqualTo("s3://bucket/models/iris");
        assertThat(view.path("versions").get(0).has("digest"))
                .as("version 1 is not cached")
                .isFalse();
    }

    @Test
    void aLocalModelHasNoSource() {
        JsonNode view = Http.JSON.valueToTree(ModelView.of(ModelsControllerTests.IRIS));

        assertThat(view.has("source")).isFalse();
        assertThat(view.path("versions").get(0).has("digest")).isFalse();
    }
}
