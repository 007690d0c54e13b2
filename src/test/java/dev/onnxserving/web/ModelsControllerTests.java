package dev.onnxserving.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.registry.ModelState;
import dev.onnxserving.registry.ModelStatus;
import dev.onnxserving.registry.Routing;
import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.WebSlice;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;

/** {@code /models} in a web slice with the registry mocked: how a model, its versions and signatures are shown. */
@WebMvcTest(ModelsController.class)
@Import(WebSlice.class)
class ModelsControllerTests {

    static final ModelSignature SIGNATURE = new ModelSignature(
            List.of(new TensorSpec("input", ElementType.FP32, -1, 4)),
            List.of(new TensorSpec("label", ElementType.INT64, -1)),
            Map.of("producer", "skl2onnx"));
    static final ModelStatus IRIS = new ModelStatus(
            "iris",
            "",
            "tabular",
            "classification",
            "all",
            Optional.of(2L),
            List.of(
                    new ModelStatus.VersionStatus(
                            1, ModelState.FAILED, "not an ONNX file", Instant.EPOCH, Optional.empty()),
                    new ModelStatus.VersionStatus(2, ModelState.READY, "", Instant.EPOCH, Optional.of(SIGNATURE))),
            Routing.NONE,
            Optional.empty(),
            Optional.empty());

    @Autowired
    MockMvc mvc;

    @MockitoBean
    ModelRegistry registry;

    @Test
    void listsEveryModelWithItsVersionsStatesAndSignatures() throws Exception {
        when(registry.status()).thenReturn(List.of(IRIS));

        MockHttpServletResponse response =
                mvc.perform(get("/models")).andReturn().getResponse();

        assertThat(response.getStatus()).isEqualTo(200);
        JsonNode iris = Http.JSON.readTree(response.getContentAsString()).get(0);
        assertThat(iris.get("name").asString()).isEqualTo("iris");
        assertThat(iris.has("description"))
                .as("an empty description is left out")
                .isFalse();
        assertThat(iris.get("ready").booleanValue()).isTrue();
        assertThat(iris.get("default_version").asString()).isEqualTo("2");
        assertThat(iris.get("version_policy").asString()).isEqualTo("all");
        assertThat(iris.get("preprocessor").asString()).isEqualTo("tabular");
        JsonNode failed = iris.get("versions").get(0);
        assertThat(failed.get("state").asString()).isEqualTo("FAILED");
        assertThat(failed.get("reason").asString()).isEqualTo("not an ONNX file");
        assertThat(failed.has("signature")).isFalse();
        JsonNode ready = iris.get("versions").get(1);
        assertThat(ready.has("reason")).isFalse();
        assertThat(ready.at("/signature/inputs/0").toString())
                .isEqualTo("{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,4]}");
        assertThat(ready.at("/signature/metadata/producer").asString()).isEqualTo("skl2onnx");
    }

    @Test
    void anUnknownModelIsNotFoundAndTheAnswerNamesTheModelsThereAre() throws Exception {
        when(registry.status("nope")).thenReturn(Optional.empty());
        when(registry.modelNames()).thenReturn(List.of("iris"));

        MockHttpServletResponse response =
                mvc.perform(get("/models/nope")).andReturn().getResponse();

        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(Http.JSON
                        .readTree(response.getContentAsString())
                        .get("detail")
                        .asString())
                .isEqualTo("no model 'nope'; models: [iris]");
    }
}
