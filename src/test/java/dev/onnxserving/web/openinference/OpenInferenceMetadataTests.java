package dev.onnxserving.web.openinference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.testing.BundledModelsServer;
import dev.onnxserving.testing.Http;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Health, server metadata, model metadata and readiness over real HTTP against the bundled models. */
class OpenInferenceMetadataTests extends BundledModelsServer {

    @Test
    void readyAnswersTrueWhenEveryModelServes() {
        Http.Response response = http().get("/v2/health/ready");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("ready").booleanValue()).isTrue();
    }

    @Test
    void modelMetadataDescribesTensorsWithProtocolDatatypesAndDynamicDimensions() {
        Http.Response response = http().get("/v2/models/iris");

        assertThat(response.status()).isEqualTo(200);
        JsonNode metadata = response.json();
        assertThat(metadata.get("name").asString()).isEqualTo("iris");
        assertThat(metadata.get("platform").asString()).isEqualTo("onnxruntime_onnx");
        assertThat(metadata.get("versions").valueStream().map(JsonNode::asString))
                .containsExactly("1", "2");
        assertThat(Http.JSON.writeValueAsString(metadata.get("inputs")))
                .isEqualTo("[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,4]}]");
        assertThat(Http.JSON.writeValueAsString(metadata.get("outputs")))
                .isEqualTo("[{\"name\":\"label\",\"datatype\":\"INT64\",\"shape\":[-1]},"
                        + "{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[-1,3]}]");
    }

    @Test
    void versionedModelMetadataDescribesThatVersion() {
        JsonNode metadata = http().get("/v2/models/dtypes/versions/1").json();

        assertThat(metadata.get("inputs")
                        .valueStream()
                        .map(input -> input.get("datatype").asString()))
                .containsExactly("FP32", "FP64", "FP16", "INT8", "INT16", "INT32", "INT64", "UINT8", "BOOL", "BYTES");
        assertThat(metadata.get("outputs").size()).isEqualTo(13);
        assertThat(metadata.get("inputs").get(0).get("shape").toString()).isEqualTo("[-1,2]");
    }

    @Test
    void modelReadinessNamesTheModel() {
        Http.Response response = http().get("/v2/models/diabetes/ready");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("name").asString()).isEqualTo("diabetes");
        assertThat(response.json().get("ready").booleanValue()).isTrue();
        assertThat(http().get("/v2/models/iris/versions/1/ready").status()).isEqualTo(200);
    }

    static void assertErrorShape(Http.Response response) {
        assertThat(response.header("Content-Type")).startsWith("application/json");
        JsonNode body = response.json();
        assertThat(body.propertyNames()).containsExactly("error");
        assertThat(body.get("error").isString()).isTrue();
        assertThat(body.get("error").asString()).isNotBlank().doesNotContain("Exception", "/tmp/", "dev.onnxserving");
    }

    static List<String> names(JsonNode array) {
        return array.valueStream().map(node -> node.get("name").asString()).toList();
    }
}
