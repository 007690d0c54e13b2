package dev.onnxserving.testing;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of end-to-end tests that serve every bundled model plus the {@code dtypes} test model from a temporary
 * repository. Subclasses share one application context.
 */
@ServingEndToEndTest
public abstract class BundledModelsServer {

    private static final TestRepository REPOSITORY =
            TestRepository.create("onnx-serving-e2e").withBundledModels().withTestModel("dtypes");

    @Autowired
    private Http http;

    @DynamicPropertySource
    static void repository(DynamicPropertyRegistry properties) {
        properties.add("serving.repository.path", () -> REPOSITORY.root().toString());
        properties.add("serving.default-model", () -> "iris");
    }

    protected Http http() {
        return http;
    }
}
