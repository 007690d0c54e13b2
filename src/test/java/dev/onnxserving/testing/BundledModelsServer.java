package dev.onnxserving.testing;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of end-to-end tests against the real server on a random port, serving every bundled model plus the
 * {@code dtypes} test model. Subclasses share one application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class BundledModelsServer {

    private static final TestRepository REPOSITORY =
            TestRepository.create("onnx-serving-e2e").withBundledModels().withTestModel("dtypes");

    @LocalServerPort
    private int port;

    @DynamicPropertySource
    static void repository(DynamicPropertyRegistry properties) {
        properties.add("serving.repository.path", () -> REPOSITORY.root().toString());
        properties.add("serving.default-model", () -> "iris");
    }

    protected Http http() {
        return new Http(port);
    }
}
