package dev.onnxserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A bounded burst on loopback against a small queue: every answer is either the right prediction or a clean 429 or
 * 503 with Retry-After, and the service is healthy afterwards.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "serving.models.iris.batching.enabled=true",
            "serving.models.iris.batching.max-queue-size=3",
            "serving.models.iris.batching.max-batch-size=4",
            "serving.bench.echo-enabled=true"
        })
class AdmissionUnderLoadTests {

    private static final int CLIENTS = 32;
    private static final int REQUESTS_PER_CLIENT = 40;

    @LocalServerPort
    int port;

    private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);

    @AfterEach
    void stop() {
        clients.shutdownNow();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void answersEveryRequestCorrectlyOrWithACleanRefusalAndStaysHealthy() throws Exception {
        Http http = new Http(port);
        IrisReference reference = IrisReference.load();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<String>>> results = new ArrayList<>();
        for (int client = 0; client < CLIENTS; client++) {
            int first = client;
            results.add(clients.submit(() -> {
                start.await();
                List<String> problems = new ArrayList<>();
                for (int n = 0; n < REQUESTS_PER_CLIENT; n++) {
                    int i = (first + n) % reference.size();
                    String timeout = n % 4 == 0 ? "1" : "5000";
                    HttpResponse<String> response = http.post(
                            "/models/iris/versions/2/predict", reference.body(i), Map.of("Request-Timeout", timeout));
                    statuses.computeIfAbsent(response.statusCode(), code -> new AtomicInteger())
                            .incrementAndGet();
                    String problem = check(response, reference, i);
                    if (problem != null) {
                        problems.add(problem);
                    }
                }
                return problems;
            }));
        }
        start.countDown();

        List<String> problems = new ArrayList<>();
        for (Future<List<String>> result : results) {
            problems.addAll(result.get(50, TimeUnit.SECONDS));
        }
        System.out.println("AdmissionUnderLoadTests statuses: " + statuses);

        assertThat(problems).isEmpty();
        assertThat(statuses.get(200)).as("some requests succeed").isNotNull();
        assertThat(http.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        HttpResponse<String> after = http.post("/models/iris/versions/2/predict", reference.body(0), Map.of());
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(check(after, reference, 0)).isNull();
    }

    @Test
    void echoesTheBodyWhenTheBenchmarkEndpointIsEnabled() throws Exception {
        HttpResponse<String> response = new Http(port).post("/bench/echo", "{\"instances\":[[1.5,2]]}", Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(IrisReference.JSON.readTree(response.body()))
                .isEqualTo(IrisReference.JSON.readTree("{\"instances\":[[1.5,2]]}"));
    }

    /** {@code null} when the response is right for instance {@code i} or a clean refusal; what is wrong otherwise. */
    private static String check(HttpResponse<String> response, IrisReference reference, int i) {
        int status = response.statusCode();
        JsonNode body = IrisReference.JSON.readTree(response.body());
        if (status == 200) {
            String label = body.get("predictions").get(0).get("label").asString();
            return label.equals(reference.labels().get(i)) ? null : "instance " + i + " got label " + label;
        }
        if (status != 429 && status != 503) {
            return "unexpected status " + status + ": " + response.body();
        }
        if (response.headers().firstValue("Retry-After").isEmpty()) {
            return status + " without Retry-After";
        }
        String detail = body.path("detail").asString("");
        if (detail.isEmpty() || detail.contains("Exception") || detail.contains(".java") || detail.contains("\tat ")) {
            return status + " with an unclear detail: " + response.body();
        }
        return null;
    }
}
