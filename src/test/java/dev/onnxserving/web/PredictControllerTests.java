package dev.onnxserving.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.onnxserving.inference.InferenceService;
import dev.onnxserving.inference.Prediction;
import dev.onnxserving.pipeline.Deadline;
import dev.onnxserving.pipeline.ModelNotFoundException;
import dev.onnxserving.pipeline.RequestParameters;
import dev.onnxserving.registry.VersionChoice;
import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.WebSlice;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockPart;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;

/**
 * {@code /predict} in a web slice with the inference core mocked: which model and version each path asks for, the
 * request's instances, parameters and deadline as they reach the core, and the answer's body and headers.
 */
@WebMvcTest(PredictController.class)
@Import(WebSlice.class)
class PredictControllerTests {

    private static final String BODY = "{\"instances\": [[1, 2]], \"parameters\": {\"top_k\": 2}}";

    @Autowired
    MockMvc mvc;

    @MockitoBean
    InferenceService inference;

    @Test
    void predictAsksTheRoutingOfTheDefaultModelAndAnswersWithTheServedVersion() throws Exception {
        when(inference.predict(isNull(), any(), anyList(), any(), any()))
                .thenReturn(new Prediction("iris", 2, List.of(Map.of("label", "setosa"))));

        MockHttpServletResponse response = send(json("/predict", BODY).header("Canary", "yes"));

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeader("Model-Name")).isEqualTo("iris");
        assertThat(response.getHeader("Model-Version")).isEqualTo("2");
        assertThat(Http.JSON.readTree(response.getContentAsString()))
                .isEqualTo(Http.JSON.readTree(
                        "{\"model\": \"iris\", \"version\": \"2\", \"predictions\": [{\"label\": \"setosa\"}]}"));
        ArgumentCaptor<VersionChoice> choice = ArgumentCaptor.forClass(VersionChoice.class);
        @SuppressWarnings("unchecked")
        ArgumentCaptor<List<JsonNode>> instances = ArgumentCaptor.forClass(List.class);
        ArgumentCaptor<RequestParameters> parameters = ArgumentCaptor.forClass(RequestParameters.class);
        verify(inference).predict(isNull(), choice.capture(), instances.capture(), parameters.capture(), any());
        assertThat(choice.getValue())
                .isInstanceOfSatisfying(
                        VersionChoice.Routed.class,
                        routed -> assertThat(routed.headers().apply("Canary")).isEqualTo("yes"));
        assertThat(instances.getValue()).hasToString("[[1,2]]");
        assertThat(parameters.getValue().integer("top_k", 1)).hasValue(2);
    }

    @Test
    void aVersionPathAsksForExactlyThatVersionAndALabelPathForTheLabel() throws Exception {
        when(inference.predict(eq("iris"), any(), anyList(), any(), any()))
                .thenReturn(new Prediction("iris", 3, List.of()));

        assertThat(send(json("/models/iris/versions/3/predict", BODY)).getStatus())
                .isEqualTo(200);
        assertThat(send(json("/models/iris/labels/stable/predict", BODY)).getStatus())
                .isEqualTo(200);

        verify(inference).predict(eq("iris"), eq(VersionChoice.exact(3)), anyList(), any(), any());
        verify(inference).predict(eq("iris"), eq(VersionChoice.label("stable")), anyList(), any(), any());
    }

    @Test
    void theRequestTimeoutHeaderBecomesTheDeadline() throws Exception {
        when(inference.predict(eq("iris"), any(), anyList(), any(), any()))
                .thenReturn(new Prediction("iris", 1, List.of()));

        send(json("/models/iris/predict", BODY).header("Request-Timeout", "60000"));

        ArgumentCaptor<Deadline> deadline = ArgumentCaptor.forClass(Deadline.class);
        verify(inference).predict(eq("iris"), any(), anyList(), any(), deadline.capture());
        assertThat(Duration.ofNanos(deadline.getValue().remainingNanos()))
                .isGreaterThan(Duration.ofSeconds(50))
                .isLessThanOrEqualTo(Duration.ofSeconds(60));
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "0", "-5", "1.5", "99999999999999"})
    void refusesARequestTimeoutThatIsNotAPositiveWholeNumber(String value) throws Exception {
        MockHttpServletResponse response = send(json("/predict", BODY).header("Request-Timeout", value));

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        assertThat(detail(response))
                .startsWith("header Request-Timeout: expected a positive whole number of milliseconds")
                .endsWith("got '" + value + "'");
        verifyNoInteractions(inference);
    }

    @Test
    void aVersionThatIsNotANumberIsNotFound() throws Exception {
        MockHttpServletResponse response = send(json("/models/iris/versions/latest/predict", BODY));

        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(detail(response)).contains("'latest'");
        verifyNoInteractions(inference);
    }

    @Test
    void aBodyWithoutInstancesIsABadRequestThatNamesTheField() throws Exception {
        MockHttpServletResponse response = send(json("/predict", "{\"parameters\": {}}"));

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(detail(response)).startsWith("/instances: ");
        verifyNoInteractions(inference);
    }

    @Test
    void anUnknownModelFromTheCoreIsNotFound() throws Exception {
        when(inference.predict(eq("nope"), any(), anyList(), any(), any()))
                .thenThrow(new ModelNotFoundException("no model 'nope'; models: [iris]"));

        MockHttpServletResponse response = send(json("/models/nope/predict", BODY));

        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(detail(response)).isEqualTo("no model 'nope'; models: [iris]");
    }

    @Test
    void everyFilePartOfAnUploadIsOneInstance() throws Exception {
        when(inference.predict(eq("digits"), any(), anyList(), any(), any()))
                .thenReturn(new Prediction("digits", 1, List.of()));

        MockHttpServletResponse response = send(multipart("/models/digits/predict")
                .part(new MockPart("image", "a.png", new byte[] {1, 2, 3}))
                .part(new MockPart("image", "b.png", new byte[] {4})));

        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        ArgumentCaptor<List<JsonNode>> instances = ArgumentCaptor.forClass(List.class);
        verify(inference).predict(eq("digits"), any(), instances.capture(), any(), any());
        assertThat(instances.getValue())
                .extracting(JsonNode::binaryValue)
                .containsExactly(new byte[] {1, 2, 3}, new byte[] {4});
    }

    @Test
    void aBodyThatIsNotJsonOrAnUploadIsUnsupported() throws Exception {
        MockHttpServletResponse response =
                send(post("/predict").contentType(MediaType.TEXT_PLAIN).content("hello"));

        assertThat(response.getStatus()).isEqualTo(415);
        verifyNoInteractions(inference);
    }

    private MockHttpServletResponse send(RequestBuilder request) throws Exception {
        return mvc.perform(request).andReturn().getResponse();
    }

    private static MockHttpServletRequestBuilder json(String path, String body) {
        return post(path).contentType(MediaType.APPLICATION_JSON).content(body);
    }

    private static String detail(MockHttpServletResponse response) throws Exception {
        return Http.JSON.readTree(response.getContentAsString()).get("detail").asString();
    }
}
