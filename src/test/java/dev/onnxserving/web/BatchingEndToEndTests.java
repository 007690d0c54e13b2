package dev.onnxserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The bundled iris model behind the batcher, over loopback HTTP, with real ONNX Runtime. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "serving.models.iris.batching.enabled=true")
class BatchingEndToEndTests {

    @LocalServerPort
    int port;

    private final ExecutorService threads = Executors.newFixedThreadPool(16);

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void concurrentRequestsEachGetTheirOwnPrediction() throws Exception {
        Http http = new Http(port);
        IrisReference reference = IrisReference.load();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < reference.size(); i++) {
            String body = reference.body(i);
            calls.add(threads.submit(() -> {
                start.await();
                return http.post("/models/iris/versions/2/predict", body, Map.of("Request-Timeout", "10000"));
            }));
        }
        start.countDown();

        for (int i = 0; i < reference.size(); i++) {
            HttpResponse<String> response = calls.get(i).get(20, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode prediction = IrisReference.JSON
                    .readTree(response.body())
                    .get("predictions")
                    .get(0);
            assertThat(prediction.get("label").asString())
                    .as("instance %d", i)
                    .isEqualTo(reference.labels().get(i));
            assertThat(prediction.get("score").asDouble())
                    .as("instance %d", i)
                    .isCloseTo(reference.scores().get(i), org.assertj.core.api.Assertions.within(1e-6));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "0", "-5", "1.5", "99999999999999"})
    void refusesARequestTimeoutThatIsNotAPositiveWholeNumber(String value) throws Exception {
        HttpResponse<String> response =
                new Http(port).post("/predict", IrisReference.load().body(0), Map.of("Request-Timeout", value));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(IrisReference.JSON.readTree(response.body()).get("detail").asString())
                .startsWith("header Request-Timeout: expected a positive whole number of milliseconds")
                .endsWith("got '" + value + "'");
    }

    @Test
    void exposesQueueAndBatchMetricsPerModelVersion() throws Exception {
        Http http = new Http(port);
        assertThat(http.post("/predict", IrisReference.load().body(1), Map.of()).statusCode())
                .isEqualTo(200);

        String metrics = http.get("/actuator/prometheus").body();

        assertThat(metrics)
                .contains("serving_queue_length{")
                .contains("serving_batch_size_count{")
                .contains("serving_admission_refused_total{")
                .contains("serving_admission_expired_total{")
                .contains("stage=\"queue\"");
        assertThat(metrics.lines().filter(line -> line.startsWith("serving_batch_size_count{")))
                .anySatisfy(line -> assertThat(line).contains("model=\"iris\"").contains("version=\"2\""));
    }

    @Test
    void keepsTheBenchmarkEchoEndpointOffByDefault() throws Exception {
        assertThat(new Http(port).post("/bench/echo", "{\"a\": 1}", Map.of()).statusCode())
                .isEqualTo(404);
    }
}
