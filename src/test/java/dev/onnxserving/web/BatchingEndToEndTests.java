package dev.onnxserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.ServingEndToEndTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** The bundled iris model behind the batcher, over loopback HTTP, with real ONNX Runtime. */
@ServingEndToEndTest(properties = "serving.models.iris.batching.enabled=true")
class BatchingEndToEndTests {

    @Autowired
    Http http;

    private final ExecutorService threads = Executors.newFixedThreadPool(16);

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void concurrentRequestsEachGetTheirOwnPrediction() throws Exception {
        IrisReference reference = IrisReference.load();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Http.Response>> calls = new ArrayList<>();
        for (int i = 0; i < reference.size(); i++) {
            String body = reference.body(i);
            calls.add(threads.submit(() -> {
                start.await();
                return http.post("/models/iris/versions/2/predict", body, "Request-Timeout", "10000");
            }));
        }
        start.countDown();

        for (int i = 0; i < reference.size(); i++) {
            Http.Response response = calls.get(i).get(20, TimeUnit.SECONDS);
            assertThat(response.status()).as(response.text()).isEqualTo(200);
            JsonNode prediction = response.json().get("predictions").get(0);
            assertThat(prediction.get("label").asString())
                    .as("instance %d", i)
                    .isEqualTo(reference.labels().get(i));
            assertThat(prediction.get("score").asDouble())
                    .as("instance %d", i)
                    .isCloseTo(reference.scores().get(i), org.assertj.core.api.Assertions.within(1e-6));
        }
    }

    @Test
    void exposesQueueAndBatchMetricsPerModelVersion() throws Exception {
        assertThat(http.postJson("/predict", IrisReference.load().body(1)).status())
                .isEqualTo(200);

        String metrics = http.get("/actuator/prometheus").text();

        assertThat(metrics)
                .contains("serving_queue_length{")
                .contains("serving_batch_size_count{")
                .contains("serving_admission_refused_total{")
                .contains("serving_admission_expired_total{")
                .contains("stage=\"queue\"");
        assertThat(metrics.lines().filter(line -> line.startsWith("serving_batch_size_count{")))
                .anySatisfy(line -> assertThat(line).contains("model=\"iris\"").contains("version=\"2\""));
    }
}
