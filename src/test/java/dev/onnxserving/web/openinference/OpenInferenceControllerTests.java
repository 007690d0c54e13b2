package dev.onnxserving.web.openinference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.onnxserving.deployment.ServingReadiness;
import dev.onnxserving.inference.InferenceService;
import dev.onnxserving.inference.TensorResult;
import dev.onnxserving.pipeline.ElementType;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.TensorSpec;
import dev.onnxserving.pipeline.Tensors;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.RequestBuilder;
import tools.jackson.databind.JsonNode;

/**
 * The v2 REST endpoints in a web slice with the registry and the inference core mocked: health, metadata, the
 * mapping of model and version paths, and what reaches the core from an infer request.
 */
@WebMvcTest(OpenInferenceController.class)
@Import({WebSlice.class, ServerVersion.class})
class OpenInferenceControllerTests {

    private static final ModelSignature SIGNATURE = new ModelSignature(
            List.of(new TensorSpec("input", ElementType.FP32, -1, 4)),
            List.of(new TensorSpec("label", ElementType.INT64, -1)),
            Map.of());

    @Autowired
    MockMvc mvc;

    @MockitoBean
    ModelRegistry registry;

    @MockitoBean
    InferenceService inference;

    @MockitoBean
    ServingReadiness readiness;

    @Test
    void liveWhateverTheModels() throws Exception {
        MockHttpServletResponse response = send(get("/v2/health/live"));

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(json(response).toString()).isEqualTo("{\"live\":true}");
        verifyNoInteractions(registry);
    }

    @Test
    void readyFollowsTheServicesReadinessAndSaysWhyNotWithRetryAfter() throws Exception {
        when(readiness.verdict())
                .thenReturn(new ServingReadiness.Verdict(
                        false, "models found at start-up that have not served yet: [broken]", List.of()));
        MockHttpServletResponse waiting = send(get("/v2/health/ready"));
        when(readiness.verdict()).thenReturn(new ServingReadiness.Verdict(true, "", List.of(iris(ModelState.READY))));
        MockHttpServletResponse ready = send(get("/v2/health/ready"));

        assertThat(waiting.getStatus()).isEqualTo(503);
        assertThat(waiting.getHeader("Retry-After")).isEqualTo("1");
        assertThat(json(waiting).get("ready").booleanValue()).isFalse();
        assertThat(json(waiting).get("error").asString())
                .isEqualTo("models found at start-up that have not served yet: [broken]");
        assertThat(ready.getStatus()).isEqualTo(200);
        assertThat(json(ready).get("ready").booleanValue()).isTrue();
    }

    @Test
    void serverMetadataNamesTheBinaryExtensionAndNotTheRepositoryOneWithoutManagement() throws Exception {
        JsonNode server = json(send(get("/v2")));

        assertThat(server.get("name").asString()).isEqualTo("onnx-serving");
        assertThat(server.get("version").asString()).isNotBlank();
        assertThat(server.get("extensions").toString()).isEqualTo("[\"binary_tensor_data\"]");
    }

    @Test
    void modelMetadataShowsTheReadyVersionsAndTheDefaultVersionsSignature() throws Exception {
        when(registry.status("iris")).thenReturn(Optional.of(iris(ModelState.READY)));
        when(registry.readyVersions("iris")).thenReturn(List.of(2L));

        JsonNode metadata = json(send(get("/v2/models/iris")));

        assertThat(metadata.get("name").asString()).isEqualTo("iris");
        assertThat(metadata.get("versions").toString()).isEqualTo("[\"2\"]");
        assertThat(metadata.at("/inputs/0").toString())
                .isEqualTo("{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,4]}");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/v2/models/nope",
                "/v2/models/nope/ready",
                "/v2/models/iris/versions/7",
                "/v2/models/iris/versions/7/ready",
                "/v2/models/iris/versions/01",
                "/v2/models/iris/versions/latest/ready"
            })
    void unknownModelsAndVersionsAreNotFoundWithTheErrorShape(String path) throws Exception {
        when(registry.status("nope")).thenReturn(Optional.empty());
        when(registry.modelNames()).thenReturn(List.of("iris"));
        when(registry.status("iris")).thenReturn(Optional.of(iris(ModelState.READY)));

        MockHttpServletResponse response = send(get(path));

        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(response.getContentType()).isEqualTo("application/json");
        assertThat(json(response).propertyNames()).containsExactly("error");
        assertThat(json(response).get("error").asString())
                .matches("no model 'nope'; models: \\[iris]|model 'iris' has no version .*");
    }

    @Test
    void theMessagesOfNotFoundNameWhatThereIs() throws Exception {
        when(registry.status("iris")).thenReturn(Optional.of(iris(ModelState.READY)));

        assertThat(json(send(get("/v2/models/iris/versions/7"))).get("error").asString())
                .isEqualTo("model 'iris' has no version 7; versions: [2]");
        assertThat(json(send(get("/v2/models/iris/versions/02"))).get("error").asString())
                .isEqualTo("model 'iris' has no version '02'; versions are positive integers without leading zeros");
    }

    @Test
    void theMetadataOfALoadingVersionIsUnavailableForNow() throws Exception {
        when(registry.status("iris")).thenReturn(Optional.of(iris(ModelState.LOADING)));

        MockHttpServletResponse loading = send(get("/v2/models/iris/versions/2"));

        assertThat(loading.getStatus()).isEqualTo(503);
        assertThat(loading.getHeader("Retry-After")).isEqualTo("1");
        assertThat(json(loading).get("error").asString()).isEqualTo("model 'iris' version 2 is still LOADING");
    }

    @Test
    void inferHandsTheDecodedTensorsToTheCoreAndWritesItsOutputs() throws Exception {
        when(registry.status("iris")).thenReturn(Optional.of(iris(ModelState.READY)));
        when(inference.infer(eq("iris"), isNull(), any(), anyList(), any()))
                .thenReturn(new TensorResult(
                        "iris", 2, SIGNATURE, Tensors.of("label", Tensor.ofLongs(new long[] {1}, new long[] {2}))));

        MockHttpServletResponse response = send(post("/v2/models/iris/infer")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"id\": \"r1\", \"inputs\": [{\"name\": \"input\", \"shape\": [1, 4],"
                        + " \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}]}"));

        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
        JsonNode answer = json(response);
        assertThat(answer.get("model_name").asString()).isEqualTo("iris");
        assertThat(answer.get("model_version").asString()).isEqualTo("2");
        assertThat(answer.get("id").asString()).isEqualTo("r1");
        assertThat(answer.at("/outputs/0").toString())
                .isEqualTo("{\"name\":\"label\",\"datatype\":\"INT64\",\"shape\":[1],\"data\":[2]}");
        ArgumentCaptor<Tensors> inputs = ArgumentCaptor.forClass(Tensors.class);
        verify(inference).infer(eq("iris"), isNull(), inputs.capture(), anyList(), any());
        assertThat(inputs.getValue().get("input").floats()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void inferOnAVersionPathAsksTheCoreForThatVersion() throws Exception {
        when(registry.status("iris")).thenReturn(Optional.of(iris(ModelState.READY)));
        when(inference.infer(eq("iris"), eq(2L), any(), anyList(), any()))
                .thenReturn(new TensorResult(
                        "iris", 2, SIGNATURE, Tensors.of("label", Tensor.ofLongs(new long[] {1}, new long[] {0}))));

        MockHttpServletResponse response = send(post("/v2/models/iris/versions/2/infer")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 4], \"datatype\": \"FP32\","
                        + " \"data\": [1, 2, 3, 4]}]}"));

        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
        verify(inference).infer(eq("iris"), eq(2L), any(), anyList(), any());
    }

    private MockHttpServletResponse send(RequestBuilder request) throws Exception {
        return mvc.perform(request).andReturn().getResponse();
    }

    private static JsonNode json(MockHttpServletResponse response) throws Exception {
        return Http.JSON.readTree(response.getContentAsString());
    }

    private static ModelStatus iris(ModelState state) {
        return new ModelStatus(
                "iris",
                "",
                "tabular",
                "classification",
                "latest",
                state == ModelState.READY ? Optional.of(2L) : Optional.empty(),
                List.of(new ModelStatus.VersionStatus(2, state, "", Instant.EPOCH, Optional.of(SIGNATURE))),
                Routing.NONE,
                Optional.empty(),
                Optional.empty());
    }

    private static ModelStatus model(String name, Optional<Long> defaultVersion) {
        return new ModelStatus(
                name,
                "",
                "tensor",
                "tensor",
                "latest",
                defaultVersion,
                List.of(),
                Routing.NONE,
                Optional.empty(),
                Optional.empty());
    }
}
