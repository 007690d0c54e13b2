package dev.onnxserving.inference;

import static dev.onnxserving.testing.FakeSessions.IRIS_LIKE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.onnxserving.deployment.ManagerFixture;
import dev.onnxserving.observability.ServingMetrics;
import dev.onnxserving.pipeline.RequestParameters;
import dev.onnxserving.pipeline.Tensor;
import dev.onnxserving.pipeline.Tensors;
import dev.onnxserving.registry.ModelLease;
import dev.onnxserving.registry.ModelRegistry;
import dev.onnxserving.registry.VersionChoice;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

class ShadowTrafficTests {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @TempDir
    Path root;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private ManagerFixture fixture;
    private ShadowTraffic shadows;

    @BeforeEach
    void models() {
        fixture = new ManagerFixture(root);
        fixture.publish("iris", 1, IRIS_LIKE);
        fixture.publish("iris", 2, IRIS_LIKE);
        fixture.manager.synchronizeAll();
        fixture.commands.loadVersion("iris", 1);
        StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("registry", fixture.registry));
        ObjectProvider<ModelRegistry> registry = beans.getBeanProvider(ModelRegistry.class);
        shadows = new ShadowTraffic(new ShadowProperties(1, 1, 1e-5), new ServingMetrics(meters, registry));
    }

    @AfterEach
    void stop() throws InterruptedException {
        fixture.sessions.runGate = null;
        shadows.destroy();
    }

    private static Tensors primaryOutputs() {
        return Tensors.of(Map.of(
                "label", Tensor.ofLongs(new long[] {1}, new long[] {0}),
                "probabilities", Tensor.ofFloats(new long[] {1, 3}, new float[] {0, 0, 0})));
    }

    private void copy() {
        ModelLease lease = fixture.registry.acquire("iris", VersionChoice.exact(1));
        List<JsonNode> instances = List.of(JsonNodeFactory.instance.objectNode());
        shadows.submit(lease, 2, instances, RequestParameters.of(null), primaryOutputs());
    }

    private double count(String outcome) {
        var counter =
                meters.find("serving.shadow.requests").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void recordsAgreementOffTheCallersThread() {
        copy();
        await().atMost(DEADLINE).until(() -> count("agree") == 1);
        assertThat(meters.find("serving.shadow.requests")
                        .tags("model", "iris", "primary", "2", "shadow", "1")
                        .counter())
                .isNotNull();
    }

    @Test
    void dropsCopiesWhenItsQueueIsFullAndReleasesTheirLeases() {
        CountDownLatch slow = new CountDownLatch(1);
        fixture.sessions.runGate = slow;

        copy();
        await().atMost(DEADLINE).until(() -> shadows.inFlight() == 1 && count("agree") == 0);
        copy();
        copy();
        copy();

        assertThat(count("dropped")).isEqualTo(2);
        slow.countDown();
        await().atMost(DEADLINE).until(() -> count("agree") == 2);
        fixture.commands.unloadVersion("iris", 1);
        await().atMost(DEADLINE).until(() -> fixture.registry.drainingVersions() == 0);
    }
}
