package dev.onnxserving.web.openinference;

import static dev.onnxserving.web.openinference.OpenInferenceMetadataTests.assertErrorShape;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.ServingEndToEndTest;
import dev.onnxserving.testing.TestRepository;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A server with one model that cannot serve: readiness says so with 503, infer on it is 503 or 404. */
@ServingEndToEndTest
class OpenInferenceNotReadyTests {

    private static final TestRepository REPOSITORY = TestRepository.create("onnx-serving-not-ready")
            .withTestModel("fixed")
            .withBrokenModel("broken");
    private static final String FIXED_REQUEST =
            "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}";

    @Autowired
    private Http http;

    @DynamicPropertySource
    static void repository(DynamicPropertyRegistry properties) {
        properties.add("serving.repository.path", () -> REPOSITORY.root().toString());
        properties.add("serving.default-model", () -> "fixed");
    }

    @Test
    void serverReadinessIs503WhileAModelCannotServe() {
        Http.Response response = http.get("/v2/health/ready");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.json().get("ready").booleanValue()).isFalse();
        assertThat(response.json().get("error").asString()).contains("broken");
        assertThat(http.get("/v2/health/live").status()).isEqualTo(200);
    }

    @Test
    void modelReadinessIs503ForTheModelThatCannotServeAnd200ForTheOther() {
        Http.Response broken = http.get("/v2/models/broken/ready");
        Http.Response version = http.get("/v2/models/broken/versions/1/ready");

        assertThat(broken.status()).isEqualTo(503);
        assertThat(broken.json().get("ready").booleanValue()).isFalse();
        assertThat(version.status()).isEqualTo(503);
        assertThat(version.json().get("error").asString()).contains("FAILED");
        assertThat(http.get("/v2/models/fixed/ready").status()).isEqualTo(200);
    }

    @Test
    void inferOnAModelWithNoServingVersionIs503AndOnItsFailedVersion404() {
        Http.Response unversioned = http.postJson("/v2/models/broken/infer", FIXED_REQUEST);
        Http.Response failed = http.postJson("/v2/models/broken/versions/1/infer", FIXED_REQUEST);
        Http.Response metadata = http.get("/v2/models/broken");

        assertThat(unversioned.status()).isEqualTo(503);
        assertThat(unversioned.header("Retry-After")).isEqualTo("1");
        assertErrorShape(unversioned);
        assertThat(failed.status()).isEqualTo(404);
        assertErrorShape(failed);
        assertThat(metadata.status()).isEqualTo(503);
        assertErrorShape(metadata);
    }

    @Test
    void theModelThatLoadedServesWithItsFixedBatch() {
        Http.Response response = http.postJson("/v2/models/fixed/infer", FIXED_REQUEST);

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.json().get("outputs").get(0).get("data").toString()).isEqualTo("[10.0]");
    }
}
