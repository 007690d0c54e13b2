package dev.onnxserving.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.loading.SessionFactory;
import dev.onnxserving.pipeline.InferenceSession;
import dev.onnxserving.pipeline.ModelSignature;
import dev.onnxserving.pipeline.Tensors;
import dev.onnxserving.runtime.OnnxSessionFactory;
import dev.onnxserving.testing.Http;
import dev.onnxserving.testing.ServingEndToEndTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

/**
 * Overload made certain: iris version 2's runs are held at a gate while more requests arrive than its batch and
 * queue can hold. Those beyond get a clean 429 with Retry-After at once, every admitted request gets its right
 * prediction once the gate opens, nothing gets a 5xx, and the service is healthy afterwards.
 */
@ServingEndToEndTest(
        properties = {
            "serving.models.iris.batching.enabled=true",
            "serving.models.iris.batching.max-queue-size=" + AdmissionUnderLoadTests.QUEUE,
            "serving.models.iris.batching.max-batch-size=" + AdmissionUnderLoadTests.BATCH
        })
@Import(AdmissionUnderLoadTests.GatedSessions.class)
class AdmissionUnderLoadTests {

    static final int QUEUE = 3;
    static final int BATCH = 4;
    /** One batch runs at a time: while it is held, at most its rows and a full queue are admitted. */
    private static final int ADMITTED_AT_MOST = BATCH + QUEUE;

    private static final int REQUESTS = 16;
    private static final String PATH = "/models/iris/versions/2/predict";
    private static final Gate GATE = new Gate();

    @Autowired
    Http http;

    private final ExecutorService clients = Executors.newFixedThreadPool(REQUESTS);

    @AfterEach
    void stop() {
        GATE.open();
        clients.shutdownNow();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void refusesWhatTheQueueCannotHoldWith429AndAnswersEveryAdmittedRequest() throws Exception {
        IrisReference reference = IrisReference.load();
        CountDownLatch refusals = new CountDownLatch(REQUESTS - ADMITTED_AT_MOST);
        List<Future<Http.Response>> calls = new ArrayList<>();
        GATE.close();
        for (int request = 0; request < REQUESTS; request++) {
            String body = reference.body(request % reference.size());
            calls.add(clients.submit(() -> {
                Http.Response response = http.post(PATH, body, "Request-Timeout", "30000");
                if (response.status() == 429) {
                    refusals.countDown();
                }
                return response;
            }));
        }
        assertThat(refusals.await(30, TimeUnit.SECONDS))
                .as("%d of %d requests refused while the runs were held", REQUESTS - refusals.getCount(), REQUESTS)
                .isTrue();
        GATE.open();

        int answered = 0;
        int refused = 0;
        for (int request = 0; request < REQUESTS; request++) {
            Http.Response response = calls.get(request).get(30, TimeUnit.SECONDS);
            if (response.status() == 200) {
                assertPrediction(response, reference, request % reference.size());
                answered++;
            } else {
                assertCleanRefusal(response);
                refused++;
            }
        }
        assertThat(refused).isGreaterThanOrEqualTo(REQUESTS - ADMITTED_AT_MOST);
        assertThat(answered).as("the request that led the held batch").isGreaterThanOrEqualTo(1);
        assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertPrediction(http.postJson(PATH, reference.body(0)), reference, 0);
    }

    private static void assertPrediction(Http.Response response, IrisReference reference, int instance) {
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.json().at("/predictions/0/label").asString())
                .as("instance %d", instance)
                .isEqualTo(reference.labels().get(instance));
    }

    private static void assertCleanRefusal(Http.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(429);
        assertThat(response.header("Retry-After")).isNotBlank();
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        assertThat(response.detail()).isNotBlank().doesNotContain("Exception", ".java", "\tat ");
    }

    /** Holds runs while closed, each for 30 seconds at most; open at start, so the versions load and warm up. */
    static final class Gate {
        private volatile CountDownLatch latch = new CountDownLatch(0);

        void close() {
            latch = new CountDownLatch(1);
        }

        void open() {
            latch.countDown();
        }

        void pass() {
            try {
                if (!latch.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never opened the gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The real sessions, iris version 2's behind the gate. */
    @TestConfiguration(proxyBeanMethods = false)
    static class GatedSessions {
        @Bean
        @Primary
        SessionFactory gatedSessions(OnnxSessionFactory onnx) {
            return modelFile -> {
                InferenceSession session = onnx.open(modelFile);
                return modelFile.endsWith(Path.of("iris", "2", "model.onnx")) ? new GatedSession(session) : session;
            };
        }
    }

    private record GatedSession(InferenceSession session) implements InferenceSession {
        @Override
        public ModelSignature signature() {
            return session.signature();
        }

        @Override
        public Tensors run(Tensors inputs, Set<String> outputs) {
            GATE.pass();
            return session.run(inputs, outputs);
        }

        @Override
        public void close() {
            session.close();
        }
    }
}
